package components

import (
	"bytes"
	"context"
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
