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

// Label is the team as a member's teams are listed: "EMEA", "EMEA (lead)".
func (t MemberTeam) Label() string {
	if t.Lead {
		return t.Name + " (lead)"
	}
	return t.Name
}

// TeamLabels is Label of each team, in the order given (nil for none).
func TeamLabels(ts []MemberTeam) []string {
	if len(ts) == 0 {
		return nil
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Label()
	}
	return out
}
