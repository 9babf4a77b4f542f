package domain

import (
	"strconv"
	"strings"
)

// Amount is a money amount in cents (a customer's credit limit,
// ARCHITECTURE.md, Fields); the zero value is "not set", which is not the same as 0.00.
type Amount struct {
	Cents int64
	Set   bool
}

// Cents is a set amount of n cents.
func Cents(n int64) Amount { return Amount{Cents: n, Set: true} }

// maxAmountDigits bounds the whole part so that cents fit an int64 with room.
const maxAmountDigits = 13

// AmountProblem is the message for a typed amount that is not ≥ 0 with at
// most two decimals.
const AmountProblem = "Enter an amount of 0 or more with at most two decimals, e.g. 5000.00."

// ParseAmount reads a typed amount: "" is not set; "5000", "5000.5" and
// "5000.50" are 500050 cents' worth of the same thing. Anything else (a
// sign, a third decimal, letters, separators) is refused with
// AmountProblem.
func ParseAmount(s string) (Amount, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Amount{}, ""
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > maxAmountDigits || len(frac) > 2 || (dot && frac == "") || !digits(whole) || !digits(frac) {
		return Amount{}, AmountProblem
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		return Amount{}, AmountProblem
	}
	return Cents(w*100 + f), ""
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String writes the amount as "5000.00" ("" when not set).
func (a Amount) String() string {
	if !a.Set {
		return ""
	}
	frac := strconv.FormatInt(a.Cents%100, 10)
	if len(frac) < 2 {
		frac = "0" + frac
	}
	return strconv.FormatInt(a.Cents/100, 10) + "." + frac
}
