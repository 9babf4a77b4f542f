package members

import (
	"strconv"
	"strings"
	"time"
)

// The list's per-row text, written without fmt or time layouts: fifty rows
// per page made them a visible share of its rendering. Each matches the
// general helper it stands in for (tested).

// groupsLine is groupsText: up to three groups, then "+N".
func groupsLine(gs []string) string {
	const show = 3
	if len(gs) <= show {
		return strings.Join(gs, ", ")
	}
	return strings.Join(gs[:show], ", ") + " +" + strconv.Itoa(len(gs)-show)
}

// utcStamp is stamp: "2006-01-02 15:04 UTC", "" for the zero time.
func utcStamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 1000 || y > 9999 {
		return stamp(t)
	}
	h, mi, _ := t.Clock()
	var b [20]byte
	pad := func(i, n int) { b[i], b[i+1] = byte('0'+n/10), byte('0'+n%10) }
	pad(0, y/100)
	pad(2, y%100)
	b[4] = '-'
	pad(5, int(mo))
	b[7] = '-'
	pad(8, d)
	b[10] = ' '
	pad(11, h)
	b[13] = ':'
	pad(14, mi)
	copy(b[16:], " UTC")
	return string(b[:])
}
