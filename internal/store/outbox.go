package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// OutboxMask stands in a stored mail for a link's token once the token is
// used, replaced or expired (and, with SMTP, once the mail is sent).
const OutboxMask = "[hidden]"

// outboxSecretTTL bounds how long a token that belongs to no known token
// table stays readable in the outbox.
const outboxSecretTTL = 24 * 60 * 60

// tokenTables are the tables of mailed tokens: each keeps token_hash and
// expires_at, and open says when a row's token still works. A table added
// here wants the two triggers of migration 9 that forget an outbox secret
// when its row is used or deleted.
var tokenTables = []struct{ table, open string }{
	{"password_resets", "used_at IS NULL"},
	{"invites", "accepted_at IS NULL AND revoked_at IS NULL"},
	{"email_tokens", "used_at IS NULL"},
}

// secretExpiryQuery answers a token's expiry: its row's when it is open,
// 0 when its row is closed, ?2 (a day from now) when no table knows it.
// secretLiveQuery lists the live secrets of a range of outbox ids.
var secretExpiryQuery, secretLiveQuery = func() (string, string) {
	var open, known, dead []string
	for _, t := range tokenTables {
		open = append(open, "(SELECT expires_at FROM "+t.table+" WHERE token_hash = ?1 AND "+t.open+")")
		known = append(known, "EXISTS (SELECT 1 FROM "+t.table+" WHERE token_hash = ?1)")
		dead = append(dead, "AND NOT EXISTS (SELECT 1 FROM "+t.table+" t WHERE t.token_hash = x.token_hash AND (NOT ("+
			t.open+") OR t.expires_at <= ?3))")
	}
	return "SELECT COALESCE(" + strings.Join(open, ", ") + ", CASE WHEN " + strings.Join(known, " OR ") + " THEN 0 END, ?2)",
		`SELECT x.outbox_id, x.pos, x.secret FROM outbox_secrets x
		WHERE x.outbox_id BETWEEN ?1 AND ?2 AND x.expires_at > ?3 ` + strings.Join(dead, " ")
}()

// OutboxMail is a stored mail. Body shows the tokens that are still live
// and OutboxMask where a token was.
type OutboxMail struct {
	ID        int64
	To        string
	Subject   string
	Body      string
	CreatedAt int64
}

type outboxSecret struct {
	pos    int
	secret string
}

// maskSecrets replaces every occurrence of each secret in body with
// OutboxMask and returns where each mask landed in the result.
func maskSecrets(body string, secrets []string) (string, []outboxSecret) {
	var b strings.Builder
	var out []outboxSecret
	for {
		at, which := -1, ""
		for _, s := range secrets {
			if s == "" {
				continue
			}
			if i := strings.Index(body, s); i >= 0 && (at < 0 || i < at || (i == at && len(s) > len(which))) {
				at, which = i, s
			}
		}
		if at < 0 {
			b.WriteString(body)
			return b.String(), out
		}
		b.WriteString(body[:at])
		out = append(out, outboxSecret{pos: b.Len(), secret: which})
		b.WriteString(OutboxMask)
		body = body[at+len(which):]
	}
}

// unmask puts the live secrets back where their masks are.
func unmask(body string, live []outboxSecret) string {
	sort.Slice(live, func(i, j int) bool { return live[i].pos > live[j].pos })
	for _, s := range live {
		if s.pos < 0 || s.pos+len(OutboxMask) > len(body) || body[s.pos:s.pos+len(OutboxMask)] != OutboxMask {
			continue
		}
		body = body[:s.pos] + s.secret + body[s.pos+len(OutboxMask):]
	}
	return body
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// AddOutbox stores a mail (implements mail.OutboxStore). The body is
// stored with its secrets (the tokens of its links) masked; each secret is
// kept beside it with its token's expiry, read from the token's own table
// (tokenTables),
// until the token is used or expires. Secrets that have expired are
// deleted on the way.
func (s *Store) AddOutbox(ctx context.Context, to, subject, body string, secrets []string) (int64, error) {
	masked, found := maskSecrets(body, secrets)
	var id int64
	err := s.Write(ctx, func(tx *Tx) error {
		now := tx.Now()
		if _, err := tx.Exec(ctx, `DELETE FROM outbox_secrets WHERE expires_at <= ?`, now); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO outbox (to_addr, subject, body, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			to, subject, masked, now).Scan(&id); err != nil {
			return err
		}
		for _, f := range found {
			h := hashSecret(f.secret)
			// The token's own expiry when it is a known token; a day otherwise.
			var exp int64
			if err := tx.QueryRow(ctx, secretExpiryQuery, h, now+outboxSecretTTL).Scan(&exp); err != nil {
				return err
			}
			if exp <= now {
				continue // already used or expired: stays masked
			}
			if _, err := tx.Exec(ctx, `INSERT INTO outbox_secrets (outbox_id, pos, secret, token_hash, expires_at) VALUES (?, ?, ?, ?, ?)`,
				id, f.pos, f.secret, h, exp); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

// ForgetOutboxSecrets masks a stored mail's links for good (with SMTP, once
// the server has taken the mail).
func (s *Store) ForgetOutboxSecrets(ctx context.Context, id int64) error {
	_, err := s.exec(ctx, `DELETE FROM outbox_secrets WHERE outbox_id = ?`, id)
	return err
}

// Outbox lists the newest mails first, each link readable only while its
// token is live: unused, not replaced and unexpired.
func (r reads) Outbox(ctx context.Context, limit int) ([]OutboxMail, error) {
	rows, err := r.q.query(ctx, `SELECT id, to_addr, subject, body, created_at FROM outbox ORDER BY id DESC LIMIT ?`, limit)
	out, err := collect(rows, err, func(sc scanner, m *OutboxMail) error {
		return sc.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.CreatedAt)
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	now := r.Now()
	srows, err := r.q.query(ctx, secretLiveQuery, out[len(out)-1].ID, out[0].ID, now)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	live := map[int64][]outboxSecret{}
	for srows.Next() {
		var id int64
		var sec outboxSecret
		if err := srows.Scan(&id, &sec.pos, &sec.secret); err != nil {
			return nil, err
		}
		live[id] = append(live[id], sec)
	}
	if err := srows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if l := live[out[i].ID]; len(l) > 0 {
			out[i].Body = unmask(out[i].Body, l)
		}
	}
	return out, nil
}
