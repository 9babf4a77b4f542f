package store

import (
	"context"
	"fmt"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/testkit/seedsql"
)

// What the members indexes cost writes: the same writes on a database with
// every migration (11: the role/status indexes, the copies in group_members,
// the counts, the trigram indexes of names and emails; 12: their merge
// setting) and on ones built by the migrations up to 10 (without them)
// and up to 11 (without the merge setting).
var memberWriteSchemas = []struct {
	name    string
	version int // last migration applied; 0: all of them
}{{"v10", 10}, {"v11", 11}, {"current", 0}}

// openAtVersion opens a new database built by the migrations up to version
// (0: all of them).
func openAtVersion(tb testing.TB, version int) *Store {
	tb.Helper()
	if version > 0 {
		saved := migrationFS
		migrationFS, openOlderSchema = migrationsUpTo(tb, version), true
		defer func() { migrationFS, openOlderSchema = saved, false }()
	}
	return openTest(tb)
}

// bulkSeedMembers adds n members to a new organization and 500 groups, each
// member in one or two of them, in one transaction of set-based SQL (as the
// web benchmark's seed does); tag keeps the accounts of several seeds apart.
func bulkSeedMembers(tb testing.TB, s *Store, tag string, n int) (orgID int64) {
	tb.Helper()
	ctx := context.Background()
	err := s.Write(ctx, func(tx *Tx) error {
		o, err := tx.CreateOrg(ctx, NewOrg{Name: "Bulk " + tag, NameKey: "bulk " + tag, Slug: "bulk-" + tag, Seats: n + 10})
		if err != nil {
			return err
		}
		orgID = o.ID
		var first int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM users`).Scan(&first); err != nil {
			return err
		}
		for _, q := range []string{
			seedsql.Users(`'.' || ?4`),
			seedsql.Memberships(`u.id >= ?3`),
			`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500)
			 INSERT INTO groups (org_id, name, permissions, created_at) SELECT ?2, 'Team ' || i, '{}', 0 FROM s`,
			`INSERT INTO group_members (group_id, membership_id)
			 SELECT (SELECT MIN(id) FROM groups WHERE org_id = ?2) + m.id % 500, m.id FROM memberships m WHERE m.org_id = ?2`,
			`INSERT INTO group_members (group_id, membership_id)
			 SELECT (SELECT MIN(id) FROM groups WHERE org_id = ?2) + (m.id * 7 + 3) % 500, m.id FROM memberships m
			 WHERE m.org_id = ?2 AND m.id % 3 = 0`,
		} {
			if _, err := tx.Exec(ctx, q, n, orgID, first, tag); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return orgID
}

// BenchmarkMemberBulkSeed times seeding 100,000 members (with their groups)
// in one transaction; run it with -benchtime 1x.
func BenchmarkMemberBulkSeed(b *testing.B) {
	for _, schema := range memberWriteSchemas {
		b.Run(schema.name, func(b *testing.B) {
			s := openAtVersion(b, schema.version)
			for i := range b.N {
				bulkSeedMembers(b, s, fmt.Sprint(i), 100_000)
			}
		})
	}
}

// BenchmarkMemberWrites times single writes, each its own transaction
// through the writer, in an organization of 100,000 members (seeded
// untimed): adding a member (a new account and its membership), renaming
// an account (copied into its membership and group memberships) and
// changing a member's role.
func BenchmarkMemberWrites(b *testing.B) {
	ctx := context.Background()
	roles := []access.Role{access.RoleAgent, access.RoleSales}
	for _, schema := range memberWriteSchemas {
		b.Run(schema.name, func(b *testing.B) {
			s := openAtVersion(b, schema.version)
			orgID := bulkSeedMembers(b, s, "base", 100_000)
			var ids []int64 // memberships and their accounts, spread over the organization
			var users []int64
			rows, err := s.r.Query(`SELECT id, user_id FROM memberships WHERE org_id = ? AND id % 97 = 0`, orgID)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var id, user int64
				if err := rows.Scan(&id, &user); err != nil {
					b.Fatal(err)
				}
				ids, users = append(ids, id), append(users, user)
			}
			rows.Close()
			if len(ids) < 1000 {
				b.Fatalf("only %d memberships to change", len(ids))
			}
			write := func(b *testing.B, fn TxFunc) {
				if err := s.Write(ctx, fn); err != nil {
					b.Fatal(err)
				}
			}
			added := 0
			b.Run("insert member", func(b *testing.B) {
				for b.Loop() {
					added++
					write(b, func(tx *Tx) error {
						u, err := tx.CreateUser(ctx, fmt.Sprintf("new%d@bench.test", added), fmt.Sprintf("Newcomer %d Smith", added), "")
						if err != nil {
							return err
						}
						_, err = tx.AddMember(ctx, orgID, u.ID, access.RoleAgent, domain.StatusActive, nil)
						return err
					})
				}
			})
			i := 0
			b.Run("update name", func(b *testing.B) {
				for b.Loop() {
					i++
					write(b, func(tx *Tx) error {
						_, err := tx.Exec(ctx, `UPDATE users SET name = ? WHERE id = ?`, fmt.Sprintf("Renamed %d Jones", i), users[i%len(users)])
						return err
					})
				}
			})
			b.Run("update role", func(b *testing.B) {
				for b.Loop() {
					i++
					write(b, func(tx *Tx) error { return tx.SetRole(ctx, orgID, ids[i%len(ids)], roles[i%2]) })
				}
			})
		})
	}
}
