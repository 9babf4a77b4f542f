package access

// GroupDef is a predefined group: created with every organization, editable,
// resettable to this default, never deletable.
type GroupDef struct {
	Key         string // stable: "admin", "user", "guest" or a product key
	Name        string
	Description string
	Set         Set
}

// predefinedGroups are the catalog's (ARCHITECTURE.md, Catalog) core groups, then one per product in
// catalog order (the product key is the group key). Product groups cover
// their product's modules plus dashboard view, with flags false: scope is
// widened deliberately, never by default.
//
// Built by install (the sets name modules).
var predefinedGroups []GroupDef

func buildPredefinedGroups() []GroupDef {
	return []GroupDef{
		{"admin", "Admin", "Everything, all flags on.", withAllFields(FullSet(), LevelEdit)},
		{"user", "User", "Day-to-day work on customers, pipelines and conversations.", build(
			grant("dashboard", View),
			grant("customers", View, Create, Edit), grant("crm", View, Create, Edit), grant("chats", View, Create, Edit),
			own("chats", "reply", "note"), grant("reports", View),
		)},
		{"guest", "Guest", "Read-only access to the dashboard and customers.", build(
			grant("dashboard", View), grant("customers", View),
		)},
		{"crm", "Sales Team", "Customers and pipelines they serve, UTM reports.", build(
			grant("dashboard", View),
			grant("customers", View, Create, Edit, Export), grant("crm", View, Create, Edit, Export),
			grant("utm", View),
		)},
		{"inbox", "Support Agents", "Conversations assigned to them, automation read-only.", build(
			grant("dashboard", View),
			grant("chats", View, Create, Edit), own("chats", "reply", "note"), grant("bulk_messages", View, Create),
			grant("flows", View), grant("prompts", View), grant("channels", View),
		)},
		{"finance", "Finance Team", "Financial records and point of sale.", build(
			grant("dashboard", View),
			grant("financial", View, Create, Edit, Export), grant("pos", View, Create, Edit, Export),
			grant("reports", View, Export),
		)},
		{"medical", "Medical Staff", "Medical records and documents.", build(
			grant("dashboard", View),
			grant("medical", View, Create, Edit), grant("documents", View, Create, Edit),
		)},
	}
}

// PredefinedGroups returns the groups a new organization with products p
// gets: Admin, User, Guest, then one per selected product. Their sets are
// restricted to p, so an admin can create or reset them without tripping
// anti-escalation on modules the organization does not have.
func PredefinedGroups(p ProductSet) []GroupDef {
	var out []GroupDef
	for _, g := range predefinedGroups {
		if pr, isProduct := ProductByKey(g.Key); isProduct && !p.Has(pr.Key) {
			continue
		}
		g.Set = g.Set.RestrictTo(p)
		out = append(out, g)
	}
	return out
}

// PredefinedGroup returns a predefined group's default by key, for "reset to
// default". Its set is NOT restricted: apply RestrictTo(org products) first.
func PredefinedGroup(key string) (GroupDef, bool) {
	for _, g := range predefinedGroups {
		if g.Key == key {
			return g, true
		}
	}
	return GroupDef{}, false
}
