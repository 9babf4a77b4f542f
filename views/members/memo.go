package members

import (
	"github.com/a-h/templ"

	"gatehouse/internal/cache"
	"gatehouse/views/components"
)

// The list's badges and avatars, rendered once per input and then written
// as strings: their markup is a pure function of those inputs (see
// cache.HTML), and running the components' class handling three times per
// row was a third of the table's rendering. Roles and statuses are a
// handful; avatars repeat across page views (bounded, starts over when full).
// The table head's three sort links, each built from the filter and
// escaped twice, were a third of the table's rendering too; they depend on
// the organization and the filter only.
var (
	badgeHTML  = cache.NewHTML[[2]string](64, 64<<10)
	avatarHTML = cache.NewHTML[[2]string](4096, 1<<20)
	headHTML   = cache.NewHTML[headKey](1024, 1<<20)
)

type headKey struct {
	slug   string
	filter Filter
}

func tableHead(p ListProps) templ.Component {
	return headHTML.Component(headKey{p.Slug, p.Filter}, func() templ.Component { return tableHeadComponent(ListProps{Slug: p.Slug, Filter: p.Filter}) })
}

func roleBadge(role string) templ.Component {
	return badgeHTML.Component([2]string{"role", role}, func() templ.Component { return roleBadgeComponent(role) })
}

func statusBadge(status string) templ.Component {
	return badgeHTML.Component([2]string{"status", status}, func() templ.Component { return statusBadgeComponent(status) })
}

// listAvatar is the 32-pixel avatar of a table row.
func listAvatar(name, photoURL string) templ.Component {
	return avatarHTML.Component([2]string{name, photoURL}, func() templ.Component { return avatarComponent(name, photoURL) })
}

// The components the keys above stand for.
func roleBadgeComponent(role string) templ.Component     { return components.RoleBadge(role) }
func statusBadgeComponent(status string) templ.Component { return components.StatusBadge(status) }
func avatarComponent(name, photoURL string) templ.Component {
	return components.Avatar(name, photoURL, 32)
}
