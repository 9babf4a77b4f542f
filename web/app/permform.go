package app

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/views/permgrid"
)

// PermForm is a permission grid as submitted (views/permgrid), decoded.
type PermForm struct {
	// Set is what was ticked, with view added wherever another action was.
	Set access.Set
	// AddedView lists the modules whose view was added that way, so the
	// page can say so (permgrid.AddedViewMessage / Props.AddedView).
	AddedView []access.ModuleID
	// FieldErrors are the field levels that could not be read, by full
	// key, for the grid to show by their choices (permgrid.Props.FieldErrors);
	// set only with DecodePermForm's error.
	FieldErrors map[string]string
}

// gridInvalid refuses a submitted grid: invalid on the "perm" field, the
// message naming the first problems, Problems listing them all.
func gridInvalid(problems []string) *domain.Error {
	const max = 5
	p := problems
	if len(p) > max {
		p = append(p[:max:max], fmt.Sprintf("and %d more problems", len(problems)-max))
	}
	e := domain.Invalid("perm", "The permission grid could not be read: %s.", strings.Join(p, "; "))
	for _, x := range problems {
		e.Problems = append(e.Problems, errors.New(x))
	}
	return e
}

// Bounds that keep a forged form from costing much: the catalog has fewer
// than 110 permissions and flags, and no key is longer than 40 bytes.
const (
	maxPermValues = 256
	maxPermValue  = 64
)

// DecodePermForm reads the grid's PermField ("customers_view") and FlagField
// ("customers.canAccessAll") values strictly: an unknown permission or flag,
// an action the module does not offer, or a module outside the
// organization's products is an error naming it (nothing is dropped
// silently): an invalid *domain.Error (gridInvalid). Duplicates are harmless. Other form fields are ignored. View is
// added wherever another action is ticked (ARCHITECTURE.md, Layers) and reported.
// Field levels (permgrid.FieldPrefix: "field.customers.tax_id" = "read")
// are stated exactly as chosen, "" stating none; an unknown field or level
// is a problem too, a known field's also in PermForm.FieldErrors.
func DecodePermForm(form url.Values, products access.ProductSet) (PermForm, error) {
	perms, flags := form[permgrid.PermField], form[permgrid.FlagField]
	fieldKeys := fieldFormKeys(form)
	if n := len(perms) + len(flags) + len(fieldKeys); n > maxPermValues {
		return PermForm{}, gridInvalid([]string{fmt.Sprintf("%d values is more than any grid has", n)})
	}
	var (
		s        access.Set
		problems []string
	)
	for _, name := range perms {
		if len(name) > maxPermValue {
			problems = append(problems, fmt.Sprintf("a permission name of %d characters is not in the catalog", len(name)))
			continue
		}
		m, a, err := access.ParsePermission(name)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case !products.HasModule(m):
			problems = append(problems, fmt.Sprintf("permission %q: %s is not part of this organization's products", name, access.ModuleOf(m).Label))
		default:
			s.Grant(m, a)
		}
	}
	for _, key := range flags {
		if len(key) > maxPermValue {
			problems = append(problems, fmt.Sprintf("a flag name of %d characters is not in the catalog", len(key)))
			continue
		}
		f, ok := access.FlagByFullKey(key)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("unknown flag %q (flags look like customers.canAccessAll)", key))
		case !products.HasModule(f.ModuleID()):
			problems = append(problems, fmt.Sprintf("flag %q: %s is not part of this organization's products", key, access.ModuleOf(f.ModuleID()).Label))
		default:
			s.SetFlag(f.ID, true)
		}
	}
	fieldProblems, fieldErrs := decodeFieldLevels(form, fieldKeys, products, &s)
	problems = append(problems, fieldProblems...)
	if len(problems) > 0 {
		return PermForm{FieldErrors: fieldErrs}, gridInvalid(problems)
	}
	set, added := s.WithImpliedView()
	return PermForm{Set: set, AddedView: added}, nil
}

// fieldFormKeys are the form's field level names (permgrid.FieldPrefix), sorted.
func fieldFormKeys(form url.Values) []string {
	var keys []string
	for k := range form {
		if strings.HasPrefix(k, permgrid.FieldPrefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// decodeFieldLevels states in s the level of each field named in keys
// ("field.customers.tax_id" = "hidden", "read" or "edit"; "" states
// nothing). It returns the problems in key order and, for known fields,
// each one's problem by full key ("customers.tax_id") to show by its choices.
func decodeFieldLevels(form url.Values, keys []string, products access.ProductSet, s *access.Set) ([]string, map[string]string) {
	var (
		problems []string
		byField  map[string]string
	)
	for _, k := range keys {
		full := strings.TrimPrefix(k, permgrid.FieldPrefix)
		f, ok := access.FieldByFullKey(full)
		if !ok {
			problems = append(problems, fmt.Sprintf("unknown field %q (fields look like customers.tax_id)", Clip(full)))
			continue
		}
		msg := ""
		vals := slices.Compact(slices.Sorted(slices.Values(form[k])))
		switch {
		case !products.HasModule(f.Module):
			msg = fmt.Sprintf("field %q: %s is not part of this organization's products", full, access.ModuleOf(f.Module).Label)
		case len(vals) > 1:
			msg = fmt.Sprintf("field %q was given %d different levels; choose one", full, len(vals))
		case len(vals) == 0 || vals[0] == "": // not stated: the default
		default:
			if l, ok := access.ParseLevel(vals[0]); ok {
				s.SetFieldLevel(f.Module, f.Key, l)
			} else {
				msg = fmt.Sprintf("field %q: %q is not a level (hidden, read or edit, or empty for the default)", full, Clip(vals[0]))
			}
		}
		if msg != "" {
			if byField == nil {
				byField = map[string]string{}
			}
			byField[full] = msg
			problems = append(problems, msg)
		}
	}
	return problems, byField
}

// PermGrantable is what the actor may put in a grid (permgrid.Props.Grantable):
// nil, meaning anything, for an owner; their effective set otherwise.
func PermGrantable(a *Auth) *access.Set {
	if a.Eff.IsOwner() {
		return nil
	}
	s := a.Eff.Set
	return &s
}

// PermHeld is whose field levels bound a grid's choices
// (permgrid.Props.Held): nil, meaning any level, for an owner.
func PermHeld(a *Auth) *access.Effective {
	if a.Eff.IsOwner() {
		return nil
	}
	e := a.Eff
	return &e
}

// CheckGridGrant applies anti-escalation (ARCHITECTURE.md, Anti-escalation) to a submitted grid:
// nil when the actor may grant set, else the cells they do not hold, to be
// shown with permgrid.Props.Missing. Nothing may be saved when it is non-empty.
func CheckGridGrant(a *Auth, set access.Set) access.Set {
	return access.Ungrantable(a.Eff, set)
}

// FieldOverreach is, by full key, why each field level of set the actor
// may not grant is refused (access.CheckGrant's FieldGrantError), for the
// grid to show by those fields (permgrid.Props.FieldErrors); nil when none.
func FieldOverreach(a *Auth, set access.Set) map[string]string {
	var fe *access.FieldGrantError
	if !errors.As(access.CheckGrant(a.Eff, set), &fe) {
		return nil
	}
	out := make(map[string]string, len(fe.Over))
	for _, o := range fe.Over {
		out[o.Field.FullKey] = permgrid.HeldText(o.Field, o.Held, o.Want)
	}
	return out
}

// GrantRefusal is a preview's sentence when saving set would be refused by
// anti-escalation (its actions and flags, else its field levels): "" when
// the actor holds all of it.
func GrantRefusal(a *Auth, set access.Set) string {
	missing := CheckGridGrant(a, set)
	if missing.IsEmpty() {
		var fe *access.FieldGrantError
		if errors.As(access.CheckGrant(a.Eff, set), &fe) {
			return "This cannot be saved: " + fe.Error() + "."
		}
		return ""
	}
	return "This cannot be saved: you can only grant permissions you hold yourself, and you do not hold " +
		ListSome(permgrid.Describe(missing)) + "."
}
