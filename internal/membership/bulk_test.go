package membership_test

import (
	"strings"
	"testing"

	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
)

func TestParseCSV(t *testing.T) {
	rows, err := membership.ParseCSV(strings.NewReader("\xef\xbb\xbfEmail,Role,Name,Groups\n" +
		"a@example.com, agent ,Ann,User; Guest\n\n" +
		"B@Example.com,sales,\"Bo, Jr\",\n"))
	must(t, err)
	if len(rows) != 2 || rows[0].Email != "a@example.com" || rows[0].RoleKey != "agent" || rows[0].Name != "Ann" ||
		strings.Join(rows[0].Groups, "|") != "User|Guest" || rows[1].Email != "b@example.com" || rows[1].Name != "Bo, Jr" ||
		rows[1].Line != 4 {
		t.Fatalf("rows = %+v", rows)
	}
	// No header: the columns are email,name,role,groups.
	rows, err = membership.ParseCSV(strings.NewReader("c@example.com,Cy,agent,User\n"))
	must(t, err)
	if rows[0].Name != "Cy" || rows[0].RoleKey != "agent" || rows[0].Groups[0] != "User" {
		t.Fatalf("rows = %+v", rows)
	}
	for in, want := range map[string]string{
		"":                          "no rows",
		"email,name\nx@example.com": `no "role" column`,
		"a,\"b\nc":                  "not valid CSV",
		strings.Repeat("x@example.com,X,agent\n", membership.MaxBulkRows+1): "more than 1000 rows",
	} {
		_, err := membership.ParseCSV(strings.NewReader(in))
		if e := wantErr(t, err, domain.CodeInvalid, want); e.Field != "file" {
			t.Fatalf("field = %q", e.Field)
		}
	}
}

// The dry run names every row's problem; confirming a file with any
// problem writes nothing; a clean file lands whole.
func TestBulkInviteAllOrNothing(t *testing.T) {
	w := newWorld(t)
	w.setSeats(7) // 4 active: 3 free
	w.user("known@example.com", "Known")
	_, err := w.svc.Invite(w.ctx, w.as(w.owner), membership.InviteInput{Email: "pending@example.com", Role: "agent"}) // 2 free
	must(t, err)
	csv := "email,name,role,groups\n" +
		"ok1@example.com,One,agent,User\n" + // line 2
		"not-an-email,Bad,agent,\n" + // 3
		"ok2@example.com,Two,agnet,\n" + // 4
		"ok3@example.com,Three,agent,Night shift\n" + // 5
		"ok1@example.com,Dup,agent,\n" + // 6
		"admin@example.com,Adam,agent,\n" + // 7
		"pending@example.com,P,agent,\n" + // 8
		"known@example.com,Known,sales,Guest\n" + // 9: has an account: invited like anyone
		"ok4@example.com,Four,admin,\n" + // 10: escalation for the manager
		"ok5@example.com,Five,agent,Admin\n" + // 11: escalation for the manager
		"ok6@example.com,Six,agent,\n" // 12: over quota
	rows, err := membership.ParseCSV(strings.NewReader(csv))
	must(t, err)
	before := w.snapshot()
	plan, err := w.svc.PreviewBulk(w.ctx, w.as(w.manager), rows)
	must(t, err)
	want := map[int]string{
		2: "", 3: "bad email", 4: `unknown role "agnet"`, 5: `unknown group "Night shift"`, 6: "duplicate", 7: "already a member",
		8: "pending invitation", 9: "", 10: "role Admin", 11: "“Admin”", 12: "over quota: only 2 seats are free",
	}
	for _, r := range plan.Rows {
		got := strings.Join(r.Problems, "; ")
		if want[r.Line] == "" && got != "" || !strings.Contains(got, want[r.Line]) {
			t.Errorf("line %d problems = %q, want %q", r.Line, got, want[r.Line])
		}
	}
	if plan.Bad() != 9 {
		t.Fatalf("bad = %d", plan.Bad())
	}
	if w.snapshot() != before {
		t.Fatal("the preview wrote something")
	}
	_, _, err = w.svc.BulkInvite(w.ctx, w.as(w.manager), rows)
	wantErr(t, err, domain.CodeInvalid, "9 rows have problems. Nothing was sent")
	if w.snapshot() != before {
		t.Fatal("a refused bulk invite wrote something")
	}

	clean, err := membership.ParseCSV(strings.NewReader("new1@example.com,New One,agent,User;Guest\nknown@example.com,Known,sales,\n"))
	must(t, err)
	_, results, err := w.svc.BulkInvite(w.ctx, w.as(w.owner), clean)
	must(t, err)
	// The address with an account is not added: it gets a pending
	// invitation like the new one and must accept it.
	if len(results) != 2 || results[0].Existing || results[0].Token == "" || !results[1].Existing || results[1].Token == "" {
		t.Fatalf("results = %+v", results)
	}
	if got := w.auditActions(); strings.Join(got, ",") != "invite.create,invite.create,invite.create" {
		t.Fatalf("audit = %v", got)
	}
	known, err := w.db.UserByEmail(w.ctx, "known@example.com")
	must(t, err)
	if _, err := w.db.MembershipOfUser(w.ctx, w.org.ID, known.ID); err == nil {
		t.Fatal("a bulk invite added an existing account without its consent")
	}
	// Now the quota is full: one more row is refused, whole.
	more, _ := membership.ParseCSV(strings.NewReader("x@example.com,X,agent,\n"))
	_, _, err = w.svc.BulkInvite(w.ctx, w.as(w.owner), more)
	wantErr(t, err, domain.CodeInvalid, "1 row has a problem")
}
