package domain

import (
	"time"

	"gatehouse/internal/access"
)

// User is a global account.
type User struct {
	ID                int64
	Email             string
	Name              string
	PasswordHash      string // "" when none set yet
	MustResetPassword bool
	IsInstanceAdmin   bool
	Phone             string
	JobTitle          string
	Location          string
	PhotoVersion      int64
	CreatedAt         int64
	VerifiedAt        int64 // 0 while the address is not confirmed
}

// Verified reports whether the account has confirmed its address.
func (u User) Verified() bool { return u.VerifiedAt != 0 }

// Member statuses.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
)

// Membership is a user in an organization.
type Membership struct {
	ID           int64
	OrgID        int64
	UserID       int64
	Role         access.Role
	Status       string
	Custom       *access.Set // nil: inherit; non-nil (maybe empty): individual permissions
	CreatedAt    int64
	LastActiveAt int64
	// Time-bound grants (ARCHITECTURE.md, Time-bound grants), Unix seconds,
	// 0: none. CustomUntil ends the individual permissions; RoleUntil ends
	// a temporary Role, which then becomes RoleThen.
	CustomUntil int64
	RoleUntil   int64
	RoleThen    access.Role
}

// Settle returns m as it stands at now: a grant whose end has come is
// gone (the individual set cleared, a temporary role returned to its
// RoleThen), whether or not the sweep has removed it yet. Every read of a
// membership that resolves access settles it.
func (m Membership) Settle(now int64) Membership {
	if m.CustomUntil != 0 && now >= m.CustomUntil {
		m.Custom, m.CustomUntil = nil, 0
	}
	if m.RoleUntil != 0 && now >= m.RoleUntil {
		m.Role, m.RoleUntil, m.RoleThen = m.RoleThen, 0, ""
	}
	if m.Custom == nil {
		m.CustomUntil = 0
	}
	return m
}

// NextEnd is the earliest end of m's grants still to come (0: none).
func (m Membership) NextEnd() int64 {
	return EarliestEnd(m.CustomUntil, m.RoleUntil)
}

// EarliestEnd is the smallest of ends that is not 0 (0: none).
func EarliestEnd(ends ...int64) int64 {
	var e int64
	for _, t := range ends {
		if t != 0 && (e == 0 || t < e) {
			e = t
		}
	}
	return e
}

// Suspended reports the status.
func (m Membership) Suspended() bool { return m.Status == StatusSuspended }

// UntilText words a grant's end as the pages show it beside the grant:
// "until 31 Dec 2026 14:00 UTC" (times are shown in UTC everywhere).
func UntilText(at int64) string {
	return "until " + time.Unix(at, 0).UTC().Format("2 Jan 2006 15:04 UTC")
}
