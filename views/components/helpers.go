// Package components holds small, reusable view pieces shared by every page:
// form fields, alerts, badges, avatars, empty states and the icon set.
package components

import (
	"hash/fnv"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/a-h/templ"
)

// FieldProps describes one labelled form control rendered by Field.
// Type defaults to "text"; Type "textarea" renders a <textarea>.
// ID defaults to Name. Error, when set, is shown next to the field and the
// control gets aria-invalid="true"; Hint and Error are linked through
// aria-describedby. Attrs are added to the control (e.g. hx-post, autofocus).
type FieldProps struct {
	ID           string
	Name         string
	Label        string
	Type         string
	Value        string
	Error        string
	Hint         string
	Autocomplete string
	Placeholder  string
	Required     bool
	Attrs        templ.Attributes
}

func (f FieldProps) id() string {
	if f.ID != "" {
		return f.ID
	}
	if f.Name != "" {
		return "f-" + f.Name
	}
	return "f-field"
}

func (f FieldProps) typ() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

func (f FieldProps) hintID() string  { return f.id() + "-hint" }
func (f FieldProps) errorID() string { return f.id() + "-error" }

func (f FieldProps) describedBy() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.errorID())
	}
	if f.Hint != "" {
		ids = append(ids, f.hintID())
	}
	return strings.Join(ids, " ")
}

// Initials returns up to two uppercase letters for an avatar: the first
// letter of the first and of the last word ("Ada Lovelace" → "AL",
// "bob@example.com" → "B"). Empty input gives "?".
func Initials(name string) string {
	name = strings.TrimSpace(name)
	if at := strings.IndexByte(name, '@'); at > 0 && !strings.Contains(name, " ") {
		name = name[:at]
	}
	words := strings.FieldsFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || r == '.' || r == '_' || r == '-'
	})
	var out []rune
	first := func(w string) rune {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToUpper(r)
			}
		}
		return 0
	}
	if len(words) > 0 {
		if r := first(words[0]); r != 0 {
			out = append(out, r)
		}
	}
	if len(words) > 1 {
		if r := first(words[len(words)-1]); r != 0 {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		if r, _ := utf8.DecodeRuneInString(name); r != utf8.RuneError && name != "" {
			return string(unicode.ToUpper(r))
		}
		return "?"
	}
	return string(out)
}

var avatarSizes = []int{20, 24, 28, 32, 40, 48, 64, 96, 128}

// avatarSizeClass maps a pixel size to the nearest CSS size class (no inline
// styles: the CSP forbids them).
func avatarSize(size int) int {
	if size <= 0 {
		return 32
	}
	best := avatarSizes[0]
	for _, s := range avatarSizes {
		if abs(s-size) < abs(best-size) {
			best = s
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func avatarClasses(name string, size int, square bool) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(strings.ToLower(strings.TrimSpace(name))))
	c := "avatar avatar-" + strconv.Itoa(avatarSize(size)) + " avatar-c" + strconv.Itoa(int(h.Sum32()%8))
	if square {
		c += " avatar-square"
	}
	return c
}

// cssToken reduces s to a safe CSS class fragment: lowercase [a-z0-9-].
func cssToken(s string) string {
	if isCSSToken(s) {
		return s // the common case (a badge kind): no copy
	}
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r == '_' || r == ' ':
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "neutral"
	}
	return b.String()
}

// isCSSToken reports whether s is already a non-empty lowercase [a-z0-9-].
func isCSSToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return s != ""
}

// Class is a class attribute holding exactly classes, for components
// written many times a page (a badge per row, a thread's messages): templ's
// class={ … } builds two maps per element to merge and deduplicate class
// lists, which was a quarter of a long thread's rendering.
func Class(classes string) templ.OrderedAttributes {
	return templ.OrderedAttributes{{Key: "class", Value: classes}}
}

// BadgeClass is the CSS class list of a badge of the given kind
// ("active", "suspended", "pending", "role-owner", "success", "danger", …).
func BadgeClass(kind string) string {
	return "badge badge-" + cssToken(kind)
}

var roleLabels = map[string]string{
	"owner":             "Owner",
	"admin":             "Admin",
	"manager":           "Manager",
	"financial":         "Financial",
	"sales":             "Sales",
	"agent":             "Agent",
	"agent_limited":     "Agent (limited)",
	"medical_doctor":    "Doctor",
	"medical_assistant": "Medical assistant",
}

// RoleLabel is the human label of a role key ("agent_limited" → "Agent (limited)").
// Unknown keys are title-cased with underscores turned into spaces.
func RoleLabel(role string) string {
	if l, ok := roleLabels[role]; ok {
		return l
	}
	s := strings.ReplaceAll(strings.TrimSpace(role), "_", " ")
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// roleBadgeKind: owner and admin stand out, other roles are neutral outlines.
func roleBadgeKind(role string) string {
	switch role {
	case "owner":
		return "role-owner"
	case "admin":
		return "role-admin"
	default:
		return "role"
	}
}

// StatusLabel is the human label of a membership or invite status.
func StatusLabel(status string) string {
	switch status {
	case "active":
		return "Active"
	case "suspended":
		return "Suspended"
	case "pending":
		return "Pending"
	case "revoked":
		return "Revoked"
	case "expired":
		return "Expired"
	}
	return RoleLabel(status)
}

func alertKind(kind string) string {
	switch kind {
	case "success", "error", "warning", "info":
		return kind
	case "danger":
		return "error"
	}
	return "info"
}

func alertIcon(kind string) string {
	switch alertKind(kind) {
	case "success":
		return "check-circle"
	case "error":
		return "alert-circle"
	case "warning":
		return "alert"
	}
	return "info"
}

// Plural counts a noun for page text: Plural(1, "seat is", "seats are") is
// "1 seat is", Plural(1200, "row", "rows") is "1,200 rows".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Thousands(n) + " " + many
}

// Thousands formats 100000 as "100,000".
func Thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// FieldLine is one field's level as FieldList states it.
type FieldLine struct {
	Key   string // "customers.tax_id"
	Label string // "Tax ID"
	Level string // "hidden", "read", "edit"
	Text  string // the engine's words: "read, from group Support"
}

// ScopeLine is a scoped module's data scope as ScopeList states it.
type ScopeLine struct {
	Module  string // "customers"
	Label   string // "Customers"
	Text    string // the engine's words: "team, from group Support leads"
	Meaning string // which records that is: "assigned to them or owned by their teams"
}

// Person is the member a row or a page is about, as every member view
// shows them: name (or address), photo, role badge and status.
type Person struct {
	ID       int64
	Name     string
	Email    string
	PhotoURL string
	Role     string
	Status   string
}

// DisplayName is the name, or the email when there is none.
func (p Person) DisplayName() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}
