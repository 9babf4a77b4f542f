package orgio_test

import (
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/orgio"
)

// gatehouse import is the operator's own tool: it runs as nobody's
// membership, so the anti-escalation judgement of the web paths (a
// fall-back must not give what the actor lacks) does not apply. Every
// fall-back the member screens refuse to a limited admin goes through:
// individual permissions dropped, groups emptied, a suspended member
// re-enabled as admin.
func TestImportRunsAsTheOperatorWithoutAnActorCheck(t *testing.T) {
	db := demoDB(t)
	c, err := orgio.Parse([]byte(export(t, db, demo.OrgSlug)))
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for i := range c.Members {
		m := &c.Members[i]
		if m.Role == access.RoleOwner {
			continue
		}
		m.Role, m.Status, m.Groups, m.Custom = access.RoleAdmin, "active", []string{}, nil
		changed = append(changed, m.Email)
		if len(changed) == 3 {
			break
		}
	}
	var b strings.Builder
	if err := c.Encode(&b); err != nil {
		t.Fatal(err)
	}
	mustImport(t, db, b.String(), orgio.Options{})
	for _, email := range changed {
		rep, err := orgio.Access(ctx, db, demo.OrgSlug, email)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Layer != access.LayerRole || rep.Role != access.RoleAdmin {
			t.Errorf("%s after import: layer %s role %s, want the Admin template", email, rep.Layer, rep.Role)
		}
	}
}
