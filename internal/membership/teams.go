package membership

// The service team changes: create, rename and describe, delete (the
// records a team owns move to another team or to none), members and leads.
// Each runs in one transaction that re-reads the actor (holding
// service_teams_<action>) and writes its audit entry with before → after.
// Team changes grant nothing, so they are no anti-escalation question; they
// change scopes, which the version triggers account for (ARCHITECTURE.md,
// Teams).

import (
	"context"
	"errors"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// actingOnTeams is the actor as the transaction reads them: an active member
// of the organization holding service_teams_<need>.
func actingOnTeams(ctx context.Context, tx *store.Tx, a domain.Actor, need access.Action) error {
	_, err := tx.ActingFor(ctx, a.Org.ID, a.UserID, access.ModServiceTeams, need)
	switch {
	case errors.Is(err, store.ErrActorNoOrg) || errors.Is(err, store.ErrActorNotMember):
		return domain.Forbidden("Nothing was saved: you are not a member of %s.", a.Org.Name)
	case errors.Is(err, store.ErrActorSuspended) || errors.Is(err, store.ErrActorLacksPerm):
		msg := domain.AsError(err).Message
		return domain.Forbidden("Nothing was saved: %s%s", strings.ToLower(msg[:1]), msg[1:])
	}
	return err
}

// teamAudit is the audit entry of a change of team by a.
func teamAudit(a domain.Actor, action string, team string, before, after any) store.AuditEntry {
	return store.AuditEntry{OrgID: a.Org.ID, ActorID: a.UserID, ActorEmail: a.Email, Action: action,
		Target: "team " + team, Before: store.JSON(before), After: store.JSON(after), IP: a.IP}
}

// teamText is a team as its audit entries record it.
type teamText struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// CreateTeam adds a team and returns its id (invalid name or description,
// conflict when the name is taken).
func (s *Service) CreateTeam(ctx context.Context, a domain.Actor, name, description string) (int64, error) {
	var id int64
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := actingOnTeams(ctx, tx, a, access.Create); err != nil {
			return err
		}
		var err error
		if id, err = tx.CreateTeam(ctx, a.Org.ID, name, description); err != nil {
			return err
		}
		t, err := tx.Team(ctx, a.Org.ID, id)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, teamAudit(a, "team.create", t.Name, nil, teamText{t.Name, t.Description}))
	})
	return id, err
}

// UpdateTeam saves a team's name and description: a rename and a new
// description are audited apart (team.rename, team.describe). changed is
// false when neither differed.
func (s *Service) UpdateTeam(ctx context.Context, a domain.Actor, id int64, name, description string) (changed bool, err error) {
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := actingOnTeams(ctx, tx, a, access.Edit); err != nil {
			return err
		}
		cur, err := tx.Team(ctx, a.Org.ID, id)
		if err != nil {
			return err
		}
		if name, err = store.CheckTeamName(name); err != nil {
			return err
		}
		if description, err = store.CheckTeamDescription(description); err != nil {
			return err
		}
		// set writes one field that differs and audits it on its own.
		set := func(action, field, was, now string, write func(ctx context.Context, org, id int64, v string) error) error {
			if now == was {
				return nil
			}
			if err := write(ctx, a.Org.ID, id, now); err != nil {
				return err
			}
			changed = true
			return tx.Audit(ctx, teamAudit(a, action, name, map[string]string{field: was}, map[string]string{field: now}))
		}
		if err := set("team.rename", "name", cur.Name, name, tx.RenameTeam); err != nil {
			return err
		}
		return set("team.describe", "description", cur.Description, description, tx.DescribeTeam)
	})
	return changed, err
}

// DeleteTeam removes a team; the records it owns move to team moveTo (0:
// none) in the same transaction.
func (s *Service) DeleteTeam(ctx context.Context, a domain.Actor, id, moveTo int64) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := actingOnTeams(ctx, tx, a, access.Delete); err != nil {
			return err
		}
		cur, err := tx.Team(ctx, a.Org.ID, id)
		if err != nil {
			return err
		}
		heir := ""
		if moveTo != 0 {
			t, err := tx.Team(ctx, a.Org.ID, moveTo)
			if err != nil {
				return err
			}
			heir = t.Name
		}
		moved, err := tx.DeleteTeam(ctx, a.Org.ID, id, moveTo)
		if err != nil {
			return err
		}
		after := map[string]any{"records_moved": moved, "moved_to": nil}
		if heir != "" {
			after["moved_to"] = heir
		}
		return tx.Audit(ctx, teamAudit(a, "team.delete", cur.Name, teamText{cur.Name, cur.Description}, after))
	})
}

// teamMember is the team and the member of a change to a team's members,
// read in tx once the actor may edit teams (service_teams_edit).
func teamMember(ctx context.Context, tx *store.Tx, a domain.Actor, teamID, membershipID int64) (domain.Team, store.MemberInfo, error) {
	if err := actingOnTeams(ctx, tx, a, access.Edit); err != nil {
		return domain.Team{}, store.MemberInfo{}, err
	}
	t, err := tx.Team(ctx, a.Org.ID, teamID)
	if err != nil {
		return t, store.MemberInfo{}, err
	}
	mi, err := tx.MemberInfo(ctx, a.Org.ID, membershipID)
	if errors.Is(err, store.ErrNotFound) {
		return t, mi, notFound("No such member in %s.", a.Org.Name)
	}
	return t, mi, err
}

// AddTeamMember puts a member in a team (needs service_teams_edit). Adding a
// member who is already in it changes nothing and records nothing.
func (s *Service) AddTeamMember(ctx context.Context, a domain.Actor, teamID, membershipID int64) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		t, mi, err := teamMember(ctx, tx, a, teamID, membershipID)
		if err != nil {
			return err
		}
		added, err := tx.AddTeamMember(ctx, a.Org.ID, teamID, membershipID)
		if err != nil || !added {
			return err
		}
		return tx.Audit(ctx, teamAudit(a, "team.member.add", t.Name, nil, map[string]string{"member": mi.Email}))
	})
}

// RemoveTeamMember takes a member out of a team (a lead stops leading it).
func (s *Service) RemoveTeamMember(ctx context.Context, a domain.Actor, teamID, membershipID int64) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		t, mi, err := teamMember(ctx, tx, a, teamID, membershipID)
		if err != nil {
			return err
		}
		if err := tx.RemoveTeamMember(ctx, a.Org.ID, teamID, membershipID); err != nil {
			return err
		}
		return tx.Audit(ctx, teamAudit(a, "team.member.remove", t.Name, map[string]string{"member": mi.Email}, nil))
	})
}

// SetTeamLead makes a member of a team one of its leads (lead) or not. A
// lead must be a member of the team (invalid otherwise); being lead grants
// nothing. Setting what is already so records nothing.
func (s *Service) SetTeamLead(ctx context.Context, a domain.Actor, teamID, membershipID int64, lead bool) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		t, mi, err := teamMember(ctx, tx, a, teamID, membershipID)
		if err != nil {
			return err
		}
		was := false
		teams, err := tx.TeamsOfMember(ctx, a.Org.ID, membershipID)
		if err != nil {
			return err
		}
		for _, mt := range teams {
			if mt.TeamID == teamID {
				was = mt.Lead
			}
		}
		if err := tx.SetTeamLead(ctx, a.Org.ID, teamID, membershipID, lead); err != nil || was == lead {
			return err
		}
		action := "team.lead.set"
		if !lead {
			action = "team.lead.unset"
		}
		return tx.Audit(ctx, teamAudit(a, action, t.Name, map[string]any{"member": mi.Email, "lead": was},
			map[string]any{"member": mi.Email, "lead": lead}))
	})
}
