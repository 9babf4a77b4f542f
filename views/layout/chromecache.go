package layout

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"gatehouse/internal/cache"
)

// The page chrome (organization switcher, profile menu) is drawn
// on every page, yet its markup is a pure function of a few inputs that
// thousands of requests share. Each piece is rendered once per distinct
// input and then written as a string. The keys are the inputs themselves,
// so nothing can go stale: a changed name, role, photo or slug is a
// different key. Per-session values (the CSRF token) stay out of the
// cached pieces.
var (
	switchers = cache.NewHTML[string](1024, 2<<20)
	profiles  = cache.NewHTML[profileKey](2048, 2<<20)
)

// cachedSwitcher renders orgSwitcher(p), which reads only the current
// organization and the switcher entries.
func cachedSwitcher(p Page) templ.Component {
	var k keyWriter
	if p.Org != nil {
		k.org(*p.Org)
	}
	k.WriteByte('|')
	for _, o := range p.Orgs {
		k.org(o)
	}
	return switchers.Component(k.String(), func() templ.Component { return orgSwitcher(p) })
}

// profileKey is everything profileSummary and profileLinks read.
type profileKey struct {
	links                               bool // profileLinks rather than profileSummary
	name, email, photo, permissionsHref string
	instanceAdmin                       bool
}

func profileKeyOf(p Page) profileKey {
	return profileKey{name: p.User.Name, email: p.User.Email, photo: p.User.PhotoURL,
		permissionsHref: p.myPermissionsHref(), instanceAdmin: p.User.IsInstanceAdmin}
}

func cachedProfileSummary(p Page) templ.Component {
	return profiles.Component(profileKeyOf(p), func() templ.Component { return profileSummary(p) })
}

func cachedProfileLinks(p Page) templ.Component {
	k := profileKeyOf(p)
	k.links = true
	return profiles.Component(k, func() templ.Component { return profileLinks(p) })
}

// keyWriter spells out a key: every field prefixed by its length and the
// nesting marked, so two different inputs never share a key.
type keyWriter struct{ strings.Builder }

func (k *keyWriter) field(s string) {
	k.WriteString(strconv.Itoa(len(s)))
	k.WriteByte(':')
	k.WriteString(s)
}

func (k *keyWriter) flag(b bool) {
	if b {
		k.WriteByte('1')
	} else {
		k.WriteByte('0')
	}
}

func (k *keyWriter) org(o OrgRef) {
	k.field(o.Name)
	k.field(o.Slug)
	k.field(o.Role)
	k.flag(o.Suspended)
}
