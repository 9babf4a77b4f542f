package web

import (
	"errors"

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
func (s *Server) customerWrite(c echo.Context, need access.Action, fn func(tx *store.Tx, a *Auth) error) error {
	req := authOf(c)
	ctx := c.Request().Context()
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		act, err := tx.ActingFor(ctx, req.Org.ID, req.User.ID, access.ModCustomers, need)
		if err != nil {
			return err
		}
		now := *req
		now.Membership, now.Eff = &act.Membership, act.Eff
		return fn(tx, &now)
	})
	return refusedActor(err)
}

// refusedActor answers a write whose own transaction refused its actor
// (store.ActorRefusal) as the guards answer such a request: a suspended
// member gets the suspended page, a member without the permission 403, a
// non-member 404. Any other error is returned as it is.
func refusedActor(err error) error {
	var r *store.ActorRefusal
	if !errors.As(err, &r) {
		return err
	}
	switch r.Reason {
	case store.ActorSuspended:
		return &suspendedError{org: r.Org.Name}
	case store.ActorLacksPerm:
		return errForbidden
	}
	return errNotFound
}
