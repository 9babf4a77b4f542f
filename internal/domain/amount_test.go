package domain

import "testing"

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]Amount{"": {}, "  ": {}, "5000": Cents(500000), "5000.5": Cents(500050), "5000.50": Cents(500050),
		"0": Cents(0), "0.01": Cents(1), "007.10": Cents(710), "9999999999999.99": Cents(999999999999999)} {
		got, msg := ParseAmount(in)
		if msg != "" || got != want {
			t.Errorf("ParseAmount(%q) = %v, %q; want %v", in, got, msg, want)
		}
	}
	for _, in := range []string{"12.345", "-1", "abc", "+5", "1,000", "1e5", "5.", ".5", "1 000", "10000000000000", "١٢"} {
		if got, msg := ParseAmount(in); msg != AmountProblem || got.Set {
			t.Errorf("ParseAmount(%q) = %v, %q; want refused", in, got, msg)
		}
	}
	for a, want := range map[Amount]string{{}: "", Cents(0): "0.00", Cents(5): "0.05", Cents(500000): "5000.00", Cents(123456): "1234.56"} {
		if got := a.String(); got != want {
			t.Errorf("%v.String() = %q, want %q", a, got, want)
		}
	}
}
