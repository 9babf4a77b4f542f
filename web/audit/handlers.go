// Package audit is the organization's audit log: its page and its CSV export.
package audit

import "gatehouse/web/app"

// Handlers are the audit handlers; they hold the kernel.
type Handlers struct {
	*app.Kernel
}

// New makes the audit handlers.
func New(k *app.Kernel) *Handlers { return &Handlers{Kernel: k} }

// Screens binds the pages audit declares (internal/access/modules.go) to
// their handlers.
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"audit.home":   s.auditLog,
		"audit.export": s.auditExport,
	}
}
