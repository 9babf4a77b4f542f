package orgs

import (
	"context"
	"errors"
	"gatehouse/web/app"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/orgsetup"
	"gatehouse/internal/store"
	"gatehouse/views/orgsettings"
	"gatehouse/views/permgrid"
)

// Organization settings (/o/{slug}/settings/organization): settings_view
// reads, settings_edit changes name, location, VAT, products and package.
// A product change bumps perm_version (schema trigger), so every member's
// next request already resolves without the removed modules.

func (s *Handlers) orgSettingsProps(c echo.Context, o domain.Org) (orgsettings.Props, error) {
	active, pending, err := s.DB.OrgSeatsInUse(c.Request().Context(), o.ID)
	if err != nil {
		return orgsettings.Props{}, err
	}
	country, _ := orgsetup.CountryByCode(o.Country)
	return orgsettings.Props{
		CSRF: app.CSRFToken(c), Slug: o.Slug, Host: s.OrgAddress(o.Slug),
		CanEdit: app.AuthOf(c).Can(access.ModSettings, access.Edit),
		Name:    o.Name, Country: o.Country, City: o.City, Address: o.Address, VATID: o.VATID,
		NoVAT:    o.VATID == "" && country.HasVAT(),
		Products: o.Products.Keys(), Package: o.Package, Seats: o.Seats,
		SeatsActive: active, SeatsPending: pending, Errors: orgsetup.Errors{},
	}, nil
}

func (s *Handlers) orgSettings(c echo.Context) error {
	o, err := s.DB.OrgBySlug(c.Request().Context(), app.AuthOf(c).Org.Slug)
	if err != nil {
		return err
	}
	p, err := s.orgSettingsProps(c, o)
	if err != nil {
		return err
	}
	return s.OK(c, "Organization settings", orgsettings.Page(p))
}

// orgSettingsChanges is what an edit may change, for the audit entry.
type orgSettingsChanges struct {
	Name     string   `json:"name"`
	Country  string   `json:"country"`
	City     string   `json:"city"`
	Address  string   `json:"address"`
	VATID    string   `json:"vat_id"`
	Products []string `json:"products"`
	Package  string   `json:"package"`
	Seats    int      `json:"seats"`
}

func orgSettingsOf(o domain.Org) orgSettingsChanges {
	return orgSettingsChanges{Name: o.Name, Country: o.Country, City: o.City, Address: o.Address, VATID: o.VATID,
		Products: o.Products.Keys(), Package: o.Package, Seats: o.Seats}
}

func (s *Handlers) orgSettingsSave(c echo.Context) error {
	ctx := c.Request().Context()
	a := app.AuthOf(c)
	before, err := s.DB.OrgBySlug(ctx, a.Org.Slug)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}

	after := before
	name, errs := orgsetup.CheckCompany(form.Get("name"))
	after.Name = name
	loc, locErrs := orgsetup.CheckDetails(orgsetup.Details{Slug: before.Slug, Country: form.Get("country"), City: form.Get("city"),
		Address: form.Get("address"), VATID: form.Get("vat_id"), NoVAT: form.Get("no_vat") != ""})
	delete(locErrs, "slug") // not editable; an old slug may predate today's rules
	for f, m := range locErrs {
		errs.Add(f, m)
	}
	after.Country, after.City, after.Address, after.VATID = loc.Country, loc.City, loc.Address, loc.VATID
	if _, bad := locErrs["vat_id"]; bad {
		after.VATID = form.Get("vat_id")
	}
	pkg := form.Get("package")
	plan, planErrs := orgsetup.CheckPlan(orgsetup.Plan{Products: form["products"], Package: pkg})
	if pkg == before.Package {
		delete(planErrs, "package") // keeping a custom package arranged by sales is fine
	} else if p, ok := orgsetup.PackageByID(plan.Package); ok {
		after.Package, after.Seats = p.ID, p.Seats
	}
	for f, m := range planErrs {
		errs.Add(f, m)
	}
	if products, err := access.ParseProducts(plan.Products); err == nil {
		after.Products = products
	}
	if errs.OK() && orgsetup.NameKey(after.Name) != orgsetup.NameKey(before.Name) {
		msg, err := s.wizardNameTaken(ctx, after.Name)
		if err != nil {
			return err
		}
		if msg != "" { // the input is valid, the name is another organization's: a conflict
			return s.orgSettingsRefused(c, domain.CodeConflict.Status(), after, orgsetup.Errors{"name": msg})
		}
	}
	if !errs.OK() {
		return s.orgSettingsInvalid(c, after, errs)
	}

	old, changed := orgSettingsOf(before), orgSettingsOf(after)
	if slices.Equal(old.Products, changed.Products) && old.Name == changed.Name && old.Country == changed.Country &&
		old.City == changed.City && old.Address == changed.Address && old.VATID == changed.VATID &&
		old.Package == changed.Package && old.Seats == changed.Seats {
		s.Flash(c, "info", "Nothing changed.")
		return app.Redirect(c, "/o/"+before.Slug+"/settings/organization")
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		planChanged := !slices.Equal(old.Products, changed.Products) || old.Package != changed.Package
		// The actor as this transaction reads them: settings_edit, as the guard asked.
		act, err := tx.ActingFor(ctx, before.ID, a.User.ID, access.ModSettings, access.Edit)
		if err != nil {
			field := "name"
			if planChanged {
				field = planField(before, after)
			}
			return actorFieldError(err, field)
		}
		if planChanged {
			if err := mayChangePlan(ctx, tx, act, before, after); err != nil {
				return err
			}
		}
		if after.Seats < before.Seats {
			active, pending, err := tx.OrgSeatsInUse(ctx, before.ID)
			if err != nil {
				return err
			}
			if active+pending > after.Seats {
				return domain.Invalid("package", "%s", orgSettingsSeatsMessage(active, pending, after))
			}
		}
		if err := tx.UpdateOrg(ctx, after, orgsetup.NameKey(after.Name)); err != nil {
			return err
		}
		// A product added later gets its predefined group, as a new organization would.
		for _, g := range access.PredefinedGroups(after.Products) {
			if !after.Products.Has(g.Key) || before.Products.Has(g.Key) {
				continue
			}
			if has, err := tx.HasPredefinedGroup(ctx, before.ID, g.Key); err != nil {
				return err
			} else if !has {
				if _, err := tx.CreateGroup(ctx, before.ID, g.Name, g.Description, g.Set, g.Key); err != nil &&
					!errors.Is(err, store.ErrConflict) { // a custom group of that name: keep it
					return err
				}
			}
		}
		return tx.Audit(ctx, store.AuditEntry{OrgID: before.ID, ActorID: a.User.ID, ActorEmail: a.User.Email,
			Action: "org.update", Target: after.Name, Before: store.JSON(old), After: store.JSON(changed), IP: c.RealIP()})
	})
	// A refusal found inside the transaction: its message goes next to its
	// field, with its code's status; a name taken meanwhile is the name's.
	fe := domain.AsError(err)
	switch {
	case errors.Is(err, store.ErrConflict):
		return s.orgSettingsRefused(c, domain.CodeConflict.Status(), after, orgsetup.Errors{"name": msgOrgNameTaken(after.Name)})
	case fe != nil:
		return s.orgSettingsRefused(c, fe.Status(), after, orgsetup.Errors{fe.Field: fe.Message})
	case err != nil:
		return err
	}
	s.Flash(c, "success", "Organization settings saved.")
	// A full page load: products change the sidebar, not just this form.
	return app.Redirect(c, "/o/"+before.Slug+"/settings/organization")
}

func orgSettingsSeatsMessage(active, pending int, after domain.Org) string {
	used := strconv.Itoa(active) + " active members"
	if active == 1 {
		used = "1 active member"
	}
	if pending > 0 {
		used += " and " + strconv.Itoa(pending) + " pending invite"
		if pending > 1 {
			used += "s"
		}
	}
	return "The " + orgsetup.PackageName(after.Package) + " package has " + strconv.Itoa(after.Seats) +
		" seats, but you have " + used + ". Suspend or remove members (or revoke invites) first, or choose a larger package."
}

// mayChangePlan is the rule for an organization's products and package:
// a change of either is billing's (billing_edit), and a product added
// brings modules whose every permission the actor must hold (resolved as
// the organization would be after the change), so that nobody adds
// rights to the organization that they could not grant. An owner may.
// act is the actor as this transaction read them (an active member).
func mayChangePlan(ctx context.Context, tx *store.Tx, act store.Acting, before, after domain.Org) error {
	field := planField(before, after)
	if act.Eff.IsOwner() {
		return nil
	}
	if !act.Eff.Can(access.ModBilling, access.Edit) {
		return domain.Escalation(field, access.Set{}, "Nothing was saved: changing the products or the package needs the permission billing_edit, which you do not hold.")
	}
	brought := access.FullSet().RestrictTo(after.Products).Minus(access.FullSet().RestrictTo(before.Products))
	if brought.IsEmpty() {
		return nil
	}
	in, err := tx.MemberInput(ctx, after, act.Membership, store.DecidingLayers)
	if err != nil {
		return err
	}
	if missing := brought.Minus(access.Resolve(in).Set); !missing.IsEmpty() {
		var added []string
		for _, p := range access.Products() {
			if after.Products.Has(p.Key) && !before.Products.Has(p.Key) {
				added = append(added, p.Label)
			}
		}
		return domain.Escalation("products", missing, "Nothing was saved: adding %s needs every permission of the modules it brings, and you do not hold %s.",
			strings.Join(added, ", "), app.ListSome(permgrid.Describe(missing)))
	}
	return nil
}

// planField is the field a refusal of a plan change shows on.
func planField(before, after domain.Org) string {
	if before.Products == after.Products {
		return "package"
	}
	return "products"
}

// actorFieldError words a refusal of the actor by the save's own
// transaction (store.ErrActor…: removed, suspended or without the
// permission since the page was loaded) on field; nothing was saved.
func actorFieldError(err error, field string) error {
	e := domain.AsError(err)
	if e == nil || !(errors.Is(err, store.ErrActorNoOrg) || errors.Is(err, store.ErrActorNotMember) ||
		errors.Is(err, store.ErrActorSuspended) || errors.Is(err, store.ErrActorLacksPerm)) {
		return err
	}
	msg := e.Message
	return &domain.Error{Code: domain.CodeForbidden, Field: field, Message: "Nothing was saved: " + strings.ToLower(msg[:1]) + msg[1:]}
}

func (s *Handlers) orgSettingsInvalid(c echo.Context, o domain.Org, errs orgsetup.Errors) error {
	return s.orgSettingsRefused(c, domain.CodeInvalid.Status(), o, errs)
}

func (s *Handlers) orgSettingsRefused(c echo.Context, status int, o domain.Org, errs orgsetup.Errors) error {
	p, err := s.orgSettingsProps(c, o)
	if err != nil {
		return err
	}
	p.Errors = errs
	p.NoVAT = c.FormValue("no_vat") != ""
	content := orgsettings.Page(p)
	return app.Render(c, status, s.FullPage(c, "Organization settings", content), content)
}
