package domain

import "gatehouse/internal/access"

// Group is a named permission set in an organization.
type Group struct {
	ID            int64
	OrgID         int64
	Name          string
	Description   string
	Set           access.Set
	PredefinedKey string // "" for custom groups
	MemberCount   int
	// Until is the end of a member's membership of the group (Unix seconds,
	// 0: none), where a member's groups are listed.
	Until int64
}

// Predefined reports whether the group came with the organization.
func (g Group) Predefined() bool { return g.PredefinedKey != "" }
