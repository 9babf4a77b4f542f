package components

import "testing"

func TestPluralAndThousands(t *testing.T) {
	for _, c := range []struct {
		n         int
		one, many string
		want      string
	}{
		{0, "row", "rows", "0 rows"},
		{1, "seat is", "seats are", "1 seat is"},
		{2, "person", "people", "2 people"},
		{1200, "member", "members", "1,200 members"},
		{100000, "row", "rows", "100,000 rows"},
	} {
		if got := Plural(c.n, c.one, c.many); got != c.want {
			t.Errorf("Plural(%d, %q, %q) = %q, want %q", c.n, c.one, c.many, got, c.want)
		}
	}
	if got := Thousands(-1234); got != "-1234" {
		t.Errorf("Thousands(-1234) = %q", got)
	}
}
