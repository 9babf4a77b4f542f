package components

import (
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"
)

// Icon renders a small inline SVG icon (18px, currentColor) by short name:
// home, users, user, chat, briefcase, bolt, wallet, heart, chart, settings,
// shield, key, building, mail, send, inbox, file, plug, card, list, grid,
// menu, x, plus, check, search, lock, alert, alert-circle, info, check-circle,
// log-out, compass, arrow-left, pause-circle, download, edit, trash, clock,
// more, chevron-down, chevron-right, chevrons-up-down, filter, eye.
// Unknown names render a dot.
func Icon(name string) templ.Component { return IconClass(name, "icon") }

// IconClass is Icon with a custom class list (e.g. "icon icon-sm").
//
// A page draws dozens of icons and the templ path costs an order of
// magnitude more per icon, so each icon's shapes are rendered once at start
// (iconBodies: immutable data, not a cache) and only the class is written
// per use, escaped as iconSVG escapes it (tested).
func IconClass(name, class string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, iconMarkup(name, class))
		return err
	})
}

// iconNames are the icons iconSVG draws (its switch's cases); any other
// name draws the dot.
var iconNames = []string{"home", "users", "user", "chat", "briefcase", "bolt", "wallet", "heart", "chart",
	"settings", "shield", "key", "building", "mail", "send", "inbox", "file", "plug", "card", "list", "grid",
	"menu", "x", "plus", "check", "search", "lock", "alert", "alert-circle", "info", "check-circle", "log-out",
	"compass", "arrow-left", "pause-circle", "download", "edit", "trash", "clock", "more", "chevron-down",
	"chevron-right", "chevrons-up-down", "filter", "eye"}

// iconOpen and iconClose surround an icon's shapes; the class goes
// between the two parts of iconOpen.
const (
	iconOpen0 = `<svg class="`
	iconOpen1 = `" viewBox="0 0 24 24" aria-hidden="true">`
)

// iconBodies maps each icon name to its shapes and closing tag; iconDot
// is the unknown names' shape.
var iconBodies, iconDot = renderIconBodies()

func renderIconBodies() (map[string]string, string) {
	body := func(name string) string {
		var b strings.Builder
		// Rendering static markup into a strings.Builder cannot fail.
		_ = iconSVG(name, "").Render(context.Background(), &b)
		s, ok := strings.CutPrefix(b.String(), iconOpen0+iconOpen1)
		if !ok {
			panic("components: iconSVG's opening tag is not " + iconOpen0 + iconOpen1)
		}
		return s
	}
	m := make(map[string]string, len(iconNames))
	for _, n := range iconNames {
		m[n] = body(n)
	}
	return m, body("\x00")
}

func iconMarkup(name, class string) string {
	b, ok := iconBodies[iconName(name)]
	if !ok {
		b = iconDot
	}
	return iconOpen0 + templ.EscapeString(class) + iconOpen1 + b
}
