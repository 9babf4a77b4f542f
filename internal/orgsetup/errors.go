// Package orgsetup holds the rules of creating and editing an organization:
// company names, subdomains, countries and VAT ids, products and packages,
// the wizard's draft and the validation of each of its steps. It is pure:
// no HTTP, no SQL. Availability (a name or subdomain already taken) is the
// caller's business, because only the store can answer it.
package orgsetup

// Errors maps a form field to the message shown next to it. The key "form"
// is for a message about the whole form.
type Errors map[string]string

// Add records msg for field unless the field already has one (the first
// problem found is the one worth telling).
func (e Errors) Add(field, msg string) {
	if msg == "" {
		return
	}
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// OK reports that there is nothing to fix.
func (e Errors) OK() bool { return len(e) == 0 }
