// Package accounts is signing up, in and out: sign-up, log-in, log-out, password reset, address
// confirmation and the instance's first admin (setup).
package accounts

import "gatehouse/web/app"

// Handlers answers the accounts pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
}

// New makes the accounts handlers.
func New(k *app.Kernel) *Handlers { return &Handlers{Kernel: k} }
