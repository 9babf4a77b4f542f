package members

import (
	"time"

	"gatehouse/views/components"
)

// rowsFixture is one row of every kind: a name and none, a photo and none,
// groups and teams none, few and many, markup in every text, roles and statuses
// known and unknown, activity recent, old and never.
func rowsFixture(now time.Time) []Row {
	return []Row{
		{Person: components.Person{ID: 1, Name: "Ada Lovelace", Email: "ada@example.com", Role: "owner", Status: "active"}, LastActive: now.Add(-time.Hour)},
		{Person: components.Person{ID: 2, Email: "noname@example.com", Role: "agent_limited", Status: "suspended"}},
		{Person: components.Person{ID: 3, Name: `<b>"Bob" & 'Co'</b>`, Email: "b&o@example.com", PhotoURL: "/me/photo/3?v=2&x=<y>", Role: "admin", Status: "active"},
			Groups: []string{"A & B", "<C>"}, Teams: []string{"EMEA (lead)", "<T&U>"}, LastActive: now.Add(-90 * 24 * time.Hour)},
		{Person: components.Person{ID: 4, Name: "Chloé Dubois", Email: "chloe@example.com", Role: "weird_role", Status: "other"},
			Groups: []string{"One", "Two", "Three", "Four", "Five"}, Teams: []string{"A", "B", "C", "D"}, LastActive: now.Add(-30 * time.Second)},
		{Person: components.Person{ID: 5, Name: "  ", Email: "spaces@example.com", PhotoURL: "javascript:alert(1)", Role: "Sales Rep!", Status: ""},
			Groups: []string{"Only"}, LastActive: now.Add(-400 * 24 * time.Hour)},
		{Person: components.Person{ID: 6, Name: "Émile Zola-Durand", Email: "ez@example.com", PhotoURL: "https://cdn.example.com/a.png", Role: "manager", Status: "invited"},
			Groups: []string{"One", "Two", "Three"}, LastActive: now.Add(-26 * time.Hour)},
	}
}
