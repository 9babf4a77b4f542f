package golden_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the "sqlite" driver, to read ids from the app's database

	"gatehouse/internal/demo"
	"gatehouse/internal/testkit"
)

// Every route of the web server with its guard, one line per route, in the
// order they are registered (testdata/routes.txt).
func TestGoldenRoutes(t *testing.T) {
	app := testkit.NewApp(t)
	var b strings.Builder
	for _, rt := range app.Server.Routes() {
		fmt.Fprintf(&b, "%s %s %s\n", rt.Method, rt.Path, rt.Guard)
	}
	fixture(t, "routes.txt", []byte(b.String()))
}

// The status of every route × actor cell of the authorization matrix
// (web/matrix_test.go) over the demo data, one line per cell, sorted by
// route (testdata/matrix.txt): "METHOD PATH ACTOR STATUS", with the
// Location of a redirect. As in the matrix, a write the actor is allowed to
// make is not sent (it would change the data the later cells see): its
// status is "-". "owner/other-org-id" is the owner asking for the other
// organization's object under the acme slug. POST /logout and /static are
// left out, as in the matrix.
func TestGoldenMatrix(t *testing.T) {
	app := testkit.NewDemoApp(t)
	ids := app.DemoIDs()
	perms := map[string]actorAccess{}
	clients := app.DemoClients()
	for _, a := range testkit.DemoActors {
		if a.Email != "" {
			perms[a.Name] = accessOf(t, a.Email)
		}
	}

	var lines []string
	for _, rt := range app.Server.Routes() {
		if rt.Path == "/logout" || strings.HasPrefix(rt.Path, "/static") {
			continue
		}
		guard := rt.Guard.String()
		path, hasObject := ids.FillRoute(t, rt.Path, testkit.RouteFill{})
		for _, a := range testkit.DemoActors {
			cell := "-"
			if rt.Method == http.MethodGet || !perms[a.Name].allows(guard, a.Email, rt.Path) {
				cell = status(clients[a.Name].Send(rt.Method, path))
			}
			lines = append(lines, fmt.Sprintf("%s %s %s %s\n", rt.Method, rt.Path, a.Name, cell))
		}
		if hasObject && strings.HasPrefix(rt.Path, "/o/") {
			cross, _ := ids.FillRoute(t, rt.Path, testkit.RouteFill{Cross: true})
			lines = append(lines, fmt.Sprintf("%s %s %s %s\n", rt.Method, rt.Path, "owner/other-org-id",
				status(clients["owner"].Send(rt.Method, cross))))
		}
	}
	if len(lines) < 30*len(testkit.DemoActors) {
		t.Fatalf("only %d cells", len(lines))
	}
	sort.SliceStable(lines, func(i, j int) bool { return cellKey(lines[i]) < cellKey(lines[j]) })
	fixture(t, "matrix.txt", []byte(strings.Join(lines, "")))
}

// cellKey sorts the cells by route (path, then method), keeping the actors
// in their order: the corpus does not depend on the order routes are
// registered in.
func cellKey(line string) string {
	method, rest, _ := strings.Cut(line, " ")
	path, _, _ := strings.Cut(rest, " ")
	return path + " " + method
}

// status is a cell: the status code, and where a redirect goes.
func status(r *testkit.Response) string {
	if r.Location != "" {
		return fmt.Sprintf("%d %s", r.Status, r.Location)
	}
	return fmt.Sprint(r.Status)
}

// actorAccess is what `gatehouse access` says of a demo account in acme
// (the contract, rather than the engine's Go types, which change).
type actorAccess struct {
	member, suspended bool
	permissions       map[string]bool // "customers_view"
	flags             map[string]bool // "customers.canAccessAll"
}

func accessOf(t *testing.T, email string) actorAccess {
	t.Helper()
	r := gatehouse(t, ".", "access", "--org", demo.OrgSlug, "--user", email, "--db", demoDB)
	if r.code != 0 {
		return actorAccess{} // not a member of acme
	}
	var rep struct {
		Status      string                     `json:"status"`
		Permissions map[string]json.RawMessage `json:"permissions"`
		Flags       map[string]bool            `json:"flags"`
	}
	if err := json.Unmarshal(r.stdout, &rep); err != nil {
		t.Fatalf("access %s: %v", email, err)
	}
	a := actorAccess{member: true, suspended: rep.Status == "suspended", permissions: map[string]bool{}, flags: rep.Flags}
	for p := range rep.Permissions {
		a.permissions[p] = true
	}
	return a
}

// allows is the matrix's rule for "this actor may use this route": the
// cells it allows are the writes it does not send.
func (a actorAccess) allows(guard, email, path string) bool {
	switch {
	case guard == "public":
		return true
	case email == "":
		return false
	case guard == "signed-in":
		return true
	case guard == "instance-admin":
		return email == demo.OwnerEmail
	case strings.HasPrefix(path, "/o/") && (!a.member || a.suspended):
		return false
	case guard == "member":
		return true
	}
	perm, flag, _ := strings.Cut(guard, "+")
	return a.permissions[perm] && (flag == "" || a.flags[flag])
}
