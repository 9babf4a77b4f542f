package components

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"gatehouse/internal/access"
)

// Every icon the sidebar menu names must render a real SVG, not the
// fallback dot.
func TestMenuIconsAllExist(t *testing.T) {
	var dot bytes.Buffer
	if err := Icon("no-such-icon-at-all").Render(context.Background(), &dot); err != nil {
		t.Fatal(err)
	}
	for _, name := range access.MenuIcons() {
		var b bytes.Buffer
		if err := Icon(name).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		if b.String() == dot.String() {
			t.Errorf("menu icon %q renders the fallback dot", name)
		}
	}
}

// The precomputed icon is byte for byte what the template renders, for
// every icon, alias and class (a class is written per use, not baked in).
func TestIconMarkupMatchesTemplate(t *testing.T) {
	render := func(c interface {
		Render(context.Context, io.Writer) error
	}) string {
		var b bytes.Buffer
		if err := c.Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, tc := range []struct{ name, class string }{
		{"users", "icon"}, {"users", "icon icon-sm"}, {"members", "icon"}, {"nope", "icon"}, {"x", `a"b<c`},
		{"eye", ""}, {"", "icon"}, {"flow", " icon  x "},
	} {
		want := render(iconSVG(tc.name, tc.class))
		if got := render(IconClass(tc.name, tc.class)); got != want {
			t.Errorf("IconClass(%q, %q) = %q, want %q", tc.name, tc.class, got, want)
		}
	}
	for _, name := range iconNames {
		if got, want := render(Icon(name)), render(iconSVG(name, "icon")); got != want {
			t.Errorf("Icon(%q) = %q, want %q", name, got, want)
		}
		if iconBodies[name] == iconDot {
			t.Errorf("icon %q is listed but draws the dot", name)
		}
	}
	if a, b := render(IconClass("users", "icon")), render(IconClass("users", "icon icon-sm")); a == b {
		t.Error("two classes render the same markup")
	}
	if s := render(IconClass("x", `a"b<c`)); !strings.Contains(s, `class="a&#34;b&lt;c"`) {
		t.Errorf("class not escaped: %s", s)
	}
}
