package app

import "gatehouse/internal/domain"

// EndNotes word a member's time-bound grants (ARCHITECTURE.md, Time-bound
// grants) for the pages that explain their access, with whose ("Your",
// "Their"): "Your membership of Supervisors lasts until 31 Dec 2026 14:00
// UTC." groups are the member's, with their ends.
func EndNotes(whose string, m domain.Membership, groups []domain.Group) []string {
	var out []string
	for _, g := range groups {
		if g.Until != 0 {
			out = append(out, whose+" membership of "+g.Name+" lasts "+domain.UntilText(g.Until)+".")
		}
	}
	if m.CustomUntil != 0 {
		out = append(out, whose+" individual permissions last "+domain.UntilText(m.CustomUntil)+".")
	}
	if m.RoleUntil != 0 {
		out = append(out, whose+" role ("+m.Role.Label()+") lasts "+domain.UntilText(m.RoleUntil)+", then it becomes "+m.RoleThen.Label()+".")
	}
	return out
}
