package web_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// The conversations lists are cached per conversations_version (and the
// customers, members and permission versions for names and team scope):
// every change a list shows appears on the next request, in All, Those I
// serve and My teams, and a change that takes a row out of a list takes it
// out at once.
func TestChatsListCacheShowsEveryChangeOnTheNextRequest(t *testing.T) {
	f := newChatsFixture(t)
	ctx := context.Background()
	var agent, cust, conv, emailCh int64
	exec := func(q string, args ...any) {
		t.Helper()
		f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.Exec(ctx, q, args...)
			return err
		})
	}
	f.app.Tx(func(ctx context.Context, tx *store.Tx) (err error) {
		if err = tx.QueryRow(ctx, `SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? AND m.org_id = ?`,
			demo.AgentEmail, f.acme.ID).Scan(&agent); err != nil {
			return err
		}
		if err = tx.QueryRow(ctx, `SELECT MIN(id) FROM channels WHERE org_id = ? AND kind = 'email'`, f.acme.ID).Scan(&emailCh); err != nil {
			return err
		}
		cust, err = tx.CreateCustomer(ctx, store.Customer{OrgID: f.acme.ID, Name: "Cachy Customer"})
		return err
	})
	agentC := f.agent
	all, mine, team := "/o/acme/chats/all", "/o/acme/chats/mine", "/o/acme/chats/team"
	lists := []struct {
		name   string
		client *testkit.Client
		path   string
	}{{"owner All", f.owner, all}, {"agent Those I serve", agentC, mine}, {"ops My teams", f.opsC, team}}
	bodies := map[string]string{}
	for _, l := range lists {
		r := l.client.Get(l.path)
		if r.Status != 200 {
			t.Fatalf("%s: %d", l.name, r.Status)
		}
		if again := l.client.Get(l.path); again.Body != r.Body {
			t.Fatalf("%s: two requests with no change in between differ", l.name)
		}
		bodies[l.name] = r.Body
	}
	steps := []struct {
		name   string
		change func()
		want   map[string]string // list → text it shows now
		gone   map[string]string // list → text it no longer shows
	}{
		{"started", func() {
			f.app.Tx(func(ctx context.Context, tx *store.Tx) (err error) {
				conv, err = tx.CreateConversation(ctx, store.NewConversation{OrgID: f.acme.ID, CustomerID: cust, ChannelID: emailCh,
					TeamID: f.ops, AssignedTo: agent, Subject: "Cache probe"})
				return err
			})
		}, map[string]string{"owner All": "Cache probe", "agent Those I serve": "Cache probe", "ops My teams": "Cache probe"}, nil},
		{"subject changed", func() { exec(`UPDATE conversations SET subject = 'Cache renamed' WHERE id = ?`, conv) },
			map[string]string{"owner All": "Cache renamed", "agent Those I serve": "Cache renamed", "ops My teams": "Cache renamed"},
			map[string]string{"owner All": "Cache probe"}},
		{"customer renamed", func() { exec(`UPDATE customers SET name = 'Cachy Renamed' WHERE id = ?`, cust) },
			map[string]string{"owner All": "Cachy Renamed"}, map[string]string{"owner All": "Cachy Customer"}},
		{"assignee renamed", func() {
			exec(`UPDATE users SET name = 'Agent Renamed' WHERE id = (SELECT user_id FROM memberships WHERE id = ?)`, agent)
		}, map[string]string{"owner All": "Agent Renamed"}, nil},
		{"team renamed", func() { exec(`UPDATE teams SET name = 'Ops Renamed', name_key = 'ops renamed' WHERE id = ?`, f.ops) },
			map[string]string{"owner All": "Ops Renamed", "ops My teams": "Ops Renamed"}, nil},
		{"channel renamed", func() { exec(`UPDATE channels SET name = 'Mail Renamed' WHERE id = ?`, emailCh) },
			map[string]string{"owner All": "Mail Renamed"}, nil},
		{"unassigned", func() { exec(`UPDATE conversations SET assigned_to = NULL WHERE id = ?`, conv) },
			map[string]string{"ops My teams": "Cache renamed"}, map[string]string{"agent Those I serve": "Cache renamed"}},
		{"left the team", func() {
			exec(`DELETE FROM team_members WHERE team_id = ? AND membership_id = ?`, f.ops, f.opsMember.ID)
		},
			nil, map[string]string{"ops My teams": "Cache renamed"}},
		{"deleted", func() { exec(`DELETE FROM conversations WHERE id = ?`, conv) }, nil, map[string]string{"owner All": "Cache renamed"}},
	}
	for _, st := range steps {
		st.change()
		for _, l := range lists {
			body := l.client.Get(l.path).Body
			if w, ok := st.want[l.name]; ok && !strings.Contains(body, w) {
				t.Errorf("%s: %s does not show %q on the next request", st.name, l.name, w)
			}
			if g, ok := st.gone[l.name]; ok && strings.Contains(body, g) {
				t.Errorf("%s: %s still shows %q on the next request", st.name, l.name, g)
			}
		}
	}
	_ = ctx
}

// The team filter's options are rendered once per permission version; the
// chosen team is the one selected option, "Any team" only without a choice,
// and the rows are that team's.
func TestChatsTeamFilterMarksTheChosenTeam(t *testing.T) {
	f := newChatsFixture(t)
	ops := strconv.FormatInt(f.ops, 10)
	f.app.Tx(func(ctx context.Context, tx *store.Tx) error {
		var cust, ch int64
		if err := tx.QueryRow(ctx, `SELECT MIN(id) FROM customers WHERE org_id = ?`, f.acme.ID).Scan(&cust); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT MIN(id) FROM channels WHERE org_id = ?`, f.acme.ID).Scan(&ch); err != nil {
			return err
		}
		_, err := tx.CreateConversation(ctx, store.NewConversation{OrgID: f.acme.ID, CustomerID: cust, ChannelID: ch, TeamID: f.ops, Subject: "Ops only"})
		return err
	})
	selected := regexp.MustCompile(`<option value="([0-9]*)" selected>`)
	team := func(body string) []string {
		i := strings.Index(body, `id="chats-team"`)
		j := strings.Index(body[i:], "</select>")
		var got []string
		for _, m := range selected.FindAllStringSubmatch(body[i:i+j], -1) {
			got = append(got, m[1])
		}
		return got
	}
	for _, pass := range []string{"first", "kept"} { // the second reads the kept options
		all := f.owner.Get("/o/acme/chats/all")
		if got := team(all.Body); len(got) != 1 || got[0] != "" {
			t.Errorf("%s: no team chosen, selected %q, want only Any team", pass, got)
		}
		body := f.owner.Get("/o/acme/chats/all?team=" + ops).Body
		if got := team(body); len(got) != 1 || got[0] != ops {
			t.Errorf("%s: team %s chosen, selected %q", pass, ops, got)
		}
		if !strings.Contains(body, "Ops only") || strings.Count(body, `data-label="Team">Operations<`) != strings.Count(body, `data-label="Team">`) {
			t.Errorf("%s: the team filter lists rows of other teams", pass)
		}
	}
}
