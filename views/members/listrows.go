package members

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// memberRows writes the table's rows, each exactly as memberRow renders it
// (tested): templ writes every { value } through fmt.Sprint, and the eight
// values of fifty rows made that a tenth of the members page. Rows given
// as RowMarkup (p.RowMarkup, cached with the page's data) are only joined
// with their time cell.
func memberRows(p ListProps) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		sw, ok := w.(io.StringWriter)
		if !ok {
			sw = stringWriter{w}
		}
		rw := &rowWriter{w: sw}
		cached := len(p.RowMarkup) == len(p.Rows)
		for i, r := range p.Rows {
			m := RowMarkup{}
			if cached {
				m = p.RowMarkup[i]
			} else {
				var err error
				if m, err = RenderRowMarkup(ctx, p.Slug, r); err != nil {
					return err
				}
			}
			rw.s(m.Head, `<span title="`, templ.EscapeString(utcStamp(r.LastActive)), `">`,
				templ.EscapeString(Ago(r.LastActive, p.Now)), `</span>`, m.Tail)
		}
		return rw.err
	})
}

// RowMarkup is a table row without its last-activity cell's content, which
// depends on the time the page is shown: Head ends inside that cell, Tail
// starts at its end.
type RowMarkup struct{ Head, Tail string }

// RenderRowMarkup renders the parts of r's row that depend only on r and
// the organization's slug.
func RenderRowMarkup(ctx context.Context, slug string, r Row) (RowMarkup, error) {
	name := orDefault(r.Name, r.Email)
	avatar, err := avatarHTML.Markup(ctx, [2]string{name, r.PhotoURL}, func() templ.Component { return avatarComponent(name, r.PhotoURL) })
	if err != nil {
		return RowMarkup{}, err
	}
	role, err := badgeHTML.Markup(ctx, [2]string{"role", r.Role}, func() templ.Component { return roleBadgeComponent(r.Role) })
	if err != nil {
		return RowMarkup{}, err
	}
	status, err := badgeHTML.Markup(ctx, [2]string{"status", r.Status}, func() templ.Component { return statusBadgeComponent(r.Status) })
	if err != nil {
		return RowMarkup{}, err
	}
	groups := `<span class="subtle">—</span>`
	if len(r.Groups) > 0 {
		groups = templ.EscapeString(groupsLine(r.Groups))
	}
	url := templ.EscapeString(string(templ.URL(MemberURL(slug, r.ID))))
	head := strings.Join([]string{`<tr data-member-id="`, strconv.FormatInt(r.ID, 10), `"><td><div class="cell-user">`, avatar,
		`<div><div class="cell-primary"><a href="`, url, `">`, templ.EscapeString(name),
		`</a></div><div class="cell-secondary">`, templ.EscapeString(r.Email),
		`</div></div></div></td><td>`, role, `</td><td class="cell-secondary">`, groups,
		`</td><td>`, status, `</td><td class="nowrap cell-secondary">`}, "")
	tail := `</td><td class="actions"><a class="btn btn-ghost btn-sm" href="` + url + `">Manage</a></td></tr>`
	return RowMarkup{Head: head, Tail: tail}, nil
}

// rowWriter writes strings and keeps the first error.
type rowWriter struct {
	w   io.StringWriter
	err error
}

func (rw *rowWriter) s(parts ...string) {
	for _, x := range parts {
		if rw.err == nil {
			_, rw.err = rw.w.WriteString(x)
		}
	}
}

type stringWriter struct{ w io.Writer }

func (s stringWriter) WriteString(x string) (int, error) { return io.WriteString(s.w, x) }
