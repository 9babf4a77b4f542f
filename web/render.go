package web

import (
	"bytes"
	"context"
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

// render writes full for a normal request and partial for an htmx request
// (a boosted navigation still gets the whole page). The component renders
// into a buffer first, so a template error becomes a clean 500 page instead
// of half a document.
func render(c echo.Context, status int, full, partial templ.Component) error {
	c.Response().Header().Add("Vary", "HX-Request")
	comp := full
	if partial != nil && isHTMX(c) {
		comp = partial
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	// The work is done: the queue's slot goes to the next request while
	// this page travels to its client.
	releaseSlot(c)
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

// page builds the shell's props for the current request: user, current
// organization, switcher entries, sidebar and pending flashes.
func (s *Server) page(c echo.Context, title string) layout.Page {
	p := layout.Page{Title: title, CSRF: csrfToken(c)}
	a := authOf(c)
	if a == nil {
		return p
	}
	p.User = &layout.User{Name: a.User.Name, Email: a.User.Email, IsInstanceAdmin: a.User.IsInstanceAdmin, Unverified: s.addressUnverified(c)}
	if a.User.PhotoVersion > 0 {
		p.User.PhotoURL = photoURL(a.User.ID, a.User.PhotoVersion)
	}
	ctx := c.Request().Context()
	if orgs, err := s.switchers.get(ctx, s.db, a.User.ID, a.DirectoryVersion); err == nil {
		p.Orgs = orgs
	}
	if a.Org != nil && a.Membership != nil && !a.Membership.Suspended() {
		p.Org = &layout.OrgRef{Name: a.Org.Name, Slug: a.Org.Slug, Role: string(a.Membership.Role)}
		if sb, err := s.sidebars.get(ctx, a.Org.Slug, a.Eff.Set, a.Org.Products, c.Request().URL.Path); err == nil {
			p.Sidebar, p.SidebarMarkup = sb.items, sb.markup()
		} else {
			p.Sidebar = nav.Build(a.Org.Slug, a.Eff.Set, a.Org.Products, c.Request().URL.Path)
		}
	}
	p.Flashes = s.popFlashes(c)
	return p
}

func photoURL(userID, version int64) string {
	return "/me/photo/" + strconv.FormatInt(userID, 10) + "?v=" + strconv.FormatInt(version, 10)
}

// flash queues a message for the next page the user sees.
func (s *Server) flash(c echo.Context, kind, msg string) {
	sess, err := s.sessions.Get(c.Request(), session.CookieName)
	if err != nil || sess.IsNew {
		return
	}
	sess.AddFlash(kind + "|" + msg)
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		s.log.Warn("save flash", "err", err)
	}
}

func (s *Server) popFlashes(c echo.Context) []layout.Flash {
	a := authOf(c)
	if a == nil || !bytes.Contains(a.Session.Data, []byte("_flash")) {
		return nil // no flash pending: skip the session write
	}
	sess, err := s.sessions.Get(c.Request(), session.CookieName)
	if err != nil || sess.IsNew {
		return nil
	}
	raw := sess.Flashes()
	if len(raw) == 0 {
		return nil
	}
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		s.log.Warn("clear flashes", "err", err)
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
	return templ.ComponentFunc(func(ctx context.Context, w ioWriter) error {
		return shell(p).Render(templ.WithChildren(ctx, content), w)
	})
}

// fullPage wraps content in the standard shell.
func (s *Server) fullPage(c echo.Context, title string, content templ.Component) templ.Component {
	return withContent(layout.Shell, s.page(c, title), content)
}

// ok renders content in the shell, or alone for htmx.
func (s *Server) ok(c echo.Context, title string, content templ.Component) error {
	if isHTMX(c) {
		return render(c, http.StatusOK, content, content)
	}
	return render(c, http.StatusOK, s.fullPage(c, title, content), nil)
}
