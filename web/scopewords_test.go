package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// scopeLine is the markup of a module's data scope line ("" when the page
// has none for it).
func scopeLine(body, module string) string {
	i := strings.Index(body, `data-scope="`+module+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</li>")
	return body[i : i+j]
}

// The member page and My Permissions state each scoped module's data scope
// in the engine's words with what grants it, and the member's teams; a
// module the member cannot open has no line.
func TestScopeInWords(t *testing.T) {
	app := testkit.NewApp(t)
	crew := app.Team(testkit.Team{Name: "Acme Ltd", Slug: "acme", Products: []string{"crm", "inbox"}, Domain: "acme.test",
		Password: prPassword, Owner: testkit.Member{Key: "owner", Name: "Olive Owner"},
		Members: []testkit.Member{
			{Key: "super", Name: "Sam Super", Role: access.RoleSupervisor},
			{Key: "grouped", Name: "Gus Grouped", Role: access.RoleAgent},
			{Key: "custom", Name: "Cat Custom", Role: access.RoleAgent},
			{Key: "limited", Name: "Lee Limited", Role: access.RoleAgentLimited},
		}})
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		emea, err := tx.CreateTeam(ctx, crew.Org.ID, "EMEA", "")
		if err != nil {
			return err
		}
		apac, err := tx.CreateTeam(ctx, crew.Org.ID, "APAC", "")
		if err != nil {
			return err
		}
		if err := tx.SetMemberTeams(ctx, crew.Org.ID, crew.Members["super"].ID,
			[]domain.MemberTeam{{TeamID: emea, Lead: true}, {TeamID: apac}}); err != nil {
			return err
		}
		leads, err := tx.CreateGroup(ctx, crew.Org.ID, "Support leads", "",
			testkit.Set(t, "customers_view", "+customers.canAccessTeam"), "")
		if err != nil {
			return err
		}
		if err := tx.AddGroupMember(ctx, crew.Org.ID, leads, crew.Members["grouped"].ID); err != nil {
			return err
		}
		all := testkit.Set(t, "customers_view", "+customers.canAccessAll")
		return tx.SetCustom(ctx, crew.Org.ID, crew.Members["custom"].ID, &all)
	})
	cases := []struct {
		key     string
		scopes  map[string]string // module → its line's words; a module missing here must have no line
		member  string            // the member page's words for customers (third person)
		teams   string            // My Permissions' teams line
		noTeams bool
	}{
		{"super", map[string]string{
			"customers": "team, from role Supervisor", "crm": "team, from role Supervisor", "chats": "team, from role Supervisor"},
			"or owned by their teams", "APAC, EMEA (lead)", false},
		{"grouped", map[string]string{"customers": "team, from group Support leads"}, "or owned by their teams", "", true},
		{"custom", map[string]string{"customers": "all, from individual permissions"}, "every record of the organization", "", true},
		{"limited", map[string]string{"customers": "own", "chats": "own"}, "only the records assigned to them", "", true},
		{"owner", map[string]string{"customers": "all, as owner", "crm": "all, as owner", "chats": "all, as owner"},
			"every record of the organization", "", true},
	}
	owner := app.LoginAs("owner@acme.test", prPassword)
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			page := owner.Get("/o/acme/settings/members/" + strconv.FormatInt(crew.Members[tc.key].ID, 10))
			mine := app.LoginAs(tc.key+"@acme.test", prPassword).Get("/o/acme/me/permissions")
			if page.Status != http.StatusOK || mine.Status != http.StatusOK {
				t.Fatalf("member page %d, My Permissions %d", page.Status, mine.Status)
			}
			for _, module := range []string{"customers", "crm", "chats"} {
				want, shown := tc.scopes[module]
				for name, body := range map[string]string{"member page": page.Body, "My Permissions": mine.Body} {
					line := scopeLine(body, module)
					if !shown {
						if line != "" {
							t.Errorf("%s: a scope for %s, which they cannot open: %s", name, module, line)
						}
						continue
					}
					if !strings.Contains(line, " "+want+"<") && !strings.Contains(line, " "+want+" ") {
						t.Errorf("%s: %s line lacks %q: %s", name, module, want, line)
					}
				}
			}
			if line := scopeLine(page.Body, "customers"); !strings.Contains(line, tc.member) {
				t.Errorf("member page: customers line lacks %q: %s", tc.member, line)
			}
			if strings.Contains(scopeLine(page.Body, "customers"), "your") {
				t.Error("the member page speaks to the admin as the member")
			}
			if tc.noTeams != strings.Contains(mine.Body, "You are in no service team.") {
				t.Errorf("My Permissions' teams line (in no team: %v) wrong", tc.noTeams)
			}
			if tc.teams != "" && !strings.Contains(mine.Body, "Your teams:</span> "+tc.teams) {
				t.Errorf("My Permissions lacks the teams %q", tc.teams)
			}
		})
	}
	// The scope is the admin's to read: an agent opens no member page.
	r := app.LoginAs("limited@acme.test", prPassword).Get("/o/acme/settings/members/" + strconv.FormatInt(crew.Members["super"].ID, 10))
	if r.Status != http.StatusForbidden || strings.Contains(r.Body, `data-scope="`) {
		t.Errorf("an agent on a member page: %d", r.Status)
	}
}
