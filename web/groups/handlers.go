// Package groups is the organization's permission groups: the list, a group's page with its
// permission grid and its members, and their changes through the membership service.
package groups

import "gatehouse/web/app"

// Handlers answers the groups pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
}

// New makes the groups handlers.
func New(k *app.Kernel) *Handlers { return &Handlers{Kernel: k} }

// Screens binds the declared pages (internal/access/modules.go) these
// handlers answer, by page key.
func (s *Handlers) Screens() app.Screens {
	return app.Screens{
		"groups.home":            s.groupsList,
		"groups.new":             s.groupNew,
		"groups.create":          s.groupCreate,
		"groups.show":            s.groupDetail,
		"groups.candidates":      s.groupCandidates,
		"groups.update":          s.groupUpdate,
		"groups.preview":         s.groupPreview,
		"groups.reset":           s.groupReset,
		"groups.delete":          s.groupDelete,
		"groups.members.add":     s.groupMemberAdd,
		"groups.members.remove":  s.groupMemberRemove,
		"groups.members.confirm": s.removePreview,
	}
}
