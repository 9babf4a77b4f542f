package orgs

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"gatehouse/web/app"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/orgsetup"
	"gatehouse/internal/payment"
	"gatehouse/internal/store"
	"gatehouse/views/wizard"

	gmail "gatehouse/internal/mail"
)

// The organization wizard (/orgs/new). The draft lives in org_drafts, one per
// user, and only ever holds values that passed their step's checks: reload,
// Back/Forward and a new tab all render from it. Nothing else is written
// until the last step creates the organization in one transaction.

const msgCardData = "Gatehouse never accepts card numbers or other card data. Remove it: you pay by invoice."

// paymentProviders are the payment methods offered; the first is the default.
func (s *Handlers) paymentProviders() []payment.Provider {
	return []payment.Provider{payment.Default()}
}

func (s *Handlers) loadOrgDraft(ctx context.Context, userID int64) (orgsetup.Draft, error) {
	var d orgsetup.Draft
	raw, ok, err := s.DB.OrgDraft(ctx, userID)
	if err != nil || !ok {
		return d, err
	}
	if json.Unmarshal([]byte(raw), &d) != nil {
		return orgsetup.Draft{}, nil // unreadable: start over rather than fail
	}
	return d, nil
}

func (s *Handlers) saveOrgDraft(ctx context.Context, userID int64, d orgsetup.Draft) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return s.DB.SaveOrgDraft(ctx, userID, string(b))
}

// wizardNameTaken and wizardSlugTaken are the availability checks the pure rules cannot do.
func (s *Handlers) wizardNameTaken(ctx context.Context, name string) (string, error) {
	taken, err := s.DB.OrgNameTaken(ctx, orgsetup.NameKey(name))
	if err != nil || !taken {
		return "", err
	}
	return msgOrgNameTaken(name), nil
}

func msgOrgNameTaken(name string) string {
	return "“" + name + "” is already taken by another organization. Names are compared ignoring case, accents and spaces."
}

func (s *Handlers) wizardSlugTaken(ctx context.Context, slug string) (string, error) {
	taken, err := s.DB.OrgSlugTaken(ctx, slug)
	if err != nil || !taken {
		return "", err
	}
	msg := "This subdomain is already taken."
	if alt := s.wizardFreeSlug(ctx, slug); alt != "" {
		msg += " Try “" + alt + "”."
	}
	return msg, nil
}

// wizardFreeSlug returns base if it is available, else the first free "base-N"
// (N ≤ 9), else "".
func (s *Handlers) wizardFreeSlug(ctx context.Context, base string) string {
	for n := 1; n <= 9; n++ {
		cand := base
		if n > 1 {
			cand = orgsetup.NumberedSlug(base, n)
		}
		if orgsetup.CheckSlug(cand) != "" {
			continue
		}
		if taken, err := s.DB.OrgSlugTaken(ctx, cand); err == nil && !taken {
			return cand
		}
	}
	return ""
}

// wizardFirstIncomplete is the first step that is missing, breaks a rule, or
// holds a name or subdomain someone else has taken since; with the
// messages of that step.
func (s *Handlers) wizardFirstIncomplete(ctx context.Context, d orgsetup.Draft) (orgsetup.Step, orgsetup.Errors, error) {
	first := d.FirstIncomplete()
	if first > orgsetup.StepCompany {
		if msg, err := s.wizardNameTaken(ctx, d.Name); err != nil || msg != "" {
			return orgsetup.StepCompany, orgsetup.Errors{"name": msg}, err
		}
	}
	if first > orgsetup.StepDetails {
		if msg, err := s.wizardSlugTaken(ctx, d.Slug); err != nil || msg != "" {
			return orgsetup.StepDetails, orgsetup.Errors{"slug": msg}, err
		}
	}
	return first, orgsetup.Errors{}, nil
}

func (s *Handlers) wizardProps(c echo.Context, d orgsetup.Draft, step, reachable orgsetup.Step) wizard.Props {
	a := app.AuthOf(c)
	return wizard.Props{Step: step, Reachable: max(reachable, step), CSRF: app.CSRFToken(c), Draft: d,
		Errors: orgsetup.Errors{}, BaseHost: s.Base.Hostname(), UserEmail: a.User.Email}
}

// renderWizard writes the page (or the #wizard fragment for htmx). Drafts
// change under the same URL, so no cache may keep a step.
func (s *Handlers) renderWizard(c echo.Context, status int, w wizard.Props) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	panel := wizard.Panel(w)
	return app.Render(c, status, s.FullPage(c, "Create organization", panel), panel)
}

// WizardGet renders a step from the draft: /orgs/new resumes at the first
// incomplete step; /orgs/new?step=N shows step N unless an earlier step is
// incomplete, in which case it redirects there.
func (s *Handlers) WizardGet(c echo.Context) error {
	ctx := c.Request().Context()
	a := app.AuthOf(c)
	d, err := s.loadOrgDraft(ctx, a.User.ID)
	if err != nil {
		return err
	}
	first, errs, err := s.wizardFirstIncomplete(ctx, d)
	if err != nil {
		return err
	}
	step := first
	if q := c.QueryParam("step"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || !orgsetup.Step(n).Valid() || orgsetup.Step(n) > first {
			return app.Redirect(c, wizard.URL(first))
		}
		step = orgsetup.Step(n)
	}
	w := s.wizardProps(c, d, step, first)
	if step == first {
		w.Errors = errs // a saved name or subdomain taken since: say so at once
	}
	if step == orgsetup.StepDetails && d.Slug == "" {
		w.Draft.Slug = s.wizardFreeSlug(ctx, orgsetup.SuggestSlug(d.Name))
	}
	return s.renderWizard(c, http.StatusOK, w)
}

// WizardPost checks one step; a valid step is saved to the draft and the
// next one is shown (htmx: swapped in with its URL pushed; otherwise a
// redirect). Errors re-render the step with status 422 and save nothing.
func (s *Handlers) WizardPost(c echo.Context) error {
	ctx := c.Request().Context()
	a := app.AuthOf(c)
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	d, err := s.loadOrgDraft(ctx, a.User.ID)
	if err != nil {
		return err
	}
	// Availability is not part of this gate: the step that is posted checks
	// its own, and the last step re-checks everything after saving billing.
	first := d.FirstIncomplete()
	n, err := strconv.Atoi(form.Get("step"))
	step := orgsetup.Step(n)
	if err != nil || !step.Valid() || step > first {
		return app.Redirect(c, wizard.URL(first))
	}
	if field, found := payment.CardData(form); found {
		// The card data is not echoed back: the step shows the saved draft.
		w := s.wizardProps(c, d, step, first)
		w.FormError = msgCardData
		w.Errors[field] = msgCardData
		return s.renderWizard(c, domain.CodeInvalid.Status(), w)
	}

	next := d
	var errs orgsetup.Errors
	switch step {
	case orgsetup.StepCompany:
		var name string
		name, errs = orgsetup.CheckCompany(form.Get("name"))
		if errs.OK() {
			msg, err := s.wizardNameTaken(ctx, name)
			if err != nil {
				return err
			}
			errs.Add("name", msg)
		}
		next.SetName(name)
	case orgsetup.StepDetails:
		var in orgsetup.Details
		in, errs = orgsetup.CheckDetails(orgsetup.Details{Slug: form.Get("slug"), Country: form.Get("country"),
			City: form.Get("city"), Address: form.Get("address"), VATID: form.Get("vat_id"), NoVAT: form.Get("no_vat") != ""})
		if _, bad := errs["slug"]; !bad {
			msg, err := s.wizardSlugTaken(ctx, in.Slug)
			if err != nil {
				return err
			}
			errs.Add("slug", msg)
		}
		if !errs.OK() {
			in.VATID = strings.TrimSpace(form.Get("vat_id")) // show what was typed
		}
		next.SetDetails(in)
	case orgsetup.StepPlan:
		var in orgsetup.Plan
		in, errs = orgsetup.CheckPlan(orgsetup.Plan{Products: form["products"], Package: form.Get("package")})
		next.SetPlan(in)
	case orgsetup.StepReview:
		return s.wizardFinish(c, d, form)
	}
	if !errs.OK() {
		w := s.wizardProps(c, next, step, first)
		w.Errors = errs
		return s.renderWizard(c, domain.CodeInvalid.Status(), w)
	}
	if err := s.saveOrgDraft(ctx, a.User.ID, next); err != nil {
		return err
	}
	return s.wizardShow(c, next, step+1, nil, http.StatusOK)
}

// wizardShow moves the user to a step: htmx gets the step swapped in and
// its URL pushed; a plain form gets a redirect to it (POST/redirect/GET).
func (s *Handlers) wizardShow(c echo.Context, d orgsetup.Draft, step orgsetup.Step, errs orgsetup.Errors, status int) error {
	if !app.IsHTMX(c) {
		return c.Redirect(http.StatusSeeOther, wizard.URL(step))
	}
	ctx := c.Request().Context()
	w := s.wizardProps(c, d, step, max(step, d.FirstIncomplete()))
	if errs != nil {
		w.Errors = errs
	}
	if step == orgsetup.StepDetails && d.Slug == "" {
		w.Draft.Slug = s.wizardFreeSlug(ctx, orgsetup.SuggestSlug(d.Name))
	}
	c.Response().Header().Set("HX-Push-Url", wizard.URL(step))
	return s.renderWizard(c, status, w)
}

// wizardFinish is the last step: billing contact, payment, then the
// organization, its owner, its predefined groups and an audit entry in one
// transaction that also deletes the draft. A name or subdomain taken in
// the meantime (the unique indexes decide races) sends the user back to the
// step that holds it, with the reason next to the field.
func (s *Handlers) wizardFinish(c echo.Context, d orgsetup.Draft, form url.Values) error {
	ctx := c.Request().Context()
	a := app.AuthOf(c)
	bill, errs := orgsetup.CheckBilling(orgsetup.Billing{Name: form.Get("billing_name"), Email: form.Get("billing_email"),
		PONumber: form.Get("po_number")})
	provider, ok := payment.Lookup(form.Get("provider"), s.paymentProviders()...)
	if !ok {
		errs.Add("provider", "Choose a payment method we offer: invoice.")
	}
	if form.Get("total") != strconv.FormatInt(d.MonthlyCents(), 10) {
		errs.Add("total", "The total sent does not match the price of your choices ("+orgsetup.FormatEUR(d.MonthlyCents())+
			" per month). Check the overview and confirm again.")
	}
	next := d
	next.SetBilling(bill)
	if !errs.OK() {
		w := s.wizardProps(c, next, orgsetup.StepReview, orgsetup.StepReview)
		w.Errors = errs
		return s.renderWizard(c, domain.CodeInvalid.Status(), w)
	}
	if err := s.saveOrgDraft(ctx, a.User.ID, next); err != nil { // billing survives a trip back
		return err
	}
	d = next
	if first, errs, err := s.wizardFirstIncomplete(ctx, d); err != nil {
		return err
	} else if first < orgsetup.StepReview {
		return s.wizardBackTo(c, d, first, errs)
	}

	// At most app.MaxCreatesPerHour organizations per account and hour: the
	// slot is taken before anything is set up and handed back unless the
	// organization is created.
	limit := app.AccountKey(a.User.ID)
	if ok, wait := s.OrgsPerAccount.Take(limit); !ok {
		w := s.wizardProps(c, d, orgsetup.StepReview, orgsetup.StepReview)
		w.FormError = fmt.Sprintf("You have created %d organizations in the last hour, the most one account may. "+
			"Wait %d minutes and confirm again: your choices are kept.", app.MaxCreatesPerHour, app.WaitMinutes(wait))
		return s.renderWizard(c, app.Throttled(c, wait), w)
	}
	created := false
	defer func() {
		if !created {
			s.OrgsPerAccount.Give(limit)
		}
	}()
	pkg, _ := orgsetup.PackageByID(d.Package)
	order := payment.Order{OrgName: d.Name, OrgSlug: d.Slug, Package: pkg.ID, Seats: pkg.Seats, Products: d.Products,
		MonthlyCents: d.MonthlyCents(), Currency: "EUR", BillingName: d.BillingName, BillingEmail: d.BillingEmail, PONumber: d.PONumber}
	receipt, err := provider.Checkout(ctx, order)
	if err != nil {
		w := s.wizardProps(c, d, orgsetup.StepReview, orgsetup.StepReview)
		w.FormError = "The payment could not be set up: " + err.Error() + ". Check the billing contact and try again."
		return s.renderWizard(c, domain.CodeInvalid.Status(), w)
	}
	products, _ := access.ParseProducts(d.Products)
	var org domain.Org
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		org, err = tx.CreateOrg(ctx, store.NewOrg{Name: d.Name, NameKey: orgsetup.NameKey(d.Name), Slug: d.Slug,
			Country: d.Country, City: d.City, Address: d.Address, VATID: d.VATID, Products: products,
			Package: pkg.ID, Seats: pkg.Seats, BillingName: d.BillingName, BillingEmail: d.BillingEmail, PONumber: d.PONumber})
		if err != nil {
			return err
		}
		if _, err := tx.AddMember(ctx, org.ID, a.User.ID, access.RoleOwner, domain.StatusActive, nil); err != nil {
			return err
		}
		if err := tx.Audit(ctx, store.AuditEntry{OrgID: org.ID, ActorID: a.User.ID, ActorEmail: a.User.Email,
			Action: "org.create", Target: org.Name, IP: c.RealIP(), After: store.JSON(map[string]any{
				"name": org.Name, "slug": org.Slug, "country": org.Country, "city": org.City, "address": org.Address,
				"vat_id": org.VATID, "products": products.Keys(), "package": pkg.ID, "seats": pkg.Seats,
				"payment": receipt.Provider, "reference": receipt.Reference})}); err != nil {
			return err
		}
		return tx.DeleteOrgDraft(ctx, a.User.ID)
	})
	if conflict := domain.AsError(err); conflict != nil && conflict.Code == domain.CodeConflict {
		if conflict.Field == "slug" {
			msg, _ := s.wizardSlugTaken(ctx, d.Slug)
			return s.wizardBackTo(c, d, orgsetup.StepDetails, orgsetup.Errors{"slug": cmp.Or(msg, "This subdomain was just taken.")})
		}
		return s.wizardBackTo(c, d, orgsetup.StepCompany, orgsetup.Errors{"name": msgOrgNameTaken(d.Name)})
	}
	if err != nil {
		return err
	}
	created = true
	s.SendMail(gmail.Message{To: d.BillingEmail, Subject: "Your Gatehouse organization " + org.Name,
		Text: fmt.Sprintf("Hello %s,\n\n%s has been created on Gatehouse (%s) with the %s package (%d seats).\n\n%s\nReference: %s\nAmount: %s per month\n",
			d.BillingName, org.Name, s.AbsURL("/o/"+org.Slug), pkg.Name, pkg.Seats, receipt.Message, receipt.Reference,
			orgsetup.FormatEUR(d.MonthlyCents()))})
	s.Flash(c, "success", "Welcome to "+org.Name+"! Your organization is ready and you are its owner. "+receipt.Message)
	return app.Redirect(c, "/o/"+org.Slug)
}

// wizardBackTo sends the user to an earlier step with its messages.
func (s *Handlers) wizardBackTo(c echo.Context, d orgsetup.Draft, step orgsetup.Step, errs orgsetup.Errors) error {
	if !app.IsHTMX(c) {
		for _, msg := range errs {
			s.Flash(c, "error", msg)
		}
	}
	return s.wizardShow(c, d, step, errs, domain.CodeInvalid.Status())
}

// WizardDiscard deletes the draft; nothing else exists to undo.
func (s *Handlers) WizardDiscard(c echo.Context) error {
	if err := s.DB.DeleteOrgDraft(c.Request().Context(), app.AuthOf(c).User.ID); err != nil {
		return err
	}
	s.Flash(c, "info", "The draft was discarded. Nothing was created.")
	return app.Redirect(c, "/orgs")
}

// WizardCheckName answers the live check of step 1 as the user types.
func (s *Handlers) WizardCheckName(c echo.Context) error {
	raw := c.QueryParam("name")
	var st wizard.Status
	if strings.TrimSpace(raw) != "" {
		name, msg := orgsetup.CheckName(raw)
		if msg == "" {
			var err error
			if msg, err = s.wizardNameTaken(c.Request().Context(), name); err != nil {
				return err
			}
			if msg != "" {
				msg = "✗ Taken: another organization already uses this name."
			}
		}
		st = wizard.Status{OK: msg == "", Text: cmp.Or(msg, "✓ available")}
	}
	return app.Render(c, http.StatusOK, wizard.NameStatus(st), nil)
}

// WizardCheckSlug answers the live check of the subdomain as the user types.
func (s *Handlers) WizardCheckSlug(c echo.Context) error {
	raw := c.QueryParam("slug")
	var st wizard.Status
	if strings.TrimSpace(raw) != "" {
		slug := orgsetup.NormalizeSlug(raw)
		msg := orgsetup.CheckSlug(slug)
		if msg == "" {
			taken, err := s.wizardSlugTaken(c.Request().Context(), slug)
			if err != nil {
				return err
			}
			if taken != "" {
				msg = "✗ " + taken
			}
		}
		text := msg
		if msg == "" {
			text = "✓ available: " + s.OrgAddress(slug)
		}
		st = wizard.Status{OK: msg == "", Text: text}
	}
	return app.Render(c, http.StatusOK, wizard.SlugStatus(st), nil)
}
