package chats

import "strconv"

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
