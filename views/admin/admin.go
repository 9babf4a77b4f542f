// Package admin holds instance-administration pages.
package admin

import (
	"sort"
	"strconv"
	"time"
)

// OutboxMail is one message written to the outbox (no SMTP configured).
type OutboxMail struct {
	ID        int64
	To        string
	Subject   string
	Body      string
	CreatedAt time.Time
}

// newestFirst returns a copy sorted by CreatedAt descending (ID breaks ties).
func newestFirst(mails []OutboxMail) []OutboxMail {
	out := make([]OutboxMail, len(mails))
	copy(out, mails)
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID > out[j].ID
	})
	return out
}

func mailTime(t time.Time) string { return t.Format("Jan 2, 2006 15:04 MST") }
func mailISO(t time.Time) string  { return t.Format(time.RFC3339) }
func mailID(id int64) string      { return "#" + strconv.FormatInt(id, 10) }
func mailAnchor(id int64) string  { return "mail-" + strconv.FormatInt(id, 10) }
func subjectOr(s string) string {
	if s == "" {
		return "(no subject)"
	}
	return s
}
