package domain

import "gatehouse/internal/access"

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
}

// Suspended reports the status.
func (m Membership) Suspended() bool { return m.Status == StatusSuspended }
