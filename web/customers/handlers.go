// Package customers is the customers module, the reference module: every action is gated by its
// own permission, and every query carries the member's scope into SQL.
package customers

import (
	"gatehouse/views/customers"
	"gatehouse/web/app"
)

// Handlers answers the customers pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
	list listCache // pages of the list, per customers_version
	// markup: rendered rows and page links of the lists, keyed by the
	// whole Row and Pager.
	markup *customers.Memo
}

// New makes the customers handlers.
func New(k *app.Kernel) *Handlers {
	return &Handlers{Kernel: k, list: newListCache(), markup: customers.NewMemo()}
}

// Screens binds the declared pages (internal/access/modules.go) these
// handlers answer, by page key.
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"customers.home":   s.customersHome,
		"customers.mine":   s.customersMine,
		"customers.team":   s.customersTeam,
		"customers.all":    s.customersAll,
		"customers.export": s.customersExport,
		"customers.new":    s.customerNew,
		"customers.create": s.customerCreate,
		"customers.show":   s.customerShow,
		"customers.edit":   s.customerEdit,
		"customers.update": s.customerUpdate,
		"customers.delete": s.customerDelete,
	}
}
