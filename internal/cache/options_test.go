package cache

import (
	"context"
	"io"
	"testing"

	"github.com/a-h/templ"
)

func TestOptionsWith(t *testing.T) {
	ctx := context.Background()
	names := []string{"a", "bb", "ccc"}
	option := func(i int, selected bool) templ.Component {
		return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
			mark := ""
			if selected {
				mark = "*"
			}
			_, err := io.WriteString(w, "<"+names[i]+mark+">")
			return err
		})
	}
	l, err := RenderOptions(ctx, len(names), option)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"<a><bb><ccc>", "<a*><bb><ccc>", "<a><bb*><ccc>", "<a><bb><ccc*>", "<a><bb><ccc>"} {
		got, err := l.With(ctx, i-1, option)
		if err != nil || got != want {
			t.Errorf("With(%d) = %q, %v; want %q", i-1, got, err, want)
		}
	}
	if empty, _ := RenderOptions(ctx, 0, option); empty.html != "" || empty.Size() != 8 {
		t.Errorf("no options: %+v", empty)
	}
}
