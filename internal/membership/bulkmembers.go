package membership

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// BulkChunk is how many members one write transaction changes at most,
// and BulkChunkTime how long it may hold the writer, so other saves
// interleave between chunks: a member's change (its checks, the status
// copied into every index and group row) takes about a millisecond, so
// 500 in one transaction held the writer for most of a second and single
// saves waited a second or more (BenchmarkMembersBulkSuspendSingleSaves).
const (
	BulkChunk     = 500
	BulkChunkTime = 40 * time.Millisecond
)

// The bulk actions on the members list.
const (
	BulkSuspend  = "suspend"
	BulkReenable = "reenable"
	BulkRemove   = "remove"
	BulkRole     = "role"
	BulkGroupAdd = "group_add"
	BulkGroupDel = "group_remove"
)

// BulkAction is one bulk action and its argument.
type BulkAction struct {
	Action  string
	Role    string // BulkRole: the new role
	GroupID int64  // BulkGroupAdd, BulkGroupDel
}

// BulkRefusal is one member the bulk action left alone, and why.
type BulkRefusal struct {
	ID     int64
	Who    string // name or email; the id for one not in the organization
	Reason string
}

// BulkResult says what a bulk action did.
type BulkResult struct {
	Done    int
	Refused []BulkRefusal
}

// BulkMembers runs one action over many members, each checked by the same
// rules as the single action (owner protection, anti-escalation, not
// yourself); a refused member is listed and skipped. Members are changed in
// chunks of at most BulkChunk members and BulkChunkTime, each chunk
// all-or-nothing on a storage error.
func (s *Service) BulkMembers(ctx context.Context, a domain.Actor, act BulkAction, ids []int64) (BulkResult, error) {
	need, one, err := bulkAction(act)
	if err != nil {
		return BulkResult{}, err
	}
	if len(ids) == 0 {
		return BulkResult{}, invalid("ids", "Select at least one member.")
	}
	var res BulkResult
	for start := 0; start < len(ids); {
		chunk := ids[start:min(start+BulkChunk, len(ids))]
		var part BulkResult // reset on every attempt of the transaction
		var n int           // members of chunk this attempt went through
		err := s.write(ctx, a, need, func(sc *scope) error {
			part, n = BulkResult{}, 0
			deadline := time.Now().Add(BulkChunkTime)
			for _, id := range chunk {
				if n > 0 && time.Now().After(deadline) {
					break // the rest in the next transaction
				}
				n++
				err := one(sc, id)
				if errors.Is(err, store.ErrNotFound) { // a group change's target: not in the organization, or not in the group
					err = notFound("Not in %s or not in that group.", sc.org.Name)
				}
				if e := domain.AsError(err); e != nil {
					who := "#" + strconv.FormatInt(id, 10)
					if t, err := sc.member(id); err == nil {
						who = displayName(t)
					}
					part.Refused = append(part.Refused, BulkRefusal{ID: id, Who: who, Reason: e.Message})
					continue
				} else if err != nil {
					return err
				}
				part.Done++
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		start += n
		res.Done += part.Done
		res.Refused = append(res.Refused, part.Refused...)
	}
	return res, nil
}

// bulkAction is the permission and the per-member change of an action.
func bulkAction(act BulkAction) (access.Action, func(sc *scope, id int64) error, error) {
	switch act.Action {
	case BulkSuspend:
		return access.Edit, (*scope).suspend, nil
	case BulkReenable:
		return access.Edit, (*scope).reenable, nil
	case BulkRemove:
		return access.Delete, (*scope).remove, nil
	case BulkRole:
		role, ok := access.ParseRole(act.Role)
		if !ok {
			return 0, nil, invalid("role", "Choose a role from the list.")
		}
		return access.Edit, func(sc *scope, id int64) error { return sc.changeRole(id, role) }, nil
	case BulkGroupAdd, BulkGroupDel:
		if act.GroupID <= 0 {
			return 0, nil, invalid("group", "Choose a group from the list.")
		}
		// The group rules (groups_edit, the whole group held) are the
		// group page's own, checked per member.
		if act.Action == BulkGroupDel {
			return access.Edit, func(sc *scope, id int64) error {
				var t store.GroupMember
				return removeFromGroup(sc.ctx, sc.tx, sc.actor, act.GroupID, id, &t)
			}, nil
		}
		return access.Edit, func(sc *scope, id int64) error {
			t, already, err := addToGroup(sc.ctx, sc.tx, sc.actor, act.GroupID, id)
			if err == nil && already {
				return invalid("group", "%s is already in that group.", orName(t))
			}
			return err
		}, nil
	}
	return 0, nil, invalid("action", "%s", fmt.Sprintf("Choose an action from the list (not %q).", act.Action))
}
