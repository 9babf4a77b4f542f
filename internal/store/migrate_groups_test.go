package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gatehouse/internal/access"
)

// beforeConversationActions is a predefined default as it was before the
// chats actions of its own and the canAccessTeam flags, in the stored form
// of that time (which had no canAccessTeam key and no field levels).
func beforeConversationActions(t *testing.T, s access.Set) (access.Set, string) {
	t.Helper()
	for _, m := range access.Modules() {
		for _, f := range m.Fields {
			s.SetFieldLevel(m.ID, f.Key, 0)
		}
	}
	for _, f := range access.Flags() {
		if f.Key == "canAccessTeam" {
			s.SetFlag(f.ID, false)
		}
	}
	m, _ := access.ModuleByKey("chats")
	for _, a := range m.OwnActionIDs() {
		s.Revoke(m.ID, a)
	}
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return s, strings.ReplaceAll(string(b), `,"canAccessTeam":false`, "")
}

// Migration 0014 rewrites each predefined group whose stored set is still
// its old default to the new default (Admin, User and Support Agents gain
// the conversation actions; Admin the team flags), leaves one that differs
// and every custom group as they were, and stores every set in today's form.
func TestMigrationRewritesUntouchedPredefinedGroups(t *testing.T) {
	ctx := context.Background()
	path := migratedDB(t, 13)
	db := rawDB(t, path)
	type row struct {
		org       int64
		key, name string
		set       access.Set // as stored
		text      string
		want      access.Set // after the migration
	}
	var rows []row
	for i, keys := range [][]string{{"crm", "inbox", "finance", "medical"}, {"crm"}, {"inbox"}} {
		ps, err := access.ParseProducts(keys)
		if err != nil {
			t.Fatal(err)
		}
		org := int64(i + 1)
		if _, err := db.Exec(`INSERT INTO organizations (id, name, name_key, slug, products, seats, created_at) VALUES (?, ?, ?, ?, ?, 5, 0)`,
			org, fmt.Sprint("Org ", org), fmt.Sprint("org", org), fmt.Sprint("org-", org), strings.Join(keys, ",")); err != nil {
			t.Fatal(err)
		}
		for _, g := range access.PredefinedGroups(ps) {
			old, text := beforeConversationActions(t, g.Set)
			rows = append(rows, row{org, g.Key, g.Name, old, text, g.Set})
		}
		// A predefined group an admin changed keeps its set (it differs).
		user := &rows[len(rows)-len(access.PredefinedGroups(ps))+1]
		if user.key != "user" {
			t.Fatalf("expected the User group, got %s", user.key)
		}
		user.set.Grant(access.ModAudit, access.View)
		enc, _ := user.set.MarshalJSON()
		user.text = strings.ReplaceAll(string(enc), `,"canAccessTeam":false`, "")
		user.want = user.set
		// A custom group with the old Admin default is no predefined group.
		full, fullText := beforeConversationActions(t, access.FullSet().RestrictTo(ps))
		rows = append(rows, row{org, "", "Custom admins", full, fullText, full})
	}
	for _, r := range rows {
		var key any
		if r.key != "" {
			key = r.key
		}
		if _, err := db.Exec(`INSERT INTO groups (org_id, name, permissions, predefined_key, created_at) VALUES (?, ?, ?, ?, 0)`,
			r.org, r.name, r.text, key); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rewritten := 0
	for _, r := range rows {
		var text string
		if err := s.r.QueryRow(`SELECT permissions FROM groups WHERE org_id = ? AND name = ?`, r.org, r.name).Scan(&text); err != nil {
			t.Fatal(err)
		}
		got, ok := access.DecodeStored(text)
		if !ok {
			t.Errorf("org %d %s: %s is not in today's stored form", r.org, r.name, text)
			continue
		}
		if got != r.want {
			t.Errorf("org %d %s: %v, want %v", r.org, r.name, got, r.want)
		}
		if r.want != r.set {
			rewritten++
		}
	}
	// Admin in every org, User where the org has chats (and was not
	// changed), Support Agents where it has inbox.
	if rewritten != 5 {
		t.Errorf("%d groups rewritten, want 5", rewritten)
	}
}
