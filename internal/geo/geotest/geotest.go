// Package geotest writes small MaxMind-format databases for tests, so GeoIP
// lookups are tested against a real file without shipping a real database.
package geotest

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Place is one network of the test database; City may be empty.
type Place struct {
	Network string // CIDR, e.g. "81.2.69.0/24"
	City    string
	Country string
}

// Default is what WriteDefault puts in: real MaxMind test-data networks.
var Default = []Place{
	{"81.2.69.0/24", "London", "United Kingdom"},
	{"175.16.199.0/24", "Changchun", "China"},
	{"89.160.20.112/28", "", "Sweden"},
	{"2a02:d300::/32", "Kyiv", "Ukraine"},
}

// Write builds a GeoIP2-City-shaped database in t.TempDir() and returns its path.
func Write(t testing.TB, places []Place) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoIP2-City", RecordSize: 24, Languages: []string{"en"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range places {
		_, network, err := net.ParseCIDR(p.Network)
		if err != nil {
			t.Fatal(err)
		}
		rec := mmdbtype.Map{
			"country": mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(p.Country)}},
		}
		if p.City != "" {
			rec["city"] = mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(p.City)}}
		}
		if err := tree.Insert(network, rec); err != nil {
			t.Fatalf("insert %s: %v", p.Network, err)
		}
	}
	path := filepath.Join(t.TempDir(), "city.mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	return path
}

// WriteDefault writes the Default places.
func WriteDefault(t testing.TB) string { return Write(t, Default) }
