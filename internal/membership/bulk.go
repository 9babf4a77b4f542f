package membership

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// MaxBulkRows bounds one CSV upload.
const MaxBulkRows = 1000

// BulkRow is one line of a bulk-invite CSV and what is wrong with it.
type BulkRow struct {
	Line     int // line in the file, for messages
	Email    string
	Name     string
	RoleKey  string
	Groups   []string // as written
	Problems []string
}

// BulkPlan is the dry run of a bulk invite: every row with its problems.
type BulkPlan struct {
	Rows  []BulkRow
	Seats store.Seats
}

// Bad counts rows with problems.
func (p BulkPlan) Bad() int {
	n := 0
	for _, r := range p.Rows {
		if len(r.Problems) > 0 {
			n++
		}
	}
	return n
}

// errDryRun rolls a preview's transaction back.
var errDryRun = errors.New("dry run")

// ParseCSV reads email,name,role,groups rows (groups separated by ";").
// A first line naming the columns (starting with "email") is a header and
// may put them in any order.
func ParseCSV(r io.Reader) ([]BulkRow, error) {
	raw, err := io.ReadAll(io.LimitReader(r, 2<<20))
	if err != nil {
		return nil, invalid("file", "The file could not be read.")
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // Excel's byte-order mark
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	col := map[string]int{"email": 0, "name": 1, "role": 2, "groups": 3}
	var rows []BulkRow
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, invalid("file", "The file is not valid CSV (line %d: %v).", pe.Line, pe.Err)
			}
			return nil, invalid("file", "The file is not valid CSV.")
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			if strings.EqualFold(strings.TrimSpace(rec[0]), "email") {
				col = map[string]int{}
				for i, h := range rec {
					col[strings.ToLower(strings.TrimSpace(h))] = i
				}
				if _, ok := col["role"]; !ok {
					return nil, invalid("file", "The header line has no \"role\" column. Use the columns email,name,role,groups.")
				}
				continue
			}
		}
		if blank(rec) {
			continue
		}
		if len(rows) == MaxBulkRows {
			return nil, invalid("file", "The file has more than %d rows. Split it into smaller files.", MaxBulkRows)
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := BulkRow{Line: line, Email: store.NormalizeEmail(get("email")), Name: get("name"), RoleKey: roleKeyOf(get("role"))}
		for _, g := range strings.Split(get("groups"), ";") {
			if g = strings.TrimSpace(g); g != "" {
				row.Groups = append(row.Groups, g)
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, invalid("file", "The file has no rows. Each line is: email,name,role,groups.")
	}
	return rows, nil
}

// roleKeyOf reads a role cell: a role's key or its label, in any case
// ("agent", "Agent", "medical doctor"); anything else is kept, lower-cased,
// for the "unknown role" problem.
func roleKeyOf(v string) string {
	for _, r := range access.Roles() {
		if strings.EqualFold(v, string(r)) || strings.EqualFold(v, r.Label()) {
			return string(r)
		}
	}
	return strings.ToLower(v)
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// PreviewBulk checks every row against the organization as it is now and
// changes nothing.
func (s *Service) PreviewBulk(ctx context.Context, a domain.Actor, rows []BulkRow) (BulkPlan, error) {
	var plan BulkPlan
	err := s.write(ctx, a, access.Create, func(sc *scope) error {
		var err error
		if plan, err = sc.planBulk(rows); err != nil {
			return err
		}
		return errDryRun
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return plan, err
}

// BulkInvite invites every row in one transaction: all of them, or (when
// any row has a problem) none, with the plan saying why.
func (s *Service) BulkInvite(ctx context.Context, a domain.Actor, rows []BulkRow) (BulkPlan, []InviteResult, error) {
	return s.bulkInvite(ctx, a, rows, false)
}

// BulkInviteValid invites, in one transaction, the rows without problems
// (checked again now) and leaves the others out; the plan names them.
func (s *Service) BulkInviteValid(ctx context.Context, a domain.Actor, rows []BulkRow) (BulkPlan, []InviteResult, error) {
	return s.bulkInvite(ctx, a, rows, true)
}

func (s *Service) bulkInvite(ctx context.Context, a domain.Actor, rows []BulkRow, validOnly bool) (BulkPlan, []InviteResult, error) {
	var plan BulkPlan
	var results []InviteResult
	err := s.write(ctx, a, access.Create, func(sc *scope) error {
		var err error
		if plan, err = sc.planBulk(rows); err != nil {
			return err
		}
		if bad := plan.Bad(); bad == len(plan.Rows) && validOnly {
			return invalid("file", "No row is valid. Nothing was sent: fix the file and upload it again.")
		} else if bad > 0 && !validOnly {
			return invalid("file", "%s. Nothing was sent: fix the file and upload it again.", plural(bad, "row has a problem", "rows have problems"))
		}
		byName, err := sc.groupsByName()
		if err != nil {
			return err
		}
		for _, r := range plan.Rows {
			if len(r.Problems) > 0 { // only when validOnly
				continue
			}
			role, _ := access.ParseRole(r.RoleKey)
			var groups []domain.Group
			for _, n := range r.Groups {
				groups = append(groups, byName[strings.ToLower(n)])
			}
			res, err := sc.invite(r.Email, r.Name, role, groups)
			if err != nil { // the plan checked this row; a failure here is a real error
				if e := domain.AsError(err); e != nil {
					return invalid("file", "Line %d: %s Nothing was sent.", r.Line, e.Message)
				}
				return err
			}
			results = append(results, res)
		}
		return nil
	})
	return plan, results, err
}

// groupsByName maps lower-cased group names to the organization's groups.
func (sc *scope) groupsByName() (map[string]domain.Group, error) {
	all, _, err := sc.orgGroups()
	if err != nil {
		return nil, err
	}
	m := make(map[string]domain.Group, len(all))
	for _, g := range all {
		m[strings.ToLower(g.Name)] = g
	}
	return m, nil
}

// planBulk finds every row's problems: bad email, unknown role or group,
// a role or group above the actor, duplicates, existing members, pending
// invitations, and the rows beyond the free seats.
func (sc *scope) planBulk(rows []BulkRow) (BulkPlan, error) {
	plan := BulkPlan{Rows: make([]BulkRow, len(rows))}
	copy(plan.Rows, rows)
	byName, err := sc.groupsByName()
	if err != nil {
		return plan, err
	}
	st, err := sc.tx.SeatUsage(sc.ctx, sc.org.ID)
	if err != nil {
		return plan, err
	}
	plan.Seats = st
	free := st.Free()
	seen := map[string]int{}
	now := sc.tx.Now()
	for i := range plan.Rows {
		r := &plan.Rows[i]
		r.Problems = nil
		if msg := checkEmail(r.Email); msg != "" {
			r.Problems = append(r.Problems, fmt.Sprintf("bad email %q: %s", r.Email, strings.TrimSuffix(msg, ".")))
		} else if line, dup := seen[r.Email]; dup {
			r.Problems = append(r.Problems, fmt.Sprintf("duplicate: %s is already on line %d", r.Email, line))
		} else {
			seen[r.Email] = r.Line
			if p, err := sc.existingProblem(r, now); err != nil {
				return plan, err
			} else if p != "" {
				r.Problems = append(r.Problems, p)
			}
		}
		if msg := checkName(r.Name); msg != "" {
			r.Problems = append(r.Problems, "name: "+strings.TrimSuffix(msg, "."))
		}
		role, ok := access.ParseRole(r.RoleKey)
		switch {
		case r.RoleKey == "":
			r.Problems = append(r.Problems, "no role given")
		case !ok:
			r.Problems = append(r.Problems, fmt.Sprintf("unknown role %q", r.RoleKey))
		default:
			if err := sc.checkRole("", "", role); err != nil {
				r.Problems = append(r.Problems, strings.TrimSuffix(err.Error(), "."))
			}
		}
		for _, n := range r.Groups {
			g, ok := byName[strings.ToLower(n)]
			if !ok {
				r.Problems = append(r.Problems, fmt.Sprintf("unknown group %q", n))
				continue
			}
			if err := sc.checkGroups("", []domain.Group{g}); err != nil {
				r.Problems = append(r.Problems, strings.TrimSuffix(err.Error(), "."))
			}
		}
		if len(r.Problems) == 0 {
			if free == 0 {
				r.Problems = append(r.Problems, fmt.Sprintf("over quota: only %s free", plural(st.Free(), "seat is", "seats are")))
			} else {
				free--
			}
		}
	}
	return plan, nil
}

// existingProblem flags an address that is already a member or invited.
// Whether an address merely has an account is not shown: it gets a pending
// invitation like any other.
func (sc *scope) existingProblem(r *BulkRow, now int64) (string, error) {
	u, err := sc.tx.UserByEmail(sc.ctx, r.Email)
	if err == nil {
		if _, err := sc.tx.MembershipOfUser(sc.ctx, sc.org.ID, u.ID); err == nil {
			return "already a member", nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return "", err
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	inv, err := sc.tx.OpenInviteFor(sc.ctx, sc.org.ID, r.Email)
	if err == nil && inv.State(now) == store.InvitePending {
		return "already has a pending invitation", nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	return "", nil
}
