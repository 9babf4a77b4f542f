package orgs

import (
	"fmt"
	"gatehouse/web/app"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/internal/domain"
	"gatehouse/internal/orgsetup"
	"gatehouse/internal/store"
	"gatehouse/views/wizard"

	gmail "gatehouse/internal/mail"
)

// "Contact sales" (/orgs/new/quote): a request for a custom package is
// stored, every instance admin gets it by mail, and the user is told what
// happens next.

func (s *Handlers) renderQuote(c echo.Context, status int, q wizard.QuoteProps) error {
	content := wizard.Quote(q)
	return app.Render(c, status, s.FullPage(c, "Contact sales", content), content)
}

func (s *Handlers) QuoteForm(c echo.Context) error {
	a := app.AuthOf(c)
	q := wizard.QuoteProps{CSRF: app.CSRFToken(c), Email: a.User.Email, Sent: c.QueryParam("sent") == "1"}
	if !q.Sent {
		if d, err := s.loadOrgDraft(c.Request().Context(), a.User.ID); err == nil {
			q.Company = d.Name
		}
	}
	return s.renderQuote(c, http.StatusOK, q)
}

func (s *Handlers) QuoteSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	a := app.AuthOf(c)
	in, errs := orgsetup.CheckQuote(c.FormValue("company"), c.FormValue("seats"), c.FormValue("message"))
	if !errs.OK() {
		return s.renderQuote(c, domain.CodeInvalid.Status(), wizard.QuoteProps{CSRF: app.CSRFToken(c), Email: a.User.Email,
			Company: c.FormValue("company"), Seats: c.FormValue("seats"), Message: c.FormValue("message"), Errors: errs})
	}
	// At most app.MaxCreatesPerHour requests per account and hour (each one
	// mails every instance admin); a request that is not stored gives its
	// slot back.
	limit := app.AccountKey(a.User.ID)
	if ok, wait := s.QuotesPerAccount.Take(limit); !ok {
		return domain.RateLimited(wait, "You have sent %d quote requests in the last hour, "+
			"the most one account may. Wait %d minutes and send your request again.", app.MaxCreatesPerHour, app.WaitMinutes(wait))
	}
	q, err := s.DB.CreateQuoteRequest(ctx, store.QuoteRequest{UserID: a.User.ID, Company: in.Company, Seats: in.Seats, Message: in.Message})
	if err != nil {
		s.QuotesPerAccount.Give(limit)
		return err
	}
	admins, err := s.DB.InstanceAdminEmails(ctx)
	if err != nil {
		s.Log.Error("quote request: list instance admins", "id", q.ID, "err", err)
	}
	if len(admins) == 0 {
		s.Log.Warn("quote request stored, but there is no instance admin to notify", "id", q.ID)
	}
	message := in.Message
	if message == "" {
		message = "(none)"
	}
	body := fmt.Sprintf("A custom quote was requested on Gatehouse.\n\nRequest:  #%d\nCompany:  %s\nSeats:    %s\nFrom:     %s <%s>\n\nMessage:\n%s\n\nReply to %s with a quote.\n",
		q.ID, in.Company, strconv.Itoa(in.Seats), a.User.Name, a.User.Email, message, a.User.Email)
	for _, to := range admins {
		s.SendMail(gmail.Message{To: to, Subject: "Quote request: " + quoteSubjectLine(in.Company) + " (" + strconv.Itoa(in.Seats) + " seats)", Text: body})
	}
	if app.IsHTMX(c) {
		return s.renderQuote(c, http.StatusOK, wizard.QuoteProps{CSRF: app.CSRFToken(c), Email: a.User.Email, Sent: true})
	}
	return app.Redirect(c, "/orgs/new/quote?sent=1")
}

// quoteSubjectLine keeps a user-typed value from breaking a mail header.
func quoteSubjectLine(s string) string { return strings.Join(strings.Fields(s), " ") }
