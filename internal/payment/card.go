package payment

import (
	"net/url"
	"sort"
	"strings"
)

// cardFieldNames are form fields that only ever carry card data.
var cardFieldNames = []string{"card", "cardnumber", "ccnumber", "cc", "ccnum", "pan", "cvv", "cvc", "cvv2", "cvc2",
	"csc", "expiry", "exp", "expdate", "ccexp", "cardexpiry", "securitycode"}

// CardData returns the first form field (by name) that carries card data:
// a card-only field name that is filled in, or any value that reads as a
// card number (13 to 19 digits, spaces or hyphens between them allowed,
// passing the Luhn check). ok is false when there is none.
func CardData(form url.Values) (field string, ok bool) {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "_csrf" {
			continue
		}
		for _, v := range form[k] {
			if LooksLikeCardNumber(v) || (isCardFieldName(k) && strings.TrimSpace(v) != "") {
				return k, true
			}
		}
	}
	return "", false
}

func isCardFieldName(name string) bool {
	n := strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', ' ', '.', '[', ']':
			return -1
		}
		return r
	}, strings.ToLower(name))
	for _, c := range cardFieldNames {
		if n == c {
			return true
		}
	}
	return strings.Contains(n, "cardnumber") || strings.Contains(n, "creditcard")
}

// LooksLikeCardNumber reports whether s contains a run of 13 to 19 digits
// (spaces or hyphens may separate them) that passes the Luhn check.
func LooksLikeCardNumber(s string) bool {
	var digits []byte
	flush := func() bool {
		ok := len(digits) >= 13 && len(digits) <= 19 && luhn(digits)
		digits = digits[:0]
		return ok
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '-':
			// separators inside a number are skipped
		default:
			if flush() {
				return true
			}
		}
		if len(digits) > 19 { // too long for a card: treat as another kind of number
			for i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				i++
			}
			digits = digits[:0]
		}
	}
	return flush()
}

func luhn(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}
