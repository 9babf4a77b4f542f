package members

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

// memberRows writes the table's rows, each exactly as memberRow renders it
// (tested): templ writes every { value } through fmt.Sprint, and the eight
// values of fifty rows made that a tenth of the members page.
func memberRows(p ListProps) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		sw, ok := w.(io.StringWriter)
		if !ok {
			sw = stringWriter{w}
		}
		rw := &rowWriter{w: sw}
		for _, r := range p.Rows {
			if err := rw.row(ctx, p, r); err != nil {
				return err
			}
		}
		return rw.err
	})
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

func (rw *rowWriter) row(ctx context.Context, p ListProps, r Row) error {
	name := orDefault(r.Name, r.Email)
	avatar, err := avatarHTML.Markup(ctx, [2]string{name, r.PhotoURL}, func() templ.Component { return avatarComponent(name, r.PhotoURL) })
	if err != nil {
		return err
	}
	role, err := badgeHTML.Markup(ctx, [2]string{"role", r.Role}, func() templ.Component { return roleBadgeComponent(r.Role) })
	if err != nil {
		return err
	}
	status, err := badgeHTML.Markup(ctx, [2]string{"status", r.Status}, func() templ.Component { return statusBadgeComponent(r.Status) })
	if err != nil {
		return err
	}
	groups := `<span class="subtle">—</span>`
	if len(r.Groups) > 0 {
		groups = templ.EscapeString(groupsLine(r.Groups))
	}
	url := templ.EscapeString(string(templ.URL(MemberURL(p.Slug, r.ID))))
	rw.s(`<tr data-member-id="`, itoa(r.ID), `"><td><div class="cell-user">`, avatar,
		`<div><div class="cell-primary"><a href="`, url, `">`, templ.EscapeString(name),
		`</a></div><div class="cell-secondary">`, templ.EscapeString(r.Email),
		`</div></div></div></td><td>`, role, `</td><td class="cell-secondary">`, groups,
		`</td><td>`, status, `</td><td class="nowrap cell-secondary"><span title="`, templ.EscapeString(utcStamp(r.LastActive)),
		`">`, templ.EscapeString(Ago(r.LastActive, p.Now)),
		`</span></td><td class="actions"><a class="btn btn-ghost btn-sm" href="`, url, `">Manage</a></td></tr>`)
	return nil
}
