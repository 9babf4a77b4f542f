// Package audit is the organization's audit log: its page and its CSV export.
package audit

import "gatehouse/web/app"

// Handlers answers the audit pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
}

// New makes the audit handlers.
func New(k *app.Kernel) *Handlers { return &Handlers{Kernel: k} }

// Screens binds the declared pages (internal/access/modules.go) these
// handlers answer, by page key.
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"audit.home":   s.auditLog,
		"audit.export": s.auditExport,
	}
}
