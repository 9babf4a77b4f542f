package membership

// The group changes: create, edit, reset a predefined group to its default,
// delete, and add or remove members. Each runs in one transaction with its
// anti-escalation check (ARCHITECTURE.md, Anti-escalation: nobody grants what
// they do not hold themselves) and its audit entry, so the web handlers only
// parse, call and render.

import (
	"context"
	"errors"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// groupAudit is the audit entry of a group change by a.
func groupAudit(a domain.Actor, action, target, before, after string) store.AuditEntry {
	return store.AuditEntry{OrgID: a.Org.ID, ActorID: a.UserID, ActorEmail: a.Email, Action: action,
		Target: target, Before: before, After: after, IP: a.IP}
}

// acting is the actor as the transaction reads them: an active member of
// the organization holding groups_<need>. Its Org is the organization as
// read in the transaction too (its products decide what a set grants).
func acting(ctx context.Context, tx *store.Tx, a domain.Actor, need access.Action) (store.Acting, error) {
	act, err := tx.ActingFor(ctx, a.Org.ID, a.UserID, access.ModGroups, need)
	switch {
	case errors.Is(err, store.ErrActorNoOrg) || errors.Is(err, store.ErrActorNotMember):
		return act, domain.Forbidden("Nothing was saved: you are not a member of %s.", a.Org.Name)
	case errors.Is(err, store.ErrActorSuspended) || errors.Is(err, store.ErrActorLacksPerm):
		msg := domain.AsError(err).Message // "Your access … is suspended." or "You don't have the permission …."
		return act, domain.Forbidden("Nothing was saved: %s%s", strings.ToLower(msg[:1]), msg[1:])
	}
	return act, err
}

// actingOnGroup is acting, then the group id of the actor's organization
// (another organization's id is not found), for the changes of one group.
func actingOnGroup(ctx context.Context, tx *store.Tx, a domain.Actor, need access.Action, id int64) (store.Acting, domain.Group, error) {
	act, err := acting(ctx, tx, a, need)
	if err != nil {
		return act, domain.Group{}, err
	}
	cur, err := tx.Group(ctx, a.Org.ID, id)
	return act, cur, err
}

// The service refuses with *domain.Error (ARCHITECTURE.md, Errors):
// forbidden for the actor and anti-escalation (Missing holds what the actor
// lacks, for a grid to mark or for Text to name after the message),
// conflict for what this kind of group cannot do and for a name taken
// (a message next to the form's name field).

// lacking refuses a change that would give the actor's missing set.
func lacking(missing access.Set, format string, args ...any) *domain.Error {
	return domain.Escalation("", missing, format, args...)
}

// checkGroupGrant is anti-escalation for a group's set: the actions and
// flags the actor lacks (for the grid to mark), then the field levels
// above their own (access.CheckGrant, ARCHITECTURE.md, Fields).
func checkGroupGrant(actor access.Effective, set access.Set) error {
	if missing := access.Ungrantable(actor, set); !missing.IsEmpty() {
		return lacking(missing, "Nothing was saved: you can only grant permissions you hold yourself.")
	}
	if err := access.CheckGrant(actor, set); err != nil {
		return escalation("perm", "Nothing was saved", err)
	}
	return nil
}

// CreateGroup adds a custom group and returns its id.
func (s *Service) CreateGroup(ctx context.Context, a domain.Actor, name, description string, set access.Set) (int64, error) {
	var id int64
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		act, err := acting(ctx, tx, a, access.Create)
		if err != nil {
			return err
		}
		if err := checkGroupGrant(act.Eff, set); err != nil {
			return err
		}
		if err := nameFree(ctx, tx, a.Org.ID, name, 0); err != nil {
			return err
		}
		if id, err = tx.CreateGroup(ctx, a.Org.ID, name, description, set, ""); errors.Is(err, store.ErrConflict) {
			return nameTaken(name) // the unique index agrees with nameFree; this is its backstop
		} else if err != nil {
			return err
		}
		return tx.Audit(ctx, groupAudit(a, "group.create", "group "+name, "", store.JSON(set)))
	})
	return id, err
}

// UpdateGroup saves a group's name, description and grid; shown is the grid as
// submitted, over the organization's products. Grants kept for products
// the organization no longer has (actions, flags and field levels) are left
// as they are (they are inert and the grid does not show them). changed is
// false when nothing differed.
func (s *Service) UpdateGroup(ctx context.Context, a domain.Actor, id int64, name, description string, shown access.Set) (changed bool, err error) {
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		act, cur, err := actingOnGroup(ctx, tx, a, access.Edit, id)
		if err != nil {
			return err
		}
		if err := checkGroupGrant(act.Eff, shown); err != nil {
			return err
		}
		set := shown.KeepOutside(cur.Set, act.Org.Products)
		if cur.Name == name && cur.Description == description && cur.Set == set {
			return nil
		}
		// Only a new name can collide (the check reads all the
		// organization's group names: most of a permission save's cost).
		if cur.Name != name {
			if err := nameFree(ctx, tx, a.Org.ID, name, id); err != nil {
				return err
			}
			err = tx.UpdateGroup(ctx, a.Org.ID, id, name, description, set)
		} else {
			err = tx.UpdateGroupContent(ctx, a.Org.ID, id, description, set)
		}
		if err != nil {
			return err
		}
		target := "group " + name
		if cur.Name != name {
			target += " (renamed from " + cur.Name + ")"
		}
		changed = true
		return tx.Audit(ctx, groupAudit(a, "group.update", target, store.JSON(cur.Set), store.JSON(set)))
	})
	return changed, err
}

// ResetGroup sets a predefined group's permissions back to its default (within
// the organization's products).
func (s *Service) ResetGroup(ctx context.Context, a domain.Actor, id int64) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		act, cur, err := actingOnGroup(ctx, tx, a, access.Edit, id)
		if err != nil {
			return err
		}
		def, ok := access.PredefinedGroup(cur.PredefinedKey)
		if !ok {
			return domain.Conflict("", "%s is a custom group: only predefined groups have a default to reset to.", cur.Name)
		}
		set := def.Set.RestrictTo(act.Org.Products)
		if missing := access.Ungrantable(act.Eff, set); !missing.IsEmpty() {
			return lacking(missing, "Not reset: the default of %s grants permissions you do not hold yourself", cur.Name)
		}
		if err := tx.UpdateGroupContent(ctx, a.Org.ID, id, cur.Description, set); err != nil {
			return err
		}
		return tx.Audit(ctx, groupAudit(a, "group.reset", "group "+cur.Name, store.JSON(cur.Set), store.JSON(set)))
	})
}

// DeleteGroup removes a custom group and returns how many members it had.
// Members for whom it was the only group fall back to their role template
// (ARCHITECTURE.md, Layers, rule 5), which may grant more than the group did: the actor
// must hold any such gain. Those members differ only by role (individual
// permissions and the owner role leave the group inert, and losing one of
// several groups only takes), so the change is judged once per role.
func (s *Service) DeleteGroup(ctx context.Context, a domain.Actor, id int64) (members int, err error) {
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		act, cur, err := actingOnGroup(ctx, tx, a, access.Delete, id)
		if err != nil {
			return err
		}
		if cur.Predefined() {
			return domain.Conflict("", "%s is a predefined group: it cannot be deleted. You can edit it, or reset it to its default.", cur.Name)
		}
		roles, err := tx.SoleGroupRoles(ctx, a.Org.ID, id)
		if err != nil {
			return err
		}
		for _, role := range roles {
			// Such a member as the store assembles them, in the group and
			// without it (individual permissions and owners are not among them).
			before := store.Assemble(domain.Membership{Role: role, Status: domain.StatusActive}, act.Org.Products, store.Grants([]domain.Group{cur}))
			after := before
			after.Groups = nil
			if missing := access.UnheldGain(act.Eff, before, after); !missing.IsEmpty() {
				return lacking(missing, "Not deleted: members whose only group is %s would fall back to the %s role's permissions, "+
					"which include permissions you do not hold yourself", cur.Name, role.Label())
			}
		}
		if members, err = tx.GroupMemberCount(ctx, id); err != nil {
			return err
		}
		if err := tx.DeleteGroup(ctx, a.Org.ID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, groupAudit(a, "group.delete", "group "+cur.Name, store.JSON(cur.Set), ""))
	})
	return members, err
}

// AddToGroup puts a member in a group. Adding grants the whole group, so the
// actor must hold all of it; only an owner changes an owner's groups.
// already is true when the member was in the group (nothing written).
func (s *Service) AddToGroup(ctx context.Context, a domain.Actor, groupID, membershipID int64) (target store.GroupMember, already bool, err error) {
	err = s.db.Write(ctx, func(tx *store.Tx) (err error) {
		target, already, err = addToGroup(ctx, tx, a, groupID, membershipID)
		return err
	})
	return target, already, err
}

func addToGroup(ctx context.Context, tx *store.Tx, a domain.Actor, groupID, membershipID int64) (target store.GroupMember, already bool, err error) {
	act, t, err := mayChangeGroupsOf(ctx, tx, a, membershipID)
	if target = t; err != nil {
		return target, false, err
	}
	cur, err := tx.Group(ctx, a.Org.ID, groupID)
	if err != nil {
		return target, false, err
	}
	if missing := access.Ungrantable(act.Eff, cur.Set.RestrictTo(act.Org.Products)); !missing.IsEmpty() {
		return target, false, lacking(missing, "Not added: %s grants permissions you do not hold yourself", cur.Name)
	}
	if err := access.CheckGrant(act.Eff, GroupGrant(cur, act.Org.Products)); err != nil { // its field levels
		return target, false, escalation("", "Not added: "+cur.Name+" grants field levels above your own", err)
	}
	before, err := tx.GroupsOfMember(ctx, a.Org.ID, membershipID)
	if err != nil {
		return target, false, err
	}
	for _, bg := range before {
		if bg.ID == groupID {
			return target, true, nil
		}
	}
	if err := tx.AddGroupMember(ctx, a.Org.ID, groupID, membershipID); err != nil {
		return target, false, err
	}
	after, err := tx.GroupsOfMember(ctx, a.Org.ID, membershipID)
	if err != nil {
		return target, false, err
	}
	return target, false, tx.Audit(ctx, groupAudit(a, "group.member_add", target.Email, groupsJSON(before), groupsJSON(after)))
}

// RemoveFromGroup takes a member out of a group. Leaving a group usually only
// takes away, but leaving the last one falls back to the role template:
// the actor must hold any gain. A member not in the group is not found.
func (s *Service) RemoveFromGroup(ctx context.Context, a domain.Actor, groupID, membershipID int64) (target store.GroupMember, err error) {
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return removeFromGroup(ctx, tx, a, groupID, membershipID, &target)
	})
	return target, err
}

// removeFromGroup is RemoveFromGroup in tx; target is set once loaded.
func removeFromGroup(ctx context.Context, tx *store.Tx, a domain.Actor, groupID, membershipID int64, target *store.GroupMember) error {
	act, t, err := mayChangeGroupsOf(ctx, tx, a, membershipID)
	if *target = t; err != nil {
		return err
	}
	m, err := tx.Membership(ctx, a.Org.ID, membershipID)
	if err != nil {
		return err
	}
	before, err := tx.GroupsOfMember(ctx, a.Org.ID, membershipID)
	if err != nil {
		return err
	}
	var left domain.Group
	var rest []domain.Group
	for _, bg := range before {
		if bg.ID == groupID {
			left = bg
		} else {
			rest = append(rest, bg)
		}
	}
	if len(rest) == len(before) {
		return store.ErrNotFound
	}
	missing, ch, err := tx.JudgeChange(ctx, act.Org, act.Eff, m, func(in *access.Input) { in.Groups = store.Grants(rest) })
	if err != nil {
		return err
	}
	if !missing.IsEmpty() {
		return lacking(missing, "Not removed: without %s, %s would %s, which include permissions you do not hold yourself",
			left.Name, orName(*target), fallsBackTo(ch.After))
	}
	if err := tx.RemoveGroupMember(ctx, a.Org.ID, groupID, membershipID); err != nil {
		return err
	}
	return tx.Audit(ctx, groupAudit(a, "group.member_remove", target.Email, groupsJSON(before), groupsJSON(rest)))
}

// fallsBackTo words what decides a member's permissions after a change.
func fallsBackTo(after access.Input) string {
	switch e := access.Resolve(after); e.Layer {
	case access.LayerGroups:
		names := make([]string, len(after.Groups))
		for i, g := range after.Groups {
			names[i] = g.Name
		}
		return "hold the permissions of " + strings.Join(names, ", ")
	case access.LayerCustom:
		return "hold their individual permissions"
	default:
		return "fall back to the " + after.Role.Label() + " role's permissions"
	}
}

func orName(t store.GroupMember) string {
	if t.Name != "" {
		return t.Name
	}
	return t.Email
}

// mayChangeGroupsOf re-reads the actor (groups_edit), loads the member whose
// groups change and applies the owner rule of MayTouch (OwnersOnly): only an owner
// changes an owner's groups. Rank is not this page's rule: what a change of a group's
// members grants or hands back is judged on its own (the whole group to
// add someone, store.JudgeChange to take them out), under groups_edit.
func mayChangeGroupsOf(ctx context.Context, tx *store.Tx, a domain.Actor, membershipID int64) (store.Acting, store.GroupMember, error) {
	act, err := acting(ctx, tx, a, access.Edit)
	if err != nil {
		return act, store.GroupMember{}, err
	}
	target, err := tx.MemberForGroup(ctx, act.Org.ID, membershipID)
	if err != nil {
		return act, target, err
	}
	if OwnersOnly(act.Eff, target.Role) {
		return act, target, domain.Escalation("", access.Set{}, "Only an owner can change an owner's groups.")
	}
	return act, target, nil
}

// nameFree refuses a name another group of the organization has (except
// the group id itself).
func nameFree(ctx context.Context, tx *store.Tx, orgID int64, name string, id int64) error {
	taken, err := tx.GroupNameTaken(ctx, orgID, name, id)
	if err != nil {
		return err
	}
	if taken {
		return nameTaken(name)
	}
	return nil
}

func nameTaken(name string) *domain.Error {
	return domain.Conflict("name", "A group named %q already exists in this organization.", name)
}

func groupsJSON(gs []domain.Group) string {
	return store.JSON(map[string]any{"groups": store.GroupNames(gs)})
}
