package components

import (
	"context"
	"io"
	"strings"
	"sync"
	"sync/atomic"

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
// An icon is a pure function of its name and class, and a page draws dozens
// of them, so each pair is rendered once and then written as a string: the
// templ path costs an order of magnitude more per icon.
func IconClass(name, class string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, iconMarkup(name, class))
		return err
	})
}

type iconKey struct{ name, class string }

const maxCachedIcons = 1024 // names and classes come from templates, not users; a cap all the same

var (
	iconCache   sync.Map // iconKey → string
	iconsCached atomic.Int32
)

func iconMarkup(name, class string) string {
	k := iconKey{name, class}
	if s, ok := iconCache.Load(k); ok {
		return s.(string)
	}
	var b strings.Builder
	// Rendering static markup into a strings.Builder cannot fail.
	_ = iconSVG(name, class).Render(context.Background(), &b)
	s := b.String()
	if iconsCached.Load() < maxCachedIcons {
		if _, loaded := iconCache.LoadOrStore(k, s); !loaded {
			iconsCached.Add(1)
		}
	}
	return s
}
