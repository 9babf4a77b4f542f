package web

import (
	"context"
	"gatehouse/web/app"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// GuardEffective is m's effective set as the guards see it (the
// permission cache the auth middleware asks).
func GuardEffective(s *Server, ctx context.Context, org domain.Org, m domain.Membership) (access.Effective, error) {
	return s.k.Effective(ctx, org, m)
}

// MemberExplanation is My Permissions' explanation of m.
func MemberExplanation(s *Server, ctx context.Context, org domain.Org, m domain.Membership) (access.Explanation, error) {
	return s.me.ExplanationOf(ctx, org, m)
}

// InFlightCustomerWrite runs a customers write handler ("create", "update"
// or "delete" of customer id) for a request whose auth was loaded as a,
// whatever happened to the member since: a request in flight. It returns
// the status the error page would answer with (or the handler's own).
func InFlightCustomerWrite(s *Server, a *app.Auth, handler string, id int64, form url.Values) int {
	h := s.customers.Screens()["customers."+handler]
	req := httptest.NewRequest(http.MethodPost, "/o/"+a.Org.Slug+"/customers", strings.NewReader(form.Encode()))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	rec := httptest.NewRecorder()
	c := s.echo.NewContext(req, rec)
	if id != 0 {
		c.SetParamNames("slug", "id")
		c.SetParamValues(a.Org.Slug, strconv.FormatInt(id, 10))
	}
	app.SetAuth(c, a)
	if err := h(c); err != nil {
		s.k.HandleError(err, c)
	}
	return rec.Code
}

// InFlightOrgSettingsSave runs the organization settings save for a
// request whose auth was loaded as a (see InFlightCustomerWrite); it
// returns the status and the body.
func InFlightOrgSettingsSave(s *Server, a *app.Auth, form url.Values) (int, string) {
	req := httptest.NewRequest(http.MethodPost, "/o/"+a.Org.Slug+"/settings/organization", strings.NewReader(form.Encode()))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	rec := httptest.NewRecorder()
	c := s.echo.NewContext(req, rec)
	c.SetParamNames("slug")
	c.SetParamValues(a.Org.Slug)
	app.SetAuth(c, a)
	if err := s.orgs.Screens()["settings.save"](c); err != nil {
		s.k.HandleError(err, c)
	}
	return rec.Code, rec.Body.String()
}
