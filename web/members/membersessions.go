package members

import (
	"gatehouse/web/app"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/useragent"
	"gatehouse/views/members"
)

// memberSessions lists a member's live sessions with device and place.
func (s *Handlers) memberSessions(c echo.Context, userID int64) ([]members.Session, error) {
	list, err := s.DB.UserSessions(c.Request().Context(), userID)
	if err != nil {
		return nil, err
	}
	out := make([]members.Session, 0, len(list))
	for _, ss := range list {
		ua := useragent.Parse(ss.UserAgent)
		out = append(out, members.Session{ID: ss.ID, Browser: ua.String(), Device: app.DeviceLabel(ua), IP: ss.IP,
			Location: s.Geo.Locate(ss.IP), Created: time.Unix(ss.CreatedAt, 0), LastSeen: time.Unix(ss.LastSeenAt, 0)})
	}
	return out, nil
}

// memberSessionRevoke ends one session of the member.
func (s *Handlers) memberSessionRevoke(c echo.Context) error {
	return s.memberChange("sessions", func(c echo.Context, id int64) (string, error) {
		if _, err := s.Members().RevokeSessions(c.Request().Context(), app.Actor(c), id, c.Param("sid")); err != nil {
			return "", err
		}
		return "Session ended.", nil
	})(c)
}

// memberSessionsRevokeAll ends every session of the member.
func (s *Handlers) memberSessionsRevokeAll(c echo.Context) error {
	return s.memberChange("sessions", func(c echo.Context, id int64) (string, error) {
		n, err := s.Members().RevokeSessions(c.Request().Context(), app.Actor(c), id, "")
		if err != nil {
			return "", err
		}
		if n == 1 {
			return "1 session ended.", nil
		}
		return strconv.FormatInt(n, 10) + " sessions ended.", nil
	})(c)
}

// memberSignOut signs the member out of this organization only (the
// control an admin has over an account other organizations share).
func (s *Handlers) memberSignOut(c echo.Context) error {
	return s.memberChange("access", func(c echo.Context, id int64) (string, error) {
		if _, err := s.Members().SignOut(c.Request().Context(), app.Actor(c), id); err != nil {
			return "", err
		}
		return "Signed out of " + app.AuthOf(c).Org.Name + ": every session of theirs must sign in again before it is accepted here. Nothing changed elsewhere.", nil
	})(c)
}
