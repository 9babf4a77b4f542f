// Package geo turns an IP address into a place name for "recent logins" and
// session lists, from an optional MaxMind-format (GeoLite2/GeoIP2 City or
// Country) database. Without a database every address is unknown except the
// local ones, which need no database to recognize.
package geo

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/oschwald/maxminddb-golang/v2"
)

// LocalNetwork is what private, loopback and link-local addresses show.
const LocalNetwork = "Local network"

// Locator looks addresses up. A nil *Locator is valid: it knows only local
// addresses, so callers need no "is GeoIP configured" checks.
type Locator struct {
	db *maxminddb.Reader
}

// Open opens a MaxMind DB file and checks that it answers lookups.
func Open(path string) (*Locator, error) {
	db, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open GeoIP database %s: %w", path, err)
	}
	// A trial lookup catches a file that opens but is not a usable database.
	if err := db.Lookup(netip.MustParseAddr("1.1.1.1")).Err(); err != nil {
		db.Close()
		return nil, fmt.Errorf("GeoIP database %s is not usable: %w", path, err)
	}
	return &Locator{db: db}, nil
}

// Close releases the database; safe on nil.
func (l *Locator) Close() error {
	if l == nil || l.db == nil {
		return nil
	}
	return l.db.Close()
}

// record is the part of a City or Country record we show.
type record struct {
	City struct {
		Names map[string]string `maxminddb:"names"`
	} `maxminddb:"city"`
	Country struct {
		Names map[string]string `maxminddb:"names"`
	} `maxminddb:"country"`
}

// Locate returns "City, Country" (or just the country), LocalNetwork for a
// private or loopback address, and "" when unknown: callers then show the
// IP alone.
func (l *Locator) Locate(ip string) string {
	addr, ok := parse(ip)
	if !ok {
		return ""
	}
	if isLocal(addr) {
		return LocalNetwork
	}
	if l == nil || l.db == nil {
		return ""
	}
	var r record
	if err := l.db.Lookup(addr).Decode(&r); err != nil {
		return ""
	}
	city, country := clean(r.City.Names["en"]), clean(r.Country.Names["en"])
	switch {
	case city != "" && country != "":
		return city + ", " + country
	case country != "":
		return country
	}
	return city
}

// parse accepts "1.2.3.4", "::1", "[::1]:80" or "1.2.3.4:80" (what may be
// stored as a remote address); IPv4-mapped IPv6 becomes IPv4.
func parse(ip string) (netip.Addr, bool) {
	ip = strings.TrimSpace(ip)
	if ap, err := netip.ParseAddrPort(ip); err == nil {
		return ap.Addr().Unmap(), true
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.WithZone("").Unmap(), true
}

var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT

func isLocal(a netip.Addr) bool {
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified() ||
		sharedAddressSpace.Contains(a)
}

// clean keeps database text from breaking a line of the UI.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
