package store

import (
	"context"
	"database/sql"
	"errors"

	"gatehouse/internal/access"
)

// Replies sent by email (ARCHITECTURE.md, Conversations): a reply on an
// email channel is stored "queued" with the conversation, mailed after the
// commit, then marked here.

// MarkReplySent marks the queued reply id of orgID as sent. A reply that
// is no longer queued (or gone with its conversation) is left as it is.
func (tx *Tx) MarkReplySent(ctx context.Context, orgID, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE messages SET sent_state = 'sent' WHERE id = ? AND org_id = ? AND kind = 'reply' AND sent_state = 'queued'`, id, orgID)
	return err
}

// MarkReplyUnsent records that the queued reply id of orgID could not be
// mailed: it becomes "stored" (kept, not sent) and the thread says why in
// an event by the reply's author. changed is false when the reply was no longer queued.
func (tx *Tx) MarkReplyUnsent(ctx context.Context, orgID, id int64, why string) (changed bool, err error) {
	var conv, author int64
	err = tx.QueryRow(ctx, `UPDATE messages SET sent_state = 'stored' WHERE id = ? AND org_id = ? AND kind = 'reply' AND sent_state = 'queued'
		RETURNING conversation_id, COALESCE(author_id, 0)`, id, orgID).Scan(&conv, &author)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, tx.event(ctx, ScopeIn(orgID, access.ScopeAll, 0), conv, author, why) // written as the reply's author
}
