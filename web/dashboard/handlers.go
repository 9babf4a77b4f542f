// Package dashboard is an organization's home page (who the member is there, why they hold what
// they hold, a card per module they can open) and the generic page of every declared module page
// without a screen of its own.
package dashboard

import (
	"gatehouse/internal/access"
	"gatehouse/internal/cache"
	"gatehouse/web/app"
)

// Handlers answers the dashboard pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
	pages []access.Page // the declared pages (the generic pages link a module's lists)
	// modules: the dashboard's module cards, per permission set.
	modules *cache.HTML[modulesKey]
	figures figuresCache // the customer figures, per member and customers_version
}

// New makes the dashboard handlers for the declared pages.
func New(k *app.Kernel, pages []access.Page) *Handlers {
	return &Handlers{Kernel: k, pages: pages, modules: cache.NewHTML[modulesKey](256, 1<<20), figures: newFiguresCache()}
}

// Screens binds the declared pages (internal/access/modules.go) these
// handlers answer, by page key.
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"dashboard.home": s.dashboard,
	}
}
