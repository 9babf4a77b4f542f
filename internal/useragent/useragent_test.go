package useragent

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		ua     string
		want   string
		class  Class
		device string
	}{
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
			"Chrome 126 on macOS", Desktop, "Mac"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
			"Edge 126 on Windows", Desktop, ""},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
			"Firefox 127 on Windows", Desktop, ""},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
			"Safari 17 on iOS 17", Mobile, "iPhone"},
		{"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
			"Safari 17 on iOS 17", Tablet, "iPad"},
		{"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
			"Chrome 126 on Android", Mobile, ""},
		{"Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
			"Chrome 126 on Android 14", Mobile, "Samsung SM-S911B"},
		{"Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
			"Chrome 126 on Android 13", Tablet, "SM-X700"},
		{"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
			"Firefox 127 on Ubuntu", Desktop, ""},
		{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
			"Chrome 126 on Chrome OS", Desktop, ""},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot 2", Bot, ""},
		{"curl/8.5.0", "curl 8", Unknown, ""},
		{"", "Unknown browser", Unknown, ""},
		{"   ", "Unknown browser", Unknown, ""},
		{"\x00\xff garbage", "Unknown browser", Unknown, ""},
	}
	for _, tc := range cases {
		got := Parse(tc.ua)
		if got.String() != tc.want || got.Class != tc.class || got.Device != tc.device {
			t.Errorf("Parse(%.60q) = %q %s %q, want %q %s %q", tc.ua, got.String(), got.Class, got.Device, tc.want, tc.class, tc.device)
		}
	}
}

func TestInfoLabels(t *testing.T) {
	if got := (Info{OS: "Linux"}).String(); got != "Unknown browser on Linux" {
		t.Errorf("OS only: %q", got)
	}
	for c, want := range map[Class]string{Desktop: "Desktop", Mobile: "Phone", Tablet: "Tablet", Bot: "Automated client", Unknown: "Unknown device", "": "Unknown device"} {
		if got := (Info{Class: c}).ClassLabel(); got != want {
			t.Errorf("%q: %q, want %q", c, got, want)
		}
	}
}

func TestCacheIsBounded(t *testing.T) {
	old := cacheSize
	cacheSize = 16
	defer func() { cacheSize = old }()
	for i := range cacheSize + 10 {
		Parse(fmt.Sprintf("Mozilla/5.0 (Windows NT 10.0) Firefox/%d.0", i))
	}
	mu.RLock()
	n := len(cache)
	mu.RUnlock()
	if n > cacheSize {
		t.Fatalf("cache holds %d entries, bound is %d", n, cacheSize)
	}
	// A later parse of an evicted entry still answers correctly.
	if got := Parse("Mozilla/5.0 (Windows NT 10.0) Firefox/3.0").String(); got != "Firefox 3 on Windows" {
		t.Errorf("after eviction: %q", got)
	}
}

func TestLongUserAgentIsTruncated(t *testing.T) {
	ua := "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0 " + strings.Repeat("x", 100_000)
	if got := Parse(ua).String(); got != "Firefox 127 on Windows" {
		t.Errorf("long UA: %q", got)
	}
	mu.RLock()
	defer mu.RUnlock()
	for k := range cache {
		if len(k) > maxLen {
			t.Fatalf("cached a key of %d bytes", len(k))
		}
	}
}

func TestParseConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for j := range 50 {
				ua := fmt.Sprintf("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/%d.0.0.0 Safari/537.36", 100+(i*50+j)%30)
				if !strings.HasSuffix(Parse(ua).String(), " on macOS") {
					t.Errorf("concurrent parse of %q wrong", ua)
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkParseCached(b *testing.B) {
	ua := "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	Parse(ua)
	for b.Loop() {
		Parse(ua)
	}
}
