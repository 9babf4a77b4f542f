package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/names"
	"gatehouse/internal/store"
)

// Helpers of the access/export/import command tests: a real database file
// per test, built with the store's own methods, and the real run().

type toolResult struct {
	out, errOut string
	err         error
}

// runTool runs `gatehouse args...` with the given environment.
func runTool(t *testing.T, env map[string]string, args ...string) toolResult {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return toolResult{out: out.String(), errOut: errOut.String(), err: err}
}

// toolDB is a database file with organization "acme" (CRM only, so its
// flags are exactly customers.canAccessAll and crm.canAccessAll).
type toolDB struct {
	t      *testing.T
	path   string
	db     *store.Store
	org    domain.Org
	groups map[string]int64
}

func newToolDB(t *testing.T) *toolDB {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d := &toolDB{t: t, path: path, db: db, groups: map[string]int64{}}
	ps, _ := access.ParseProducts([]string{"crm"})
	err = db.Write(ctx, func(tx *store.Tx) error {
		var err error
		d.org, err = tx.CreateOrg(ctx, store.NewOrg{Name: "Acme Ltd", NameKey: names.FoldOrgName("Acme Ltd"), Slug: "acme",
			Products: ps, Seats: 25})
		if err != nil {
			return err
		}
		gs, err := tx.Groups(ctx, d.org.ID)
		for _, g := range gs {
			d.groups[g.Name] = g.ID
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// member adds a user with a role, status, groups and custom set.
func (d *toolDB) member(email string, role access.Role, status string, custom *access.Set, groups ...string) {
	d.t.Helper()
	ctx := context.Background()
	err := d.db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.CreateUser(ctx, email, "Person "+email, "")
		if err != nil {
			return err
		}
		m, err := tx.AddMember(ctx, d.org.ID, u.ID, role, status, custom)
		if err != nil {
			return err
		}
		var ids []int64
		for _, g := range groups {
			ids = append(ids, d.groups[g])
		}
		return tx.SetMemberGroups(ctx, d.org.ID, m.ID, ids)
	})
	if err != nil {
		d.t.Fatal(err)
	}
}
