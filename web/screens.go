package web

import "gatehouse/web/app"

// screens gathers the features' screens: each binds the pages its modules
// declare (internal/access/modules.go) by page key; app.CheckScreens (in
// Kernel.Pages) refuses a binding that does not match the declarations.
func (s *Server) screens() app.Screens {
	sc := app.Screens{}
	sc.Bind(s.audit.Screens())
	sc.Bind(s.chats.Screens())
	sc.Bind(s.customers.Screens())
	sc.Bind(s.dashboard.Screens())
	sc.Bind(s.groups.Screens())
	sc.Bind(s.members.Screens())
	sc.Bind(s.orgs.Screens())
	sc.Bind(s.teams.Screens())
	sc.Bind(s.channels.Screens())
	return sc
}
