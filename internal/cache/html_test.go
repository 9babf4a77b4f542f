package cache

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

func text(s string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	})
}

// A key renders once; other keys render their own markup; the cap holds.
func TestCacheRendersOncePerKey(t *testing.T) {
	c := NewHTML[string](2, 1<<20)
	renders := 0
	build := func(s string) func() templ.Component {
		return func() templ.Component { renders++; return text("<p>" + s + "</p>") }
	}
	for range 3 {
		got, err := c.Markup(context.Background(), "a", build("a"))
		if err != nil || got != "<p>a</p>" {
			t.Fatalf("Markup(a) = %q, %v", got, err)
		}
	}
	if renders != 1 {
		t.Errorf("rendered %d times for one key, want 1", renders)
	}
	var w strings.Builder
	if err := c.Component("b", build("b")).Render(context.Background(), &w); err != nil || w.String() != "<p>b</p>" {
		t.Fatalf("Component(b) wrote %q, %v", w.String(), err)
	}
	c.Markup(context.Background(), "c", build("c"))
	if c.Len() > 2 {
		t.Errorf("cache holds %d entries, cap 2", c.Len())
	}
	if got, _ := c.Markup(context.Background(), "a", build("a")); got != "<p>a</p>" {
		t.Errorf("after a reset, Markup(a) = %q", got)
	}
}

// A failed render is returned and not cached.
func TestCacheDoesNotKeepErrors(t *testing.T) {
	c := NewHTML[int](4, 1<<20)
	boom := errors.New("boom")
	_, err := c.Markup(context.Background(), 1, func() templ.Component {
		return templ.ComponentFunc(func(context.Context, io.Writer) error { return boom })
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if c.Len() != 0 {
		t.Error("a failed render was cached")
	}
}

// The byte budget holds too: markup beyond it empties the cache first, and
// a piece larger than an eighth of the budget (Cache's rule for
// outliers) is returned but not kept.
func TestCacheByteBudget(t *testing.T) {
	c := NewHTML[int](100, 80)
	ctx := context.Background()
	for i := range 50 {
		if got, _ := c.Markup(ctx, i, func() templ.Component { return text("abcd") }); got != "abcd" {
			t.Fatalf("Markup(%d) = %q", i, got)
		}
		if c.Bytes() > 80 || c.Len() == 0 {
			t.Fatalf("after %d entries the cache holds %d bytes in %d entries, budget 80", i+1, c.Bytes(), c.Len())
		}
	}
	big := strings.Repeat("x", 11)
	before := c.Bytes()
	if got, _ := c.Markup(ctx, 99, func() templ.Component { return text(big) }); got != big {
		t.Fatalf("big markup = %q", got)
	}
	if c.Bytes() > 80 || c.Bytes() != before {
		t.Errorf("a piece over an eighth of the budget was kept: %d bytes", c.Bytes())
	}
}

// Of renders build(key) once per key, as Component does, and writes the
// same markup from then on.
func TestOfRendersOncePerKey(t *testing.T) {
	type big struct{ a, b, c, d, e, f, g, h, i string } // over 128 bytes
	c := NewHTML[big](8, 1<<20)
	renders := 0
	build := func(k big) templ.Component { renders++; return text("<p>" + k.a + "</p>") }
	for range 3 {
		var w strings.Builder
		if err := c.Of(big{a: "x"}, build).Render(context.Background(), &w); err != nil || w.String() != "<p>x</p>" {
			t.Fatalf("Of wrote %q, %v", w.String(), err)
		}
	}
	if renders != 1 {
		t.Errorf("rendered %d times for one key", renders)
	}
	var w strings.Builder
	c.Of(big{a: "y"}, build).Render(context.Background(), &w)
	if w.String() != "<p>y</p>" || renders != 2 {
		t.Errorf("another key: %q after %d renders", w.String(), renders)
	}
}
