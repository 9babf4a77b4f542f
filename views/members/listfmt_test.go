package members

import (
	"testing"
	"time"
)

func TestListFormatsMatchGeneralHelpers(t *testing.T) {
	for _, tm := range []time.Time{{}, time.Unix(0, 0), time.Unix(1700000000, 0), time.Date(2031, 12, 31, 23, 59, 59, 0, time.FixedZone("x", 5*3600)),
		time.Date(999, 1, 2, 3, 4, 0, 0, time.UTC), time.Date(12000, 1, 2, 3, 4, 0, 0, time.UTC)} {
		if got, want := utcStamp(tm), stamp(tm); got != want {
			t.Errorf("utcStamp(%v) = %q, want %q", tm, got, want)
		}
	}
	for _, gs := range [][]string{nil, {"A"}, {"A", "B"}, {"A", "B", "C"}, {"A", "B", "C", "D"}, {"A", "B", "C", "D", "E", "F"}} {
		if got, want := groupsLine(gs), groupsText(gs); got != want {
			t.Errorf("groupsLine(%q) = %q, want %q", gs, got, want)
		}
	}
}
