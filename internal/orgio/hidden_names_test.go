package orgio_test

import (
	"strings"
	"testing"

	"gatehouse/internal/orgio"
)

// The operator's import refuses hidden characters in every name it takes
// (organization, group, member), says where and which, and writes nothing.
func TestImportRefusesHiddenCharactersInNames(t *testing.T) {
	doc := `{
  "version": 1,
  "organization": {"name": "New\u200bco", "slug": "newco", "products": ["crm"], "seats": 5},
  "groups": [{"name": "Night\u202eshift", "permissions": {}}],
  "members": [{"email": "owner@newco.test", "name": "\ufeffOwner", "role": "owner", "status": "active"}]
}`
	db := demoDB(t)
	before := counts(t, db)
	got := strings.Join(importProblems(t, db, doc, orgio.Options{}), "\n")
	for _, want := range []string{"organization.name", "U+200B", "groups[0].name", "U+202E", "members[0].name", "U+FEFF"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	sameCounts(t, before, counts(t, db))
}
