package web

import (
	"github.com/labstack/echo/v4"

	"gatehouse/views/dashboard"
)

// dashboard is the organization's home.
func (s *Server) dashboard(c echo.Context) error {
	a := authOf(c)
	return s.ok(c, a.Org.Name, dashboard.Page(dashboard.Props{OrgName: a.Org.Name, Role: string(a.Membership.Role), Layer: string(a.Eff.Layer)}))
}
