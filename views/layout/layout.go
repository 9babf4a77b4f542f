// Package layout is the page chrome: the HTML document, top bar with the
// organization switcher and profile menu, the sidebar, flash messages and
// the error pages.
package layout

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"gatehouse/internal/nav"
	"gatehouse/views/components"
)

// Page is what every full page needs besides its own content.
type Page struct {
	Title   string
	CSRF    string     // CSRF token: <meta name="csrf-token"> and hx-headers on <body>
	User    *User      // nil when signed out
	Org     *OrgRef    // current organization, nil outside one
	Orgs    []OrgRef   // organization switcher entries
	Sidebar []nav.Item // empty → no sidebar column
	// SidebarMarkup, when set, is Sidebar already rendered (the server
	// caches it, web/app/sidebar.go); otherwise the shell renders Sidebar.
	SidebarMarkup templ.Component
	Flashes       []Flash
}

// User is the signed-in user as shown in the top bar.
type User struct {
	Name            string
	Email           string
	PhotoURL        string // "" → initials avatar
	IsInstanceAdmin bool
	Unverified      bool // address not confirmed yet: the shell shows a banner with "resend"
}

// Initials returns up to two letters for the avatar (from Name, else Email).
func (u User) Initials() string {
	return components.Initials(u.DisplayName())
}

// DisplayName is Name, or Email when the name is empty.
func (u User) DisplayName() string {
	if strings.TrimSpace(u.Name) != "" {
		return u.Name
	}
	return u.Email
}

// OrgRef is an organization as listed in the switcher and on /orgs.
type OrgRef struct {
	Name      string
	Slug      string
	Role      string
	Suspended bool // the user's membership is suspended
}

// Href is the organization's home: /o/{slug}.
func (o OrgRef) Href() string { return "/o/" + o.Slug }

// Flash is a one-time message shown above the content.
type Flash struct {
	Kind    string // "success", "error", "info"
	Message string
}

// ErrorInfo describes an error page or fragment. Empty Title/Message get a
// default for the status (403, 404, 500). BackHref defaults to /orgs.
type ErrorInfo struct {
	Status   int
	Title    string
	Message  string
	BackHref string
	// A guard's refusal of an active member (web/app/missing.go): the
	// permission missing, the layer that decides it, and the ways forward.
	Needs, Layer              string
	ForwardHref, ForwardLabel string // the first page the member may open
	PermissionsHref           string // their My Permissions
}

func (p Page) documentTitle() string {
	if strings.TrimSpace(p.Title) == "" {
		return "Gatehouse"
	}
	return p.Title + " · Gatehouse"
}

func (p Page) hasSidebar() bool { return len(p.Sidebar) > 0 }

// hxHeaders builds the JSON value of hx-headers; templ escapes it for the attribute.
func hxHeaders(csrf string) string {
	b, err := json.Marshal(map[string]string{"X-CSRF-Token": csrf})
	if err != nil {
		return "{}"
	}
	return string(b)
}

// htmxConfig keeps htmx inside the CSP (no injected styles, no script
// execution) and swaps 422 (validation errors) and 4xx/5xx error fragments,
// which htmx would otherwise drop, leaving the user with no feedback.
const htmxConfig = `{"includeIndicatorStyles":false,"allowScriptTags":false,"allowEval":false,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"4..","swap":true},{"code":"5..","swap":true,"error":true}]}`

func (p Page) myPermissionsHref() string {
	if p.Org == nil {
		return ""
	}
	return "/o/" + p.Org.Slug + "/me/permissions"
}

func isCurrentOrg(p Page, o OrgRef) bool {
	return p.Org != nil && p.Org.Slug == o.Slug
}

func flashKind(k string) string {
	switch k {
	case "success", "error", "info", "warning":
		return k
	}
	return "info"
}

func anyActive(it nav.Item) bool {
	if it.Active {
		return true
	}
	for _, c := range it.Children {
		if anyActive(c) {
			return true
		}
	}
	return false
}

func (e ErrorInfo) status() int {
	if e.Status == 0 {
		return http.StatusInternalServerError
	}
	return e.Status
}

func (e ErrorInfo) suspended() bool {
	s := strings.ToLower(e.Title + " " + e.Message)
	return e.status() == http.StatusForbidden && strings.Contains(s, "suspended")
}

func (e ErrorInfo) title() string {
	if e.Title != "" {
		return e.Title
	}
	switch e.status() {
	case http.StatusForbidden:
		return "You don't have access"
	case http.StatusNotFound:
		return "Not found"
	case http.StatusInternalServerError:
		return "Something went wrong"
	case http.StatusUnauthorized:
		return "Please log in"
	case http.StatusRequestEntityTooLarge:
		return "That upload is too large"
	}
	if t := http.StatusText(e.status()); t != "" {
		return t
	}
	return "Something went wrong"
}

func (e ErrorInfo) message() string {
	if e.Message != "" {
		return e.Message
	}
	switch e.status() {
	case http.StatusForbidden:
		return "You don't have permission to open this page. If you need it, ask an administrator of this organization."
	case http.StatusNotFound:
		return "The page you're looking for doesn't exist, or it has moved."
	case http.StatusUnauthorized:
		return "Your session has ended. Log in again to continue."
	case http.StatusBadRequest:
		return "The request could not be understood. Check what you entered and try again."
	case http.StatusRequestEntityTooLarge:
		return "Nothing was saved: what you sent is larger than Gatehouse accepts (8 MB at most; the form's own limit is shown next to its field). Go back and choose a smaller file."
	}
	return "An unexpected error occurred on our side. Please try again in a moment."
}

func (e ErrorInfo) variant() string {
	if e.suspended() {
		return "card error-state error-state--suspended"
	}
	return "card error-state error-state--" + strconv.Itoa(e.status())
}

func (e ErrorInfo) icon() string {
	switch {
	case e.suspended():
		return "pause-circle"
	case e.status() == http.StatusForbidden || e.status() == http.StatusUnauthorized:
		return "lock"
	case e.status() == http.StatusNotFound:
		return "compass"
	case e.status() >= 500:
		return "alert"
	}
	return "alert-circle"
}

func (e ErrorInfo) code() string {
	if e.suspended() {
		return "ACCESS SUSPENDED"
	}
	return "ERROR " + strconv.Itoa(e.status())
}

func (e ErrorInfo) back() (href, label string) {
	if e.BackHref != "" {
		return e.BackHref, "Go back"
	}
	return "/orgs", "Go to my organizations"
}
