package domain

// Team is a service team of an organization (ARCHITECTURE.md, Teams): a
// name unique in the organization (compared like organization names), a
// description, members and leads. Records (customers, later pipelines and
// conversations) may be owned by a team besides their assignee; a member
// with team scope reaches their teams' records.
type Team struct {
	ID          int64
	OrgID       int64
	Name        string
	Description string
	MemberCount int // filled by lists; 0 when a read does not count
}

// TeamMember is a member of a team, as the team's page lists them.
type TeamMember struct {
	MembershipID int64
	Name         string
	Email        string
	Lead         bool
}

// MemberTeam is one team of a member, as the member's page lists them.
type MemberTeam struct {
	TeamID int64
	Name   string
	Lead   bool
}
