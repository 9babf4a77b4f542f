package cache

import (
	"context"
	"strings"

	"github.com/a-h/templ"
)

// Options is a select's options rendered once with none selected, and
// where the i-th one starts in the markup (one more offset at the end): a
// page with hundreds of choices (groups, teams) writes the kept markup
// with only the selected option rendered anew, instead of running the
// option template for every choice. Keep it in a Cache entry under the
// version its choices come from.
type Options struct {
	html    string
	offsets []int
}

// RenderOptions renders n options, option(i, false) each.
func RenderOptions(ctx context.Context, n int, option func(i int, selected bool) templ.Component) (Options, error) {
	l := Options{offsets: make([]int, n+1)}
	var b strings.Builder
	for i := range n {
		l.offsets[i] = b.Len()
		if err := option(i, false).Render(ctx, &b); err != nil {
			return l, err
		}
	}
	l.offsets[n] = b.Len()
	l.html = b.String()
	return l, nil
}

// With is the markup with the i-th option selected, rendered by
// option(i, true) (i out of range: none selected).
func (l Options) With(ctx context.Context, i int, option func(i int, selected bool) templ.Component) (string, error) {
	if i < 0 || i >= len(l.offsets)-1 {
		return l.html, nil
	}
	var b strings.Builder
	b.Grow(len(l.html) + 10)
	b.WriteString(l.html[:l.offsets[i]])
	if err := option(i, true).Render(ctx, &b); err != nil {
		return "", err
	}
	b.WriteString(l.html[l.offsets[i+1]:])
	return b.String(), nil
}

// HTML is the markup with none selected.
func (l Options) HTML() string { return l.html }

// Size is what the rendered options take, for a Cache's budget.
func (l Options) Size() int { return len(l.html) + 8*len(l.offsets) }
