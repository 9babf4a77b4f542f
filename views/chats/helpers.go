package chats

import (
	"strconv"
	"time"
)

// When is how the module writes a time: "2 Jan 2006 15:04", UTC.
func When(unix int64) string { return time.Unix(unix, 0).UTC().Format("2 Jan 2006 15:04") }

func orDash(s string) string { return orNone(s, "—") }

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// statusBadge is the badge kind of a conversation status.
func statusBadge(status string) string {
	switch status {
	case "open":
		return "success"
	case "pending":
		return "warning"
	}
	return "neutral"
}
