package customers

import (
	"errors"
	"gatehouse/web/app"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
)

// customerWrite runs one change of customers in one transaction, after
// reading the actor again in it (store.ActingFor): a member suspended,
// removed or stripped of customers_<need> since the request began commits
// nothing, and the request is answered as the guards would answer it now.
// fn gets the actor as that transaction reads them: their membership and
// effective set, hence their scope on customers, are the transaction's.
func (s *Handlers) customerWrite(c echo.Context, need access.Action, fn func(tx *store.Tx, a *app.Auth) error) error {
	req := app.AuthOf(c)
	ctx := c.Request().Context()
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		act, err := tx.ActingFor(ctx, req.Org.ID, req.User.ID, access.ModCustomers, need)
		if err != nil {
			return err
		}
		now := *req
		now.Membership, now.Eff = &act.Membership, act.Eff
		return fn(tx, &now)
	})
	return refusedActor(c, err)
}

// refusedActor answers a write whose own transaction refused its actor
// (store.ErrActor…) as the guards answer such a request: a suspended
// member gets the suspended page, a member without the permission 403, a
// non-member 404. Any other error is returned as it is.
func refusedActor(c echo.Context, err error) error {
	switch {
	case errors.Is(err, store.ErrActorSuspended):
		return app.Suspended(app.AuthOf(c).Org.Name)
	case errors.Is(err, store.ErrActorLacksPerm):
		return app.ErrForbidden
	case errors.Is(err, store.ErrActorNoOrg), errors.Is(err, store.ErrActorNotMember):
		return app.ErrNotFound
	}
	return err
}
