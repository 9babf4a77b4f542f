package orgio

import (
	"context"
	"errors"
	"fmt"

	"gatehouse/internal/domain"
	"gatehouse/internal/store"
)

// Options tune Import.
type Options struct {
	// DryRun checks and plans without writing anything.
	DryRun bool
	// Actor is recorded as the actor of every audit entry ("gatehouse import" if empty).
	Actor string
}

// Result is what an import changed (or, in a dry run, would change).
type Result struct {
	Slug    string
	Created bool     // the organization did not exist
	Changes []string // one line per change, in the order applied
	Notes   []string // worth knowing, but not changes (e.g. "view" added)
	DryRun  bool
}

// Import checks data against the database and, unless opts.DryRun, applies
// it in one transaction. Every problem found (in the file or against the
// database) comes back together in one invalid *domain.Error (Problems
// lists them), and then nothing is written. db may be nil for a dry run: it then plans against an empty
// database (e.g. one not created yet).
func Import(ctx context.Context, db *store.Store, data []byte, opts Options) (Result, error) {
	c, problems := Parse(data)
	parsedOK := len(problems) == 0
	if !parsedOK && c.Organization.Slug == "" && c.Groups == nil && c.Members == nil {
		return Result{}, invalidFile(problems) // nothing usable to check further
	}
	if opts.DryRun || !parsedOK {
		var r reader
		if db != nil {
			r = db
		}
		st, err := loadState(ctx, r, c)
		if err != nil {
			return Result{}, err
		}
		p := plan(c, st, parsedOK)
		if problems = append(problems, p.problems...); len(problems) > 0 {
			return Result{}, invalidFile(problems)
		}
		res := p.result()
		res.DryRun = true
		return res, nil
	}
	if db == nil {
		return Result{}, errors.New("import: no database")
	}
	actor := opts.Actor
	if actor == "" {
		actor = "gatehouse import"
	}
	var res Result
	err := db.Write(ctx, func(tx *store.Tx) error {
		// Read and plan inside the transaction: what was checked is what changes.
		st, err := loadState(ctx, tx, c)
		if err != nil {
			return err
		}
		p := plan(c, st, true)
		if len(p.problems) > 0 {
			return invalidFile(p.problems)
		}
		e := &env{}
		for _, o := range p.ops {
			if err := o.apply(ctx, tx, e); err != nil {
				return err
			}
			if o.audit.Action == "" {
				continue
			}
			a := o.audit
			a.OrgID, a.ActorEmail = e.orgID, actor
			if err := tx.Audit(ctx, a); err != nil {
				return err
			}
		}
		// The planner guarantees an owner; the database has the last word.
		n, err := tx.CountActiveOwners(ctx, e.orgID)
		if err != nil {
			return err
		}
		if n == 0 && p.hadOwner() {
			return invalidFile([]error{Problem{Path: "members", Message: "the organization would have no active owner"}})
		}
		res = p.result()
		return nil
	})
	if err != nil {
		if inv := domain.AsError(err); inv != nil && inv.Problems != nil {
			return Result{}, inv
		}
		return Result{}, fmt.Errorf("import %s: %w", c.Organization.Slug, err)
	}
	return res, nil
}

func (p *planner) result() Result {
	r := Result{Slug: p.c.Organization.Slug, Created: p.st.snap == nil, Changes: []string{}, Notes: p.notes}
	for _, o := range p.ops {
		if o.text != "" {
			r.Changes = append(r.Changes, o.text)
		}
	}
	return r
}
