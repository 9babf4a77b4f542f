package store

import (
	"context"
	"encoding/json"

	"gatehouse/internal/access"
)

// AuditEntry is one recorded change.
type AuditEntry struct {
	ID         int64
	OrgID      int64 // 0 for instance-level events
	ActorID    int64
	ActorEmail string
	Action     string // e.g. "member.role", "group.update", "org.create"
	Target     string // human-readable: "bob@example.com", "group Sales Team"
	Before     string // JSON
	After      string // JSON
	IP         string
	At         int64
}

// JSON renders a value for an audit before/after column ("" for nil).
func JSON(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case access.Set: // the common case, memoized
		enc, _ := encodeSet(x)
		return enc
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// Audit records a change inside the transaction that makes it, so the log
// and the change land together or not at all.
func (tx *Tx) Audit(ctx context.Context, e AuditEntry) error {
	var org, actor any
	if e.OrgID != 0 {
		org = e.OrgID
	}
	if e.ActorID != 0 {
		actor = e.ActorID
	}
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (org_id, actor_id, actor_email, action, target, before_json, after_json, ip, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, org, actor, e.ActorEmail, e.Action, e.Target, e.Before, e.After, e.IP, tx.Now())
	return err
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Actor  string // substring of the actor email
	Target string // substring of the target
	Action string // exact action or prefix ending in "."
	From   int64  // Unix seconds, inclusive; 0 = open
	To     int64  // Unix seconds, exclusive; 0 = open
	Before int64  // keyset: entries with id < Before; 0 = newest
	Limit  int
}

// AuditLog lists an organization's entries newest first.
func (r reads) AuditLog(ctx context.Context, orgID int64, f AuditFilter) ([]AuditEntry, error) {
	q := `SELECT id, COALESCE(org_id, 0), COALESCE(actor_id, 0), actor_email, action, target, before_json, after_json, ip, at
		FROM audit_log WHERE org_id = ?`
	args := []any{orgID}
	if f.Actor != "" {
		q += ` AND actor_email LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(f.Actor)+"%")
	}
	if f.Target != "" {
		q += ` AND target LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(f.Target)+"%")
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			q += ` AND action LIKE ? ESCAPE '\'`
			args = append(args, likeEscape(f.Action)+"%")
		} else {
			q += ` AND action = ?`
			args = append(args, f.Action)
		}
	}
	if f.From != 0 {
		q += ` AND at >= ?`
		args = append(args, f.From)
	}
	if f.To != 0 {
		q += ` AND at < ?`
		args = append(args, f.To)
	}
	if f.Before != 0 {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	q += ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := r.q.query(ctx, q, args...)
	return collect(rows, err, func(sc scanner, e *AuditEntry) error {
		return sc.Scan(&e.ID, &e.OrgID, &e.ActorID, &e.ActorEmail, &e.Action, &e.Target, &e.Before, &e.After, &e.IP, &e.At)
	})
}

// likeEscape escapes LIKE wildcards in user input.
func likeEscape(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' || c == '_' || c == '\\' {
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}
