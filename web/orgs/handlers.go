// Package orgs is organizations from the account's side and their settings: My organizations with
// its invitations, the creation wizard, quote requests, the organization settings and the
// instance's outbox.
package orgs

import "gatehouse/web/app"

// Handlers answers the orgs pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
}

// New makes the orgs handlers.
func New(k *app.Kernel) *Handlers { return &Handlers{Kernel: k} }

// Screens binds the declared pages (internal/access/modules.go) these
// handlers answer, by page key.
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"settings.home": s.orgSettings,
		"settings.save": s.orgSettingsSave,
	}
}
