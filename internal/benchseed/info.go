package benchseed

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strconv"

	_ "modernc.org/sqlite" // the driver the store uses

	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// Info is what the load generator needs to know about a seeded database.
type Info struct {
	OrgID        int64
	Members      int
	Groups       int
	Customers    int
	GroupLinks   int // rows of group_members
	Teams        int
	TeamLinks    int     // rows of team_members
	SaveGroups   []int64 // custom groups of median size, for permission saves
	CustomerIDs  []int64 // a sample of every customer (owner edits)
	AgentCustIDs []int64 // the agent actor's customers (agent edits)
	Chats        int     // conversations
	Messages     int     // their messages
	LongChat     int64   // the agent's conversation of LongThread messages
	LongChatLast int64   // its newest message (the poll that answers 204 asks after it)
	ChatsDeep    string  // the ?before= cursor of the "All" list after 1,000 rows (the deep page)
}

// Lookup reads Info from a seeded database, read-only.
func Lookup(ctx context.Context, path string, saveGroups int) (Info, error) {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return Info{}, err
	}
	defer db.Close()
	var in Info
	if err := db.QueryRowContext(ctx, `SELECT id FROM organizations WHERE slug = ?`, Slug).Scan(&in.OrgID); err != nil {
		return Info{}, errors.Join(errors.New("benchseed: no bench organization"), err)
	}
	for q, dst := range map[string]*int{
		`SELECT COUNT(*) FROM memberships WHERE org_id = ?1`:                                            &in.Members,
		`SELECT COUNT(*) FROM groups WHERE org_id = ?1`:                                                 &in.Groups,
		`SELECT COUNT(*) FROM customers WHERE org_id = ?1`:                                              &in.Customers,
		`SELECT COUNT(*) FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE g.org_id = ?1`: &in.GroupLinks,
		`SELECT COUNT(*) FROM teams WHERE org_id = ?1`:                                                  &in.Teams,
		`SELECT COUNT(*) FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE t.org_id = ?1`:    &in.TeamLinks,
		`SELECT COUNT(*) FROM conversations WHERE org_id = ?1`:                                          &in.Chats,
		`SELECT COUNT(*) FROM messages WHERE org_id = ?1`:                                               &in.Messages,
	} {
		if err := db.QueryRowContext(ctx, q, in.OrgID).Scan(dst); err != nil {
			return Info{}, err
		}
	}
	// Groups around the median size: the typical group an admin edits.
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM groups WHERE org_id = ? AND predefined_key IS NULL`, in.OrgID).Scan(&n); err != nil {
		return Info{}, err
	}
	if in.SaveGroups, err = ids(ctx, db, `SELECT g.id FROM groups g WHERE g.org_id = ? AND g.predefined_key IS NULL
		ORDER BY (SELECT COUNT(*) FROM group_members gm WHERE gm.group_id = g.id), g.id LIMIT ? OFFSET ?`,
		in.OrgID, saveGroups, max(0, n/2-saveGroups/2)); err != nil {
		return Info{}, err
	}
	if in.CustomerIDs, err = ids(ctx, db, `SELECT id FROM customers WHERE org_id = ? ORDER BY id LIMIT 5000`, in.OrgID); err != nil {
		return Info{}, err
	}
	if in.AgentCustIDs, err = ids(ctx, db, `SELECT c.id FROM customers c JOIN memberships m ON m.id = c.assigned_to
		JOIN users u ON u.id = m.user_id WHERE c.org_id = ? AND u.email = ? ORDER BY c.id`, in.OrgID, AgentEmail); err != nil {
		return Info{}, err
	}
	if in.Chats > 0 {
		if err := db.QueryRowContext(ctx, `SELECT id, last_message_id FROM conversations WHERE org_id = ? ORDER BY id LIMIT 1`, in.OrgID).
			Scan(&in.LongChat, &in.LongChatLast); err != nil {
			return Info{}, err
		}
		var at, id int64
		if err := db.QueryRowContext(ctx, `SELECT updated_at, id FROM conversations WHERE org_id = ? ORDER BY updated_at DESC, id DESC
			LIMIT 1 OFFSET ?`, in.OrgID, min(1000, in.Chats-1)).Scan(&at, &id); err != nil {
			return Info{}, err
		}
		in.ChatsDeep = strconv.FormatInt(at, 10) + "." + strconv.FormatInt(id, 10)
	}
	return in, nil
}

func ids(ctx context.Context, db *sql.DB, q string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Actor is the membership in the bench organization of the actor (or any
// member) with this email.
func Actor(ctx context.Context, st *store.Store, email string) (domain.Membership, error) {
	org, err := st.OrgBySlug(ctx, Slug)
	if err != nil {
		return domain.Membership{}, err
	}
	u, err := st.UserByEmail(ctx, email)
	if err != nil {
		return domain.Membership{}, err
	}
	return st.MembershipOfUser(ctx, org.ID, u.ID)
}
