package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"gatehouse/internal/domain"
	"gatehouse/internal/names"
)

// Service teams (ARCHITECTURE.md, Teams). A team's name is unique in its
// organization, compared like organization names; its members are
// memberships of the same organization; a lead is a member of the team.
// Team changes grant nothing but change scopes: the triggers of bumps.go
// move perm_version (and members_version, customers_version) for them.

// Limits of a team's text fields.
const (
	TeamNameMax        = 100
	TeamDescriptionMax = 500
)

// errTeamNotFound is a team id that is not one of the organization's: the
// same answer for a missing team and another organization's (404).
func errTeamNotFound() *domain.Error {
	e := domain.NotFound("No such team in this organization.")
	e.Err = ErrNotFound
	return e
}

// errMemberNotFound is a membership id that is not one of the organization's.
func errMemberNotFound() *domain.Error {
	e := domain.NotFound("No such member in this organization.")
	e.Err = ErrNotFound
	return e
}

// TeamNameKey is the uniqueness key of a team name ("EMEA ", "emea" and
// "ÉMEA" are one name), the organizations' folding.
func TeamNameKey(name string) string { return names.FoldOrgName(name) }

// CheckTeamName trims a team name and refuses an empty or too long one
// (invalid, on the name field).
func CheckTeamName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case TeamNameKey(name) == "":
		return "", domain.Invalid("name", "Enter a name for the team.")
	case utf8.RuneCountInString(name) > TeamNameMax:
		return "", domain.Invalid("name", "A team name has at most %d characters.", TeamNameMax)
	}
	return name, nil
}

// CheckTeamDescription refuses a too long description (kept as written).
func CheckTeamDescription(d string) (string, error) {
	if utf8.RuneCountInString(d) > TeamDescriptionMax {
		return "", domain.Invalid("description", "A description has at most %d characters.", TeamDescriptionMax)
	}
	return d, nil
}

// teamNameTaken is the conflict of a name in use (409, next to the name
// field); errors.Is(err, ErrConflict) holds.
func teamNameTaken(name string) *domain.Error {
	e := domain.Conflict("name", "A team named %q already exists in this organization.", name)
	e.Err = ErrConflict
	return e
}

// CreateTeam adds a team and returns its id: invalid for an empty or long
// name or description, conflict when the name is taken.
func (tx *Tx) CreateTeam(ctx context.Context, orgID int64, name, description string) (int64, error) {
	name, err := CheckTeamName(name)
	if err != nil {
		return 0, err
	}
	if description, err = CheckTeamDescription(description); err != nil {
		return 0, err
	}
	res, err := tx.Exec(ctx, `INSERT INTO teams (org_id, name, name_key, description, created_at) VALUES (?, ?, ?, ?, ?)`,
		orgID, name, TeamNameKey(name), description, tx.Now())
	if tx.s.isUnique(err) {
		return 0, teamNameTaken(name)
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// RenameTeam gives a team of orgID a new name (not found, invalid, conflict).
func (tx *Tx) RenameTeam(ctx context.Context, orgID, id int64, name string) error {
	name, err := CheckTeamName(name)
	if err != nil {
		return err
	}
	err = tx.execOne(ctx, `UPDATE teams SET name = ?, name_key = ? WHERE id = ? AND org_id = ?`, name, TeamNameKey(name), id, orgID)
	switch {
	case tx.s.isUnique(err):
		return teamNameTaken(name)
	case errors.Is(err, ErrNotFound):
		return errTeamNotFound()
	}
	return err
}

// DescribeTeam sets a team's description (not found, invalid).
func (tx *Tx) DescribeTeam(ctx context.Context, orgID, id int64, description string) error {
	description, err := CheckTeamDescription(description)
	if err != nil {
		return err
	}
	err = tx.execOne(ctx, `UPDATE teams SET description = ? WHERE id = ? AND org_id = ?`, description, id, orgID)
	if errors.Is(err, ErrNotFound) {
		return errTeamNotFound()
	}
	return err
}

// DeleteTeam removes a team of orgID; the records it owns move to team
// moveTo (another team of orgID) or, with moveTo 0, to no team, in this
// transaction. moved is how many records moved.
func (tx *Tx) DeleteTeam(ctx context.Context, orgID, id, moveTo int64) (moved int, err error) {
	if _, err := tx.Team(ctx, orgID, id); err != nil {
		return 0, err
	}
	if moveTo == id {
		return 0, domain.Invalid("move_to", "Choose another team to take over the records, or none.")
	}
	if moveTo != 0 {
		if _, err := tx.Team(ctx, orgID, moveTo); err != nil {
			return 0, err
		}
	}
	for _, table := range []string{"customers", "conversations"} {
		res, err := tx.Exec(ctx, `UPDATE `+table+` SET team_id = ? WHERE org_id = ? AND team_id = ?`, nullID(moveTo), orgID, id)
		if err != nil {
			return 0, err
		}
		n, _ := res.RowsAffected()
		moved += int(n)
	}
	return moved, tx.execOne(ctx, `DELETE FROM teams WHERE id = ? AND org_id = ?`, id, orgID)
}

// AddTeamMember puts a membership of orgID in a team of orgID (not found
// for either of another organization). Adding a member twice changes
// nothing; added says whether this call did.
func (tx *Tx) AddTeamMember(ctx context.Context, orgID, teamID, membershipID int64) (added bool, err error) {
	res, err := tx.Exec(ctx, `INSERT INTO team_members (team_id, membership_id)
		SELECT t.id, m.id FROM teams t JOIN memberships m ON m.org_id = t.org_id
		WHERE t.id = ? AND m.id = ? AND t.org_id = ? ON CONFLICT DO NOTHING`, teamID, membershipID, orgID)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return true, nil
	}
	if _, err := tx.Team(ctx, orgID, teamID); err != nil {
		return false, err
	}
	if in, err := tx.inTeam(ctx, teamID, membershipID); err != nil || in {
		return false, err
	}
	return false, errMemberNotFound()
}

// RemoveTeamMember takes a membership out of a team (its lead mark goes
// with it); not found when the team is not orgID's or they are not in it.
func (tx *Tx) RemoveTeamMember(ctx context.Context, orgID, teamID, membershipID int64) error {
	if _, err := tx.Team(ctx, orgID, teamID); err != nil {
		return err
	}
	err := tx.execOne(ctx, `DELETE FROM team_members WHERE team_id = ? AND membership_id = ?`, teamID, membershipID)
	if errors.Is(err, ErrNotFound) {
		return errMemberNotFound()
	}
	return err
}

// SetTeamLead marks (lead) or unmarks a member of a team as one of its
// leads. A lead must be a member of the team: invalid otherwise.
func (tx *Tx) SetTeamLead(ctx context.Context, orgID, teamID, membershipID int64, lead bool) error {
	if _, err := tx.Team(ctx, orgID, teamID); err != nil {
		return err
	}
	flag := 0
	if lead {
		flag = 1
	}
	err := tx.execOne(ctx, `UPDATE team_members SET is_lead = ? WHERE team_id = ? AND membership_id = ?`, flag, teamID, membershipID)
	if errors.Is(err, ErrNotFound) {
		return domain.Invalid("member", "A lead must be a member of the team: add them to it first.")
	}
	return err
}

// SetMemberTeams replaces a membership's teams and lead marks with teams
// (each a team of orgID; Name is not read), as an import states them.
func (tx *Tx) SetMemberTeams(ctx context.Context, orgID, membershipID int64, teams []domain.MemberTeam) error {
	if _, err := tx.Exec(ctx, `DELETE FROM team_members WHERE membership_id = ?
		AND membership_id IN (SELECT id FROM memberships WHERE org_id = ?)`, membershipID, orgID); err != nil {
		return err
	}
	for _, t := range teams {
		if _, err := tx.AddTeamMember(ctx, orgID, t.TeamID, membershipID); err != nil {
			return err
		}
		if t.Lead {
			if err := tx.SetTeamLead(ctx, orgID, t.TeamID, membershipID, true); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tx *Tx) inTeam(ctx context.Context, teamID, membershipID int64) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = ? AND membership_id = ?`, teamID, membershipID).Scan(&n)
	return n > 0, err
}

const teamCols = `t.id, t.org_id, t.name, t.description`

func scanTeam(sc scanner, t *domain.Team) error {
	return sc.Scan(&t.ID, &t.OrgID, &t.Name, &t.Description)
}

func countedTeam(sc scanner, t *domain.Team) error {
	return sc.Scan(&t.ID, &t.OrgID, &t.Name, &t.Description, &t.MemberCount)
}

// Team loads a team of orgID (another organization's id: not found).
func (r reads) Team(ctx context.Context, orgID, id int64) (domain.Team, error) {
	t, err := one(r.q.queryRow(ctx, `SELECT `+teamCols+` FROM teams t WHERE t.id = ? AND t.org_id = ?`, id, orgID), scanTeam)
	if errors.Is(err, ErrNotFound) {
		return t, errTeamNotFound()
	}
	return t, err
}

// TeamQuery is a page of a team list: Search matches names and descriptions.
type TeamQuery struct {
	Search string
	Offset int
	Limit  int // 0 = every team
}

// Teams lists an organization's teams by name with their member counts,
// and the number matching the search.
func (r reads) Teams(ctx context.Context, orgID int64, q TeamQuery) ([]domain.Team, int, error) {
	where, args := `t.org_id = ?`, []any{orgID}
	if q.Search != "" {
		pat := "%" + likeEscape(q.Search) + "%"
		where += ` AND (t.name LIKE ? ESCAPE '\' OR t.description LIKE ? ESCAPE '\')`
		args = append(args, pat, pat)
	}
	query := `SELECT ` + teamCols + `, (SELECT COUNT(*) FROM team_members tm WHERE tm.team_id = t.id)
		FROM teams t WHERE ` + where + ` ORDER BY t.name COLLATE NOCASE, t.id`
	page := args
	if q.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		page = append(args[:len(args):len(args)], q.Limit, q.Offset)
	}
	rows, err := r.q.query(ctx, query, page...)
	out, err := collect(rows, err, countedTeam)
	if err != nil {
		return nil, 0, err
	}
	if q.Limit <= 0 || (len(out) < q.Limit && (len(out) > 0 || q.Offset == 0)) {
		return out, q.Offset + len(out), nil
	}
	var total int
	err = r.q.queryRow(ctx, `SELECT COUNT(*) FROM teams t WHERE `+where, args...).Scan(&total)
	return out, total, err
}

// OrgHasTeams reports whether the organization has at least one team (the
// "My teams" lists exist only then).
func (r reads) OrgHasTeams(ctx context.Context, orgID int64) (bool, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM teams WHERE org_id = ?)`, orgID).Scan(&n)
	return n == 1, err
}

// TeamsOfMember lists a membership's teams by name, with whether they lead it.
func (r reads) TeamsOfMember(ctx context.Context, orgID, membershipID int64) ([]domain.MemberTeam, error) {
	rows, err := r.q.query(ctx, `SELECT t.id, t.name, tm.is_lead FROM team_members tm JOIN teams t ON t.id = tm.team_id
		WHERE tm.membership_id = ? AND t.org_id = ? ORDER BY t.name COLLATE NOCASE, t.id`, membershipID, orgID)
	return collect(rows, err, func(sc scanner, t *domain.MemberTeam) error { return sc.Scan(&t.TeamID, &t.Name, &t.Lead) })
}

// attachTeams fills rows[i].Teams (by name, leads marked) for a page of the
// members list, in one read of team_members_membership for the whole page.
func (s *Store) attachTeams(ctx context.Context, orgID int64, rows []MemberRow) error {
	if len(rows) == 0 {
		return nil
	}
	at := make(map[int64]int, len(rows))
	ids := make([]any, len(rows))
	for i, r := range rows {
		at[r.ID], ids[i] = i, r.ID
	}
	args := padList(ids)
	rs, err := s.query(ctx, `SELECT tm.membership_id, t.id, t.name, tm.is_lead FROM team_members tm INDEXED BY team_members_membership
		CROSS JOIN teams t ON t.id = tm.team_id
		WHERE tm.membership_id IN (`+placeholders(len(args))+`) AND t.org_id = ?
		ORDER BY tm.membership_id, t.name COLLATE NOCASE, t.id`, append(args, orgID)...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var mid int64
		var t domain.MemberTeam
		if err := rs.Scan(&mid, &t.TeamID, &t.Name, &t.Lead); err != nil {
			return err
		}
		if i, ok := at[mid]; ok {
			rows[i].Teams = append(rows[i].Teams, t)
		}
	}
	return rs.Err()
}

// TeamRef names a team, as GroupRef a group (filters).
type TeamRef = GroupRef

// TeamRefs lists an organization's teams by name, without counts (the
// members list's team filter).
func (r reads) TeamRefs(ctx context.Context, orgID int64) ([]TeamRef, error) {
	rows, err := r.q.query(ctx, `SELECT id, name FROM teams WHERE org_id = ? ORDER BY name COLLATE NOCASE, id`, orgID)
	return collect(rows, err, func(sc scanner, t *TeamRef) error { return sc.Scan(&t.ID, &t.Name) })
}

// TeamMemberQuery is a page of a team's members: Search matches names and emails.
type TeamMemberQuery struct {
	Search string
	Offset int
	Limit  int // 0 = every member
}

// TeamMembers lists a team's members (leads first, then by name) and the
// number matching; not found for another organization's team.
func (r reads) TeamMembers(ctx context.Context, orgID, teamID int64, q TeamMemberQuery) ([]domain.TeamMember, int, error) {
	if _, err := r.Team(ctx, orgID, teamID); err != nil {
		return nil, 0, err
	}
	where, args := `tm.team_id = ?`, []any{teamID}
	if q.Search != "" {
		pat := "%" + likeEscape(q.Search) + "%"
		where += ` AND (m.user_name LIKE ? ESCAPE '\' OR m.user_email LIKE ? ESCAPE '\')`
		args = append(args, pat, pat)
	}
	query := `SELECT m.id, m.user_name, m.user_email, tm.is_lead FROM team_members tm JOIN memberships m ON m.id = tm.membership_id
		WHERE ` + where + ` ORDER BY tm.is_lead DESC, m.user_name, m.user_email, m.id`
	page := args
	if q.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		page = append(args[:len(args):len(args)], q.Limit, q.Offset)
	}
	rows, err := r.q.query(ctx, query, page...)
	out, err := collect(rows, err, func(sc scanner, m *domain.TeamMember) error {
		return sc.Scan(&m.MembershipID, &m.Name, &m.Email, &m.Lead)
	})
	if err != nil {
		return nil, 0, err
	}
	if q.Limit <= 0 || (len(out) < q.Limit && (len(out) > 0 || q.Offset == 0)) {
		return out, q.Offset + len(out), nil
	}
	var total int
	err = r.q.queryRow(ctx, `SELECT COUNT(*) FROM team_members tm JOIN memberships m ON m.id = tm.membership_id WHERE `+where, args...).Scan(&total)
	return out, total, err
}

// TeamRecordCount counts the records a team owns (what deleting it moves).
func (r reads) TeamRecordCount(ctx context.Context, orgID, teamID int64) (int, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM customers WHERE org_id = ?1 AND team_id = ?2)
		+ (SELECT COUNT(*) FROM conversations WHERE org_id = ?1 AND team_id = ?2)`, orgID, teamID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// TeamRecordsBeyond counts the customers team teamID owns that are not
// assigned to membershipID: what team scope on customers gains or loses
// with that team (a customer has one owning team).
func (r reads) TeamRecordsBeyond(ctx context.Context, orgID, teamID, membershipID int64) (int, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT COUNT(*) FROM customers WHERE org_id = ? AND team_id = ? AND assigned_to IS NOT ?`,
		orgID, teamID, membershipID).Scan(&n)
	return n, err
}
