package geo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/internal/geo"
	"gatehouse/internal/geo/geotest"
)

func TestLocate(t *testing.T) {
	l, err := geo.Open(geotest.WriteDefault(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cases := map[string]string{
		"81.2.69.142":          "London, United Kingdom",
		"81.2.69.1":            "London, United Kingdom",
		"::ffff:81.2.69.142":   "London, United Kingdom", // IPv4-mapped
		"81.2.69.142:443":      "London, United Kingdom", // with a port
		"175.16.199.10":        "Changchun, China",
		"89.160.20.113":        "Sweden", // country only
		"2a02:d300:1::5":       "Kyiv, Ukraine",
		"[2a02:d300:1::5]:443": "Kyiv, Ukraine",
		"81.2.70.1":            "", // not in the database
		"8.8.8.8":              "",
		"127.0.0.1":            geo.LocalNetwork,
		"::1":                  geo.LocalNetwork,
		"10.1.2.3":             geo.LocalNetwork,
		"192.168.1.20":         geo.LocalNetwork,
		"172.16.5.4":           geo.LocalNetwork,
		"fd00::1":              geo.LocalNetwork,
		"fe80::1%eth0":         geo.LocalNetwork,
		"100.64.1.1":           geo.LocalNetwork,
		"":                     "",
		"not an ip":            "",
		"999.1.1.1":            "",
	}
	for ip, want := range cases {
		if got := l.Locate(ip); got != want {
			t.Errorf("Locate(%q) = %q, want %q", ip, got, want)
		}
	}
}

func TestNilLocatorKnowsOnlyLocalAddresses(t *testing.T) {
	var l *geo.Locator
	if got := l.Locate("127.0.0.1"); got != geo.LocalNetwork {
		t.Errorf("loopback: %q", got)
	}
	if got := l.Locate("81.2.69.142"); got != "" {
		t.Errorf("public address without a database: %q, want empty (show the IP)", got)
	}
	if err := l.Close(); err != nil {
		t.Errorf("Close on nil: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := geo.Open(filepath.Join(dir, "missing.mmdb")); err == nil {
		t.Error("missing file: no error")
	}
	junk := filepath.Join(dir, "junk.mmdb")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := geo.Open(junk)
	if err == nil {
		t.Fatal("junk file: no error")
	}
	if !strings.Contains(err.Error(), "junk.mmdb") {
		t.Errorf("error %q does not name the file", err)
	}
}

func TestLocateIsSafeForConcurrentUse(t *testing.T) {
	l, err := geo.Open(geotest.WriteDefault(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 200 {
				ok = ok && l.Locate("81.2.69.142") == "London, United Kingdom"
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("concurrent lookup returned a wrong answer")
		}
	}
}
