package app

import (
	"errors"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/store"
)

// ActingWrite runs one change of module mod in one transaction, after
// reading the actor again in it (store.ActingFor): a member suspended,
// removed or stripped of need since the request began commits nothing,
// and the request is answered as the guards would answer it now. fn gets
// the actor as that transaction reads them (membership and effective set,
// hence their scope).
func (k *Kernel) ActingWrite(c echo.Context, mod access.ModuleID, need access.Action, fn func(tx *store.Tx, a *Auth) error) error {
	req := AuthOf(c)
	ctx := c.Request().Context()
	err := k.DB.Write(ctx, func(tx *store.Tx) error {
		act, err := tx.ActingFor(ctx, req.Org.ID, req.User.ID, mod, need)
		if err != nil {
			return err
		}
		now := *req
		now.Membership, now.Eff = &act.Membership, act.Eff
		return fn(tx, &now)
	})
	switch {
	case errors.Is(err, store.ErrActorSuspended):
		return Suspended(req.Org.Name)
	case errors.Is(err, store.ErrActorLacksPerm):
		return ErrForbidden
	case errors.Is(err, store.ErrActorNoOrg), errors.Is(err, store.ErrActorNotMember):
		return ErrNotFound
	}
	return err
}
