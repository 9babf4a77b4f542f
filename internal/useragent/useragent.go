// Package useragent describes a User-Agent header in words for session and
// login lists ("Chrome 126 on macOS", a desktop). It relies on the
// ua-parser project's maintained regexes (embedded in uap-go) and caches
// results, because one parse runs hundreds of regular expressions.
package useragent

import (
	"strings"
	"sync"

	"github.com/ua-parser/uap-go/uaparser"
)

// Class is a coarse kind of device.
type Class string

const (
	Desktop Class = "desktop"
	Mobile  Class = "mobile"
	Tablet  Class = "tablet"
	Bot     Class = "bot"
	Unknown Class = "unknown"
)

// Info is what a user agent says about the browser and device.
type Info struct {
	Browser string // "Chrome 126"; "" when unknown
	OS      string // "macOS", "iOS 17", "Windows"; "" when unknown
	Device  string // "iPhone", "Samsung SM-S911B", "Mac"; "" when unknown
	Class   Class
}

// String is the short description shown in lists: "Chrome 126 on macOS".
func (i Info) String() string {
	switch {
	case i.Browser != "" && i.OS != "":
		return i.Browser + " on " + i.OS
	case i.Browser != "":
		return i.Browser
	case i.OS != "":
		return "Unknown browser on " + i.OS
	}
	return "Unknown browser"
}

// ClassLabel is the device class in words ("Desktop", "Phone"...).
func (i Info) ClassLabel() string {
	switch i.Class {
	case Desktop:
		return "Desktop"
	case Mobile:
		return "Phone"
	case Tablet:
		return "Tablet"
	case Bot:
		return "Automated client"
	}
	return "Unknown device"
}

// maxLen bounds what is parsed and cached: real user agents are well under
// this, and a huge header must not cost a huge regex run or cache key.
const maxLen = 512

// cacheSize bounds the cache; when full it starts over (user agents repeat
// a lot, so the hit rate stays high without an LRU).
var cacheSize = 2048 // a var so tests can shrink it

var (
	parser = sync.OnceValue(func() *uaparser.Parser {
		// The parser's own cache is kept minimal: ours stores the final Info.
		p, err := uaparser.New(uaparser.WithCacheSize(1))
		if err != nil {
			panic("useragent: embedded regexes do not load: " + err.Error())
		}
		return p
	})
	mu    sync.RWMutex
	cache = make(map[string]Info, 64)
)

// Warm loads the parser's regexes (a few hundred milliseconds) ahead of the
// first request that needs them; call it in a goroutine at start-up.
func Warm() { parser() }

// Parse describes a user agent; it is safe for concurrent use.
func Parse(ua string) Info {
	ua = strings.TrimSpace(ua)
	if len(ua) > maxLen {
		ua = ua[:maxLen]
	}
	if ua == "" {
		return Info{Class: Unknown}
	}
	mu.RLock()
	info, ok := cache[ua]
	mu.RUnlock()
	if ok {
		return info
	}
	info = parse(ua)
	mu.Lock()
	if len(cache) >= cacheSize {
		clear(cache)
	}
	cache[ua] = info
	mu.Unlock()
	return info
}

func parse(ua string) Info {
	c := parser().Parse(ua)
	info := Info{
		Browser: browserName(c.UserAgent),
		OS:      osName(c.Os),
		Device:  deviceName(c.Device),
	}
	info.Class = classify(ua, c)
	if info.Device == "" && info.Class == Desktop && info.OS == "macOS" {
		info.Device = "Mac"
	}
	return info
}

func known(family string) bool { return family != "" && family != "Other" }

func browserName(u *uaparser.UserAgent) string {
	if u == nil || !known(u.Family) {
		return ""
	}
	// "Chrome Mobile 126" and "Mobile Safari 17" read as "Chrome 126" and
	// "Safari 17": the device class already says it is a phone.
	name := strings.TrimPrefix(u.Family, "Mobile ")
	name = strings.TrimSuffix(name, " Mobile iOS")
	name = strings.TrimSuffix(name, " Mobile")
	if u.Major != "" {
		name += " " + u.Major
	}
	return name
}

// osName uses the names people know; versions only where the user agent
// still tells the truth (Windows 11 and recent macOS report frozen versions).
func osName(o *uaparser.Os) string {
	if o == nil || !known(o.Family) {
		return ""
	}
	switch o.Family {
	case "Mac OS X", "macOS":
		return "macOS"
	case "Windows", "Windows NT":
		return "Windows"
	case "iOS", "iPadOS":
		if o.Major != "" {
			return o.Family + " " + o.Major
		}
	case "Android":
		if o.Major != "" && o.Major != "10" { // Chrome's reduced UA always says 10
			return "Android " + o.Major
		}
	}
	return o.Family
}

func deviceName(d *uaparser.Device) string {
	if d == nil || !known(d.Family) || d.Family == "Spider" {
		return ""
	}
	if strings.HasPrefix(d.Family, "Generic") || d.Family == "K" { // "K": Chrome's reduced Android UA
		return ""
	}
	if d.Brand != "" && d.Model != "" && !strings.HasPrefix(d.Family, d.Brand) &&
		d.Brand != "Apple" && !strings.HasPrefix(d.Brand, "Generic") {
		return d.Brand + " " + d.Model
	}
	return d.Family
}

func classify(ua string, c *uaparser.Client) Class {
	dev, osf := "", ""
	if c.Device != nil {
		dev = c.Device.Family
	}
	if c.Os != nil {
		osf = c.Os.Family
	}
	lower := strings.ToLower(ua)
	switch {
	case dev == "Spider" || strings.Contains(lower, "bot") || strings.Contains(lower, "crawler") || strings.Contains(lower, "spider"):
		return Bot
	case dev == "iPad" || strings.Contains(dev, "Tablet") || strings.Contains(lower, "tablet") ||
		(osf == "Android" && !strings.Contains(ua, "Mobile")):
		return Tablet
	case osf == "iOS" || osf == "Android" || strings.Contains(ua, "Mobi") || dev == "iPhone":
		return Mobile
	case osf == "Mac OS X" || osf == "macOS" || strings.HasPrefix(osf, "Windows") || osf == "Linux" ||
		osf == "Ubuntu" || osf == "Fedora" || osf == "Chrome OS" || osf == "ChromeOS" || osf == "FreeBSD":
		return Desktop
	}
	return Unknown
}
