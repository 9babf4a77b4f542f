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
}

// Predefined reports whether the group came with the organization.
func (g Group) Predefined() bool { return g.PredefinedKey != "" }
