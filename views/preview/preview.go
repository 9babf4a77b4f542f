// Package preview is the one effective-access preview (ARCHITECTURE.md,
// Previews): the panel beside every editor that changes access, and the
// same summary in words for the flash after a save. Its input is the
// engine's access.Impact; this package only words it.
package preview

import (
	"fmt"
	"strconv"
	"strings"

	"gatehouse/internal/access"
)

// Props is the panel.
type Props struct {
	ID       string // the element's id, the htmx target of the editor's changes
	URL      string // where the editor posts its unsaved form ("" : no live refresh)
	Headline string // who the change reaches, or the layer that decides after it
	Rule     string // the layer rule where it bites: "Tom will be in a group, so their role (Agent) is no longer used."
	Notes    []string
	Pending  string   // nothing changes: what to do to see a change
	Gains    []string // one line per difference of actions, flags, scopes
	Losses   []string
	Fields   []string // one sentence per field level changed: "12 members: tax_id becomes read-only"

	Warnings []string
	Errors   []string // the change would be refused, or the form could not be read
	Summary  string   // the same in one sentence (the flash after a save)
}

// Who is whom a change reaches.
type Who struct {
	// Name is the one member's name; "" for a change over many members.
	Name string
	// Role is the member's role after the change (for the layer rule).
	Role access.Role
	// Of names the many ("of Sales Team"), after "members".
	Of string
}

// Build words im for the panel: one member (w.Name) in the second person
// of an administrator ("Tom gains …"), many as counts ("12 gain …").
func Build(im access.Impact, w Who) Props {
	p := Props{}
	one := w.Name != ""
	for _, it := range im.Sorted() {
		if it.Kind == access.FieldChanged {
			p.Fields = append(p.Fields, fieldText(it, w.Name))
			continue
		}
		line := itemText(it, one)
		if it.Gain() {
			p.Gains = append(p.Gains, line)
		} else {
			p.Losses = append(p.Losses, line)
		}
	}
	if one {
		p.Rule = ruleText(im, w)
	} else {
		p.Headline = reachText(im, w)
		if n, c := im.Deciding(access.LayerCustom), im.Deciding(access.LayerOwner); n+c > 0 {
			p.Notes = append(p.Notes, untouchedText(n, c))
		}
	}
	if im.Changed == 0 {
		p.Pending = "Nothing changes for " + whom(w, im.Members) + "."
	}
	p.Summary = summaryText(p, im, w)
	return p
}

// itemText is one difference: "Customers: Export" for one member, "12
// gain Customers: Export" for many.
func itemText(it access.Item, one bool) string {
	m := access.ModuleOf(it.Module)
	var what string
	switch it.Kind {
	case access.ModuleGained, access.ModuleLost:
		what = m.Label
	case access.ActionGained, access.ActionLost:
		what = m.Label + ": " + m.ActionLabel(it.Action)
	case access.FlagGained, access.FlagLost:
		what = it.Flag.Def().Label
	case access.ScopeChanged:
		what = fmt.Sprintf("from %s to %s on %s", it.From, it.To, m.Label)
		if one {
			line := m.Label + ": " + it.From.String() + " → " + it.To.String() + " records"
			if f, ok := access.ScopeFlag(it.Module, max(it.From, it.To)); ok {
				line += " (" + f.Label + ")"
			}
			return line
		}
		return count(it.Members, "goes", "go") + " " + what
	}
	if one {
		return what
	}
	if it.Gain() {
		return count(it.Members, "gains", "gain") + " " + what
	}
	return count(it.Members, "loses", "lose") + " " + what
}

// fieldText is one field's level change from the engine's resolved
// sides: "Ana will no longer see internal_notes" for one member, "12
// members: tax_id becomes read-only" for many.
func fieldText(it access.Item, name string) string {
	k := it.Field.Key
	if name == "" {
		what := map[access.Level]string{access.LevelHidden: "becomes hidden", access.LevelRead: "becomes read-only", access.LevelEdit: "becomes editable"}[it.ToLevel]
		return members(it.Members) + ": " + k + " " + what
	}
	switch {
	case it.ToLevel == access.LevelHidden:
		return name + " will no longer see " + k
	case it.ToLevel == access.LevelEdit:
		return name + " can now edit " + k
	case it.FromLevel == access.LevelHidden:
		return name + " can now see " + k + " (read-only)"
	}
	return name + " can no longer edit " + k + " (read-only)"
}

// count is "12 gain" or "1 member gains".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 member " + one
	}
	return strconv.Itoa(n) + " " + many
}

func members(n int) string {
	if n == 1 {
		return "1 member"
	}
	return strconv.Itoa(n) + " members"
}

func whom(w Who, n int) string {
	if w.Name != "" {
		return w.Name
	}
	return strings.TrimSpace(members(n) + " " + w.Of)
}

// reachText heads a change over many members: "Affects 12 of the 37
// members of Sales Team."
func reachText(im access.Impact, w Who) string {
	switch {
	case im.Members == 0:
		return strings.TrimSpace("No members " + w.Of + " yet: the change reaches nobody now.")
	case im.Changed == im.Members:
		return "Affects " + whom(w, im.Members) + "."
	}
	return fmt.Sprintf("Affects %d of the %s.", im.Changed, whom(w, im.Members))
}

// untouchedText states the layer rule for those a group does not reach:
// "3 members have individual permissions and 1 is an owner, so …".
func untouchedText(custom, owners int) string {
	var who []string
	if custom > 0 {
		who = append(who, members(custom)+" "+pick(custom, "has", "have")+" individual permissions")
	}
	if owners > 0 {
		w := members(owners) + " " + pick(owners, "is an owner", "are owners")
		if custom > 0 {
			w = strconv.Itoa(owners) + " " + pick(owners, "is an owner", "are owners")
		}
		who = append(who, w)
	}
	return strings.Join(who, " and ") + ", so this group changes nothing for them."
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ruleText is the layer rule where it bites for one member: the layer
// that decides after the change, said when it differs from before or
// makes the change inert.
func ruleText(im access.Impact, w Who) string {
	if len(im.Shifts) == 0 {
		return ""
	}
	s := im.Shifts[0]
	role := w.Role.Label()
	consequence := func() string {
		var lost, gained []string
		for _, it := range im.Of(access.ModuleLost) {
			lost = append(lost, access.ModuleOf(it.Module).Label)
		}
		for _, it := range im.Of(access.ModuleGained) {
			gained = append(gained, access.ModuleOf(it.Module).Label)
		}
		switch {
		case len(lost) > 0 && len(gained) > 0:
			return ": they will gain " + joinAnd(gained) + " and lose " + joinAnd(lost) + "."
		case len(lost) > 0:
			return ": they will lose " + joinAnd(lost) + "."
		case len(gained) > 0:
			return ": they will gain " + joinAnd(gained) + "."
		}
		return "."
	}
	switch {
	case s.From == access.LayerRole && s.To == access.LayerGroups:
		return w.Name + " will be in a group, so their role (" + role + ") is no longer used" + consequence()
	case s.From == access.LayerGroups && s.To == access.LayerRole:
		return w.Name + " will be in no group, so their role template (" + role + ") decides again" + consequence()
	case s.To == access.LayerCustom && s.From != access.LayerCustom:
		return "Individual permissions will decide alone: " + w.Name + "'s groups and role are no longer used" + consequence()
	case s.From == access.LayerCustom && s.To != access.LayerCustom:
		return w.Name + " goes back to inherited permissions: their " + layerWord(s.To, role) + " decides" + consequence()
	case s.To == access.LayerOwner:
		return "Owners always have every permission: " + w.Name + "'s groups and individual permissions do not restrict them."
	case s.From == access.LayerOwner:
		return w.Name + " will no longer be an owner: their " + layerWord(s.To, role) + " decides" + consequence()
	case s.To == access.LayerCustom && im.Changed == 0:
		return w.Name + " has individual permissions, so their groups and role are not used: this changes nothing for them until individual permissions are turned off."
	case s.To == access.LayerGroups && s.From == access.LayerGroups && im.Changed == 0:
		return w.Name + " is in a group, so their role is not used: the role changes nothing while they are in a group."
	}
	return ""
}

func layerWord(l access.Layer, role string) string {
	switch l {
	case access.LayerGroups:
		return "groups"
	case access.LayerRole:
		return "role template (" + role + ")"
	case access.LayerCustom:
		return "individual permissions"
	}
	return "owner role"
}

// summaryText is the panel in one sentence, for the flash after a save:
// at most four differences, then how many more.
func summaryText(p Props, im access.Impact, w Who) string {
	if im.Changed == 0 {
		return p.Pending
	}
	fields := fieldsSentence(p.Fields)
	if len(p.Gains)+len(p.Losses) == 0 {
		return strings.TrimSpace(p.Headline + " " + fields)
	}
	return strings.TrimSpace(itemsSummary(p, w) + " " + fields)
}

// fieldsSentence is at most two field changes and how many more, as a
// sentence ("" for none).
func fieldsSentence(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	const shown = 2
	s := strings.Join(first(lines, shown), "; ")
	if n := len(lines) - shown; n > 0 {
		s += fmt.Sprintf(" and %d more field changes", n)
	}
	return s + "."
}

// itemsSummary is the differences of actions, flags and scopes in one sentence.
func itemsSummary(p Props, w Who) string {
	const shown = 4
	gains := first(p.Gains, shown)
	losses := first(p.Losses, shown-len(gains))
	more := len(p.Gains) + len(p.Losses) - len(gains) - len(losses)
	list := func(xs []string, last bool) string {
		if last && more > 0 {
			return strings.Join(xs, ", ") + fmt.Sprintf(" and %d more", more)
		}
		return joinAnd(xs)
	}
	if w.Name != "" {
		var parts []string
		if len(gains) > 0 {
			parts = append(parts, "gains "+list(gains, len(losses) == 0))
		}
		if len(losses) > 0 {
			parts = append(parts, "loses "+list(losses, true))
		}
		return w.Name + " " + strings.Join(parts, " and ") + "."
	}
	// Many: "Affects 37 members: 12 gain Customers: Export, 3 lose Conversations."
	items := strings.Join(append(append([]string{}, gains...), losses...), ", ")
	if more > 0 {
		items += fmt.Sprintf(" and %d more", more)
	}
	return strings.TrimSuffix(p.Headline, ".") + ": " + items + "."
}

func first(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}

func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
