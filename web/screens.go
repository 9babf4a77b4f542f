package web

import "gatehouse/web/app"

// The settings screens (organization, members, groups, audit), bound to the
// pages those modules declare (internal/access/modules.go). They live in
// several files (orgsettings.go, members.go, invites.go, memberperms.go,
// membersessions.go, groups.go, audit.go); the bindings are kept here, in
// one place per module.
func (s *Server) screens() app.Screens {
	sc := app.Screens{}
	sc.Bind(s.audit.Screens())
	sc.Bind(s.customers.Screens())
	sc.Bind(s.dashboard.Screens())
	sc.Bind(s.groups.Screens())
	sc.Bind(s.members.Screens())
	sc.Bind(s.orgs.Screens())
	return sc
}
