package orgsetup

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Quote is a "contact sales" request for a custom package.
type Quote struct {
	Company string
	Seats   int
	Message string
}

// Quote limits.
const (
	QuoteMaxSeats   = 1_000_000
	QuoteMaxMessage = 2000
)

// CheckQuote checks a quote request as typed (seats is the raw field).
func CheckQuote(company, seats, message string) (Quote, Errors) {
	errs := Errors{}
	var q Quote
	var msg string
	q.Company, msg = CheckName(company)
	errs.Add("company", msg)
	n, err := strconv.Atoi(strings.TrimSpace(seats))
	switch {
	case strings.TrimSpace(seats) == "":
		errs.Add("seats", "Enter how many seats you need.")
	case err != nil:
		errs.Add("seats", "Enter a whole number of seats, like 250.")
	case n < 1:
		errs.Add("seats", "Enter at least 1 seat.")
	case n > QuoteMaxSeats:
		errs.Add("seats", "Enter at most 1,000,000 seats.")
	default:
		q.Seats = n
	}
	q.Message = strings.TrimSpace(strings.ReplaceAll(message, "\r\n", "\n"))
	if utf8.RuneCountInString(q.Message) > QuoteMaxMessage {
		errs.Add("message", "Use at most 2,000 characters.")
	} else if !utf8.ValidString(q.Message) {
		errs.Add("message", "The message contains characters we cannot read.")
	}
	return q, errs
}
