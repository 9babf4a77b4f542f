package store

import "context"

// AuditActions lists the distinct actions recorded in an organization's log,
// sorted, for the audit log's action filter.
func (r reads) AuditActions(ctx context.Context, orgID int64) ([]string, error) {
	rows, err := r.q.query(ctx, `SELECT DISTINCT action FROM audit_log WHERE org_id = ? ORDER BY action`, orgID)
	return collect(rows, err, scanText)
}

// EachAudit streams an organization's entries matching f, newest first, to
// fn in pages (the CSV export: every filtered row without holding them all).
// f.Before and f.Limit are ignored: the whole filtered log is visited.
func (r reads) EachAudit(ctx context.Context, orgID int64, f AuditFilter, fn func(AuditEntry) error) error {
	const page = 500
	f.Before, f.Limit = 0, page
	for {
		batch, err := r.AuditLog(ctx, orgID, f)
		if err != nil {
			return err
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < page {
			return nil
		}
		f.Before = batch[len(batch)-1].ID
	}
}
