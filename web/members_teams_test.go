package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// memberRowHTML is the members list's row of a member ("" when not listed).
func memberRowHTML(body string, id int64) string {
	i := strings.Index(body, `data-member-id="`+strconv.FormatInt(id, 10)+`"`)
	if i < 0 {
		return ""
	}
	return body[i : i+strings.Index(body[i:], "</tr>")]
}

// The members list names each member's teams (leads marked) and filters by
// team, the filter kept in the sort links and the team menu; another
// organization's team, or none, is ignored with a message and lists no one
// of theirs; a lead change shows on the next request (the cache).
func TestMembersListTeams(t *testing.T) {
	app := testkit.NewDemoApp(t)
	ctx := context.Background()
	ids := app.DemoIDs()
	snap, err := app.DB.OrgSnapshot(ctx, demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	byEmail := map[string]int64{}
	for _, m := range snap.Members {
		byEmail[m.Email] = m.ID
	}
	sup, agent, limited := byEmail[demo.SupervisorEmail], byEmail[demo.AgentEmail], byEmail[demo.AgentLimitedEmail]
	org := app.Org(demo.OrgSlug)
	var foreignTeam, outsider int64
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		other, err := tx.OrgBySlug(ctx, demo.OtherOrgSlug)
		if err != nil {
			return err
		}
		if foreignTeam, err = tx.CreateTeam(ctx, other.ID, "Globex crew", ""); err != nil {
			return err
		}
		outsider = ids.GlobexMember
		_, err = tx.AddTeamMember(ctx, other.ID, foreignTeam, outsider)
		return err
	})
	c := app.LoginAs(demo.OwnerEmail, demo.Password)
	base := "/o/" + demo.OrgSlug + "/settings/members"

	r := c.Get(base)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `<th scope="col">Teams</th>`) || !strings.Contains(r.Body, `id="members-team"`) {
		t.Fatalf("list (%d) lacks the Teams column or the team filter", r.Status)
	}
	if row := memberRowHTML(r.Body, sup); !strings.Contains(row, "EMEA (lead)") {
		t.Errorf("supervisor's row lacks EMEA (lead): %s", row)
	}
	if row := memberRowHTML(r.Body, agent); !strings.Contains(row, ">EMEA<") {
		t.Errorf("agent's row lacks EMEA: %s", row)
	}
	if strings.Contains(r.Body, "Globex crew") {
		t.Error("the team menu offers another organization's team")
	}

	emea := strconv.FormatInt(ids.AcmeTeam, 10)
	r = c.Get(base + "?team=" + emea + "&sort=email")
	if r.Status != http.StatusOK || memberRowHTML(r.Body, sup) == "" || memberRowHTML(r.Body, agent) == "" {
		t.Fatalf("team filter (%d) lacks EMEA's members", r.Status)
	}
	if memberRowHTML(r.Body, limited) != "" || memberRowHTML(r.Body, byEmail[demo.OwnerEmail]) != "" {
		t.Error("team filter lists members outside EMEA")
	}
	if !strings.Contains(r.Body, `<option value="`+emea+`" selected>EMEA</option>`) {
		t.Error("the team menu does not show the chosen team")
	}
	if !strings.Contains(r.Body, "team="+emea) {
		t.Error("the sort links drop the team filter")
	}
	// With a search and htmx's results-only swap, still the team's alone.
	r = c.GetHTMX(base + "?team=" + emea + "&q=" + url.QueryEscape(strings.Split(demo.AgentLimitedEmail, "@")[0]))
	if r.Status != http.StatusOK || memberRowHTML(r.Body, limited) != "" {
		t.Errorf("team filter with a search (%d) lists the limited agent", r.Status)
	}

	for _, bad := range []string{strconv.FormatInt(foreignTeam, 10), "999999", "x"} {
		r = c.Get(base + "?team=" + bad)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "unknown team") || memberRowHTML(r.Body, outsider) != "" ||
			strings.Contains(r.Body, "Globex crew") {
			t.Errorf("team=%s (%d): no message, or another organization's data", bad, r.Status)
		}
	}

	// Unmaking the lead bumps the permission version alone: the cached page
	// must not keep the mark.
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetTeamLead(ctx, org.ID, ids.AcmeTeam, sup, false)
	})
	r = c.Get(base)
	if row := memberRowHTML(r.Body, sup); strings.Contains(row, "(lead)") || !strings.Contains(row, ">EMEA<") {
		t.Errorf("after the lead change the row reads: %s", row)
	}
}
