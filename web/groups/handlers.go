// Package groups is the organization's permission groups: the list, a group's page with its
// permission grid and its members, and their changes through the membership service.
package groups

import (
	"gatehouse/internal/cache"
	"gatehouse/internal/store"
	"gatehouse/web/app"
)

// Handlers answers the groups pages; it holds the kernel.
type Handlers struct {
	*app.Kernel
	// What a group change's impact reads (preview.go, groupImpact), kept
	// by the version it was read at: a group's members' shape per members
	// version (a permission save does not move it), the organization's
	// groups per permission version (a preview and its save share them).
	shapes *cache.Cache[groupAt, store.GroupMembersShape]
	grants *cache.Cache[groupAt, store.GroupGrants]
}

// groupAt is a group (0: all of them) of an organization at a version.
// groupAt keys the caches: organization, group, version and, for the
// members' shape, the organization's next grant end (domain.Org.NextExpiry:
// at it a member may leave the group with nothing written).
type groupAt struct{ org, group, version, expiry int64 }

// New makes the groups handlers.
func New(k *app.Kernel) *Handlers {
	return &Handlers{Kernel: k, shapes: cache.New[groupAt, store.GroupMembersShape](1024, 8<<20, 0),
		grants: cache.New[groupAt, store.GroupGrants](64, 4<<20, 0)}
}

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
