// Package me is the signed-in account's own pages: My Profile (details, address, password, photo,
// sessions), photos, and My Permissions in an organization.
package me

import "gatehouse/web/app"

// Handlers answers the me pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
	explains explainCache // My Permissions content, per member and permission version
}

// New makes the me handlers.
func New(k *app.Kernel) *Handlers { return &Handlers{Kernel: k, explains: newExplainCache()} }

// CachedExplanations is how many My Permissions pages are cached (tests).
func (s *Handlers) CachedExplanations() int { return s.explains.entries.Len() }
