package customers

import (
	"slices"
	"strconv"

	"gatehouse/web/app"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/customers"
)

// Field-level permissions (ARCHITECTURE.md, Fields): every
// path of this package asks the member's one access.Projection what it may
// show, search, sort, export and write: the list (columns, search, sort
// links, the row memo's key), the detail page, the form (inputs, read-only
// text), the CSV, the writes and their audit entries. A value the member
// cannot read is blanked before it reaches a view (project), so no template
// can leak it by mistake.

// fieldsOf is the member's projection on customers.
func fieldsOf(a *app.Auth) access.Projection { return a.Eff.Projection(access.ModCustomers) }

// customerFields are the declared customers fields in declaration order.
func customerFields() []access.FieldDef { return access.ModuleOf(access.ModCustomers).Fields }

// project blanks every field of cu the projection cannot read.
func project(cu store.Customer, f access.Projection) store.Customer {
	if f.Unrestricted() {
		return cu
	}
	for _, s := range []struct {
		key string
		v   *string
	}{{"name", &cu.Name}, {"email", &cu.Email}, {"phone", &cu.Phone}, {"company", &cu.Company}, {"notes", &cu.Notes},
		{"tax_id", &cu.TaxID}, {"internal_notes", &cu.InternalNotes}} {
		if !f.Readable(s.key) {
			*s.v = ""
		}
	}
	if !f.Readable("credit_limit") {
		cu.CreditLimit = domain.Amount{}
	}
	return cu
}

// displayName is how a page names a customer: their name, or their number
// for a member who cannot read names.
func displayName(cu *store.Customer, f access.Projection) string {
	return app.CustomerName(f, cu.ID, cu.Name)
}

// setField sets field key of cu from its form text (the credit limit is
// checked by readCustomerForm before).
func setField(cu *store.Customer, key, v string) {
	switch key {
	case "name":
		cu.Name = v
	case "email":
		cu.Email = v
	case "phone":
		cu.Phone = v
	case "company":
		cu.Company = v
	case "notes":
		cu.Notes = v
	case "tax_id":
		cu.TaxID = v
	case "credit_limit":
		cu.CreditLimit, _ = domain.ParseAmount(v)
	case "internal_notes":
		cu.InternalNotes = v
	}
}

// sameValue reports whether a form's text is the stored value of field
// key: a credit limit compares as an amount ("5000" is "5000.00").
func sameValue(cu *store.Customer, key, v string) bool {
	if key == "credit_limit" {
		a, msg := domain.ParseAmount(v)
		return msg == "" && a == cu.CreditLimit
	}
	return cu.FieldValue(key) == v
}

// requiredFields are the fields every customer needs (readCustomerForm
// refuses them empty), in declaration order.
var requiredFields = []string{"name"}

// createBlocked is why a member who holds customers_create still cannot
// create a customer: a required field they cannot fill (hidden for them),
// so every customer they made would lack it (ARCHITECTURE.md, Fields). It
// names the field; nil when they can.
func createBlocked(f access.Projection) *domain.Error {
	for _, fd := range customerFields() {
		if slices.Contains(requiredFields, fd.Key) && !f.Fillable(fd.Key) {
			return &domain.Error{Code: domain.CodeForbidden, Field: fd.Key,
				Message: "You cannot create customers: every customer needs " + fd.Label + ", and " + fd.Label +
					" is hidden for you. An administrator can give you at least read on it."}
		}
	}
	return nil
}

// Refusal messages for a write the member may not make; each names the
// field (and never shows a stored value).
func readOnlyMessage(label string) string {
	return label + " is read-only for you: leave it as it is. Nothing was saved."
}

func hiddenMessage(label string) string {
	return "You may not set " + label + ". Nothing was saved."
}

// applyForm is the customer a form makes of old (the zero Customer for a
// new one) under projection f, and the refused writes by field key. A
// field the member may write takes the form's value. Any other field keeps
// old's value, and a value sent for it is a write only when it differs:
// on create any non-empty value (read fields may be filled there, hidden
// ones may not); on edit a read field's value other than the stored one,
// and any non-empty value of a hidden field (comparing it would tell
// whether a guess is right). present tells which fields the form sent.
func applyForm(old store.Customer, v customers.FormValues, present func(string) bool, f access.Projection, creating bool) (store.Customer, map[string]string) {
	cu := old
	var refused map[string]string
	refuse := func(key, msg string) {
		if refused == nil {
			refused = map[string]string{}
		}
		refused[key] = msg
	}
	for _, fd := range customerFields() {
		val := *v.Field(fd.Key)
		switch {
		case creating && f.Fillable(fd.Key), !creating && f.Editable(fd.Key):
			setField(&cu, fd.Key, val)
		case creating:
			if val != "" {
				refuse(fd.Key, hiddenMessage(fd.Label))
			}
		case !present(fd.Key):
		case f.Readable(fd.Key):
			if !sameValue(&old, fd.Key, val) {
				refuse(fd.Key, readOnlyMessage(fd.Label))
			}
		case val != "":
			refuse(fd.Key, hiddenMessage(fd.Label))
		}
	}
	return cu, refused
}

// fieldErrors puts the form's messages where the member sees them: a
// field they may not write loses its format message (its value is not
// used), a refusal goes next to its read-only text or, for a hidden
// field, over the form.
func fieldErrors(p *customers.FormProps, refused map[string]string) {
	for _, fd := range customerFields() {
		if p.Input(fd.Key) {
			continue
		}
		*p.Errors.Field(fd.Key) = ""
		msg := refused[fd.Key]
		if msg == "" {
			continue
		}
		if p.Fields.Readable(fd.Key) {
			*p.Errors.Field(fd.Key) = msg // shown beside the read-only text (readOnlyFields)
		} else if p.Errors.Form == "" {
			p.Errors.Form = msg
		} else {
			p.Errors.Form += " " + msg
		}
	}
}

// readOnlyFields lists, for the form, the fields the member can read but
// not write, with cu's values and their messages.
func readOnlyFields(p *customers.FormProps, cu *store.Customer) {
	p.ReadOnly = p.ReadOnly[:0]
	for _, fd := range customerFields() {
		if p.Fields.Readable(fd.Key) && !p.Input(fd.Key) {
			val := cu.FieldValue(fd.Key)
			if p.Creating {
				val = ""
			}
			p.ReadOnly = append(p.ReadOnly, customers.Shown{Key: fd.Key, Label: fd.Label, Value: val, Error: *p.Errors.Field(fd.Key)})
		}
	}
}

// auditFields is a customer's fields for its audit entry, by key: every
// non-empty one (a create or delete), or those of keys only. The audit log
// shows them through the viewer's own projection (web/audit).
func auditFields(cu *store.Customer, keys []string) map[string]string {
	out := map[string]string{}
	if keys == nil {
		for _, fd := range customerFields() {
			if v := cu.FieldValue(fd.Key); v != "" {
				out[fd.Key] = v
			}
		}
		return out
	}
	for _, k := range keys {
		out[k] = cu.FieldValue(k)
	}
	return out
}

// changedFields are the keys of the fields whose values differ.
func changedFields(old, cu *store.Customer) []string {
	out := []string{}
	for _, fd := range customerFields() {
		if old.FieldValue(fd.Key) != cu.FieldValue(fd.Key) {
			out = append(out, fd.Key)
		}
	}
	return out
}

// customerAudit is the audit entry of a customer change.
func customerAudit(a domain.Actor, action string, id int64, before, after any) store.AuditEntry {
	return store.AuditEntry{OrgID: a.Org.ID, ActorID: a.UserID, ActorEmail: a.Email, Action: action,
		Target: "customer #" + strconv.FormatInt(id, 10), Before: store.JSON(before), After: store.JSON(after), IP: a.IP}
}
