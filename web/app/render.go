package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/nav"
	"gatehouse/internal/session"
	"gatehouse/views/layout"
)

// Render writes full for a normal request and partial for an htmx request
// (a boosted navigation still gets the whole page). The component renders
// into a buffer first, so a template error becomes a clean 500 page instead
// of half a document.
func Render(c echo.Context, status int, full, partial templ.Component) error {
	c.Response().Header().Add("Vary", "HX-Request")
	comp := full
	if partial != nil && IsHTMX(c) {
		comp = partial
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	// The work is done: the queue's slot goes to the next request while
	// this page travels to its client.
	ReleaseSlot(c)
	// A known length spares the chunked framing and tells the client the size.
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.HTMLBlob(status, buf.Bytes())
}

// renderBuffers recycles page buffers: a full page is tens of kilobytes,
// and growing a fresh buffer for each one is garbage the GC must chase.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // let the odd huge page go rather than pin it
		return
	}
	b.Reset()
	renderBuffers.Put(b)
}

// Page builds the shell's props for the current request: user, current
// organization, switcher entries, sidebar and pending flashes.
func (k *Kernel) Page(c echo.Context, title string) layout.Page {
	p := layout.Page{Title: title, CSRF: CSRFToken(c)}
	a := AuthOf(c)
	if a == nil {
		return p
	}
	p.User = &layout.User{Name: a.User.Name, Email: a.User.Email, IsInstanceAdmin: a.User.IsInstanceAdmin, Unverified: AddressUnverified(c)}
	if a.User.PhotoVersion > 0 {
		p.User.PhotoURL = PhotoURL(a.User.ID, a.User.PhotoVersion)
	}
	ctx := c.Request().Context()
	if orgs, err := k.switchers.get(ctx, k.DB, a.User.ID, a.DirectoryVersion); err == nil {
		p.Orgs = orgs
	}
	if a.Org != nil && a.Membership != nil && !a.Membership.Suspended() {
		p.Org = &layout.OrgRef{Name: a.Org.Name, Slug: a.Org.Slug, Role: string(a.Membership.Role)}
		if sb, err := k.sidebars.get(ctx, a.Org.Slug, a.Eff.Set, a.Org.Products, a.HasTeams, c.Request().URL.Path); err == nil {
			p.Sidebar, p.SidebarMarkup = sb.items, sb.markup()
		} else {
			p.Sidebar = nav.Build(a.Org.Slug, a.Eff.Set, a.Org.Products, a.HasTeams, c.Request().URL.Path)
		}
	}
	p.Flashes = k.popFlashes(c)
	return p
}

// PhotoURL is the versioned address of a user's photo.
func PhotoURL(userID, version int64) string {
	return "/me/photo/" + strconv.FormatInt(userID, 10) + "?v=" + strconv.FormatInt(version, 10)
}

// Flash queues a message for the next page the user sees.
func (k *Kernel) Flash(c echo.Context, kind, msg string) {
	sess, err := k.Sessions.Get(c.Request(), session.CookieName)
	if err != nil || sess.IsNew {
		return
	}
	sess.AddFlash(kind + "|" + msg)
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		k.Log.Warn("save flash", "err", err)
	}
}

func (k *Kernel) popFlashes(c echo.Context) []layout.Flash {
	a := AuthOf(c)
	if a == nil || !bytes.Contains(a.Session.Data, []byte("_flash")) {
		return nil // no flash pending: skip the session write
	}
	sess, err := k.Sessions.Get(c.Request(), session.CookieName)
	if err != nil || sess.IsNew {
		return nil
	}
	raw := sess.Flashes()
	if len(raw) == 0 {
		return nil
	}
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		k.Log.Warn("clear flashes", "err", err)
	}
	out := make([]layout.Flash, 0, len(raw))
	for _, f := range raw {
		str, _ := f.(string)
		kind, msg, ok := strings.Cut(str, "|")
		if !ok {
			kind, msg = "info", str
		}
		out = append(out, layout.Flash{Kind: kind, Message: msg})
	}
	return out
}

// withContent renders a shell around content (templ's children).
func withContent(shell func(layout.Page) templ.Component, p layout.Page, content templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return shell(p).Render(templ.WithChildren(ctx, content), w)
	})
}

// FullPage wraps content in the standard shell.
func (k *Kernel) FullPage(c echo.Context, title string, content templ.Component) templ.Component {
	return withContent(layout.Shell, k.Page(c, title), content)
}

// OK renders content in the shell, or alone for htmx.
func (k *Kernel) OK(c echo.Context, title string, content templ.Component) error {
	if IsHTMX(c) {
		return Render(c, http.StatusOK, content, content)
	}
	return Render(c, http.StatusOK, k.FullPage(c, title, content), nil)
}

// RenderBytes renders comp into a byte slice of its exact size (for a
// cache that counts bytes).
func RenderBytes(ctx context.Context, comp templ.Component) ([]byte, error) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := comp.Render(ctx, buf); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// RawHTML writes already rendered (and escaped) markup.
func RawHTML(html []byte) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := w.Write(html)
		return err
	})
}
