package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/access"
)

// listOrg is 600 conversations over 30 teams (the member in the first 3,
// every tenth conversation theirs), many sharing a last activity second
// (keyset ties), subjects "Order n" and customers "Customer n%7".
func listOrg(t *testing.T) (s *Store, org, member int64, teams []int64) {
	t.Helper()
	s = openTest(t)
	ctx := context.Background()
	if err := s.Write(ctx, func(tx *Tx) error {
		o, m, ts, err := benchTeamsOrg(ctx, tx)
		if err != nil {
			return err
		}
		org, member, teams = o.ID, m.ID, ts
		ch, err := tx.CreateChannel(ctx, org, "Mail", "email", nil)
		if err != nil {
			return err
		}
		var custs []int64
		for i := range 7 {
			id, err := tx.CreateCustomer(ctx, Customer{OrgID: org, Name: "Customer " + strconv.Itoa(i)})
			if err != nil {
				return err
			}
			custs = append(custs, id)
		}
		for i := range 600 {
			n := NewConversation{OrgID: org, CustomerID: custs[i%7], ChannelID: ch, TeamID: teams[i%30], Subject: "Order " + strconv.Itoa(i)}
			if i%10 == 0 {
				n.AssignedTo = m.ID
			}
			if i%11 == 0 {
				n.TeamID = 0
			}
			id, err := tx.CreateConversation(ctx, n)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE conversations SET updated_at = ?, status = ? WHERE id = ?`,
				int64(1_000_000+i*37%200), ConversationStatuses[i%3], id); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return s, org, member, teams
}

// pages reads a whole list page by page (size n), following the cursors.
func pages(t *testing.T, s *Store, sc RecordScope, q ConversationQuery, n int) []int64 {
	t.Helper()
	var ids []int64
	q.Limit = n
	for {
		rows, more, err := s.Conversations(context.Background(), sc, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		if !more {
			return ids
		}
		last := rows[len(rows)-1]
		q.Before = &ConversationCursor{UpdatedAt: last.UpdatedAt, ID: last.ID}
	}
}

// The team-scope list (one index range per team of the member, merged, or
// one walk for a member of many teams) and every keyset page of every
// list are exactly the rows of the scope, newest activity first, each
// once: checked against the organization's rows filtered here.
func TestConversationsListPagesAreTheScope(t *testing.T) {
	s, org, member, teams := listOrg(t)
	ctx := context.Background()
	all := ScopeIn(org, access.ScopeAll, member)
	every, _, err := s.Conversations(ctx, all, ConversationQuery{Limit: 10000})
	if err != nil || len(every) != 600 {
		t.Fatal(err, len(every))
	}
	want := func(keep func(v Conversation) bool) []int64 {
		var ids []int64
		for _, v := range every {
			if keep(v) {
				ids = append(ids, v.ID)
			}
		}
		return ids
	}
	for i := 1; i < len(every); i++ {
		a, b := every[i-1], every[i]
		if a.UpdatedAt < b.UpdatedAt || a.UpdatedAt == b.UpdatedAt && a.ID < b.ID {
			t.Fatalf("All is not newest first at %d", i)
		}
	}
	check := func(name string, sc RecordScope, q ConversationQuery, keep func(v Conversation) bool) {
		t.Helper()
		w := want(keep)
		if len(w) == 0 {
			t.Fatalf("%s: the case selects nothing", name)
		}
		for _, n := range []int{7, 50} {
			if got := pages(t, s, sc, q, n); !slices.Equal(got, w) {
				t.Errorf("%s, pages of %d: %d rows %v…, want %d %v…", name, n, len(got), got[:min(5, len(got))], len(w), w[:min(5, len(w))])
			}
		}
	}
	mine := func(v Conversation) bool { return v.AssignedTo == member }
	teamOf := func(ts []int64) func(v Conversation) bool {
		return func(v Conversation) bool { return mine(v) || slices.Contains(ts, v.TeamID) }
	}
	team := ScopeIn(org, access.ScopeTeam, member)
	check("all", all, ConversationQuery{}, func(Conversation) bool { return true })
	check("own", ScopeIn(org, access.ScopeOwn, member), ConversationQuery{}, mine)
	check("team", team, ConversationQuery{}, teamOf(teams[:3]))
	check("team, open", team, ConversationQuery{Status: "open"}, func(v Conversation) bool { return teamOf(teams[:3])(v) && v.Status == "open" })
	check("team, one of theirs", team, ConversationQuery{Team: teams[1]}, func(v Conversation) bool { return v.TeamID == teams[1] })
	// Another team: only the member's own conversations owned by it.
	check("team, not theirs", team, ConversationQuery{Team: teams[20]}, func(v Conversation) bool { return mine(v) && v.TeamID == teams[20] })
	check("team, search", team, ConversationQuery{Search: "Order 1"}, func(v Conversation) bool {
		return teamOf(teams[:3])(v) && strings.Contains(v.Subject, "Order 1")
	})
	check("team, customer search", team, ConversationQuery{Search: "Customer 3"}, func(v Conversation) bool {
		return teamOf(teams[:3])(v) && v.CustomerName == "Customer 3"
	})
	// A member of more teams than the merge takes: one walk, same rows.
	if err := s.Write(ctx, func(tx *Tx) error {
		for _, tm := range teams[3 : maxTeamBranches+4] {
			if _, err := tx.AddTeamMember(ctx, org, tm, member); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	check("team of many", team, ConversationQuery{}, teamOf(teams[:maxTeamBranches+4]))
	check("team of many, search", team, ConversationQuery{Search: "Order 2"}, func(v Conversation) bool {
		return teamOf(teams[:maxTeamBranches+4])(v) && strings.Contains(v.Subject, "Order 2")
	})
}

// Every list is an index range: a keyset page is a range of the index
// (updated_at<?), and team scope reads one range per team and of the
// member's own, never the organization's whole list.
func TestConversationsListPlans(t *testing.T) {
	s, org, member, teams := listOrg(t)
	deep := &ConversationCursor{UpdatedAt: 1_000_100, ID: 300}
	for _, c := range []struct {
		name  string
		sc    RecordScope
		q     ConversationQuery
		teams []int64
		want  []string
	}{
		{"all", ScopeIn(org, access.ScopeAll, 0), ConversationQuery{}, nil, []string{"INDEX conversations_org_updated (org_id=?)"}},
		{"all, deep", ScopeIn(org, access.ScopeAll, 0), ConversationQuery{Before: deep}, nil,
			[]string{"INDEX conversations_org_updated (org_id=? AND updated_at<?)"}},
		{"own, deep", ScopeIn(org, access.ScopeOwn, member), ConversationQuery{Before: deep}, nil,
			[]string{"INDEX conversations_assigned (org_id=? AND assigned_to=? AND updated_at<?)"}},
		{"team, deep", ScopeIn(org, access.ScopeTeam, member), ConversationQuery{Before: deep}, teams[:3],
			[]string{"INDEX conversations_assigned (org_id=? AND assigned_to=? AND updated_at<?)",
				"INDEX conversations_team (org_id=? AND team_id=? AND updated_at<?)"}},
		{"team, search", ScopeIn(org, access.ScopeTeam, member), ConversationQuery{Search: "x"}, teams[:3],
			[]string{"INDEX conversations_assigned (org_id=? AND assigned_to=?)", "INDEX conversations_team (org_id=? AND team_id=?)"}},
	} {
		q, args, _, err := conversationsSQL(c.sc, c.q, c.teams)
		if err != nil {
			t.Fatal(err)
		}
		plan := explain(t, s, q, args...)
		for _, w := range c.want {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: no %q in the plan:\n%s", c.name, w, plan)
			}
		}
		if strings.Contains(plan, "SCAN v") || strings.Contains(plan, "conversations_org_updated") && c.sc.scope == access.ScopeTeam {
			t.Errorf("%s: walks the organization's conversations:\n%s", c.name, plan)
		}
	}
}
