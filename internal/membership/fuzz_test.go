package membership_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/domain"
	"gatehouse/internal/membership"
	"gatehouse/internal/store"
)

// FuzzParseCSV: whatever is uploaded as a bulk-invite file, ParseCSV does not
// panic; a refusal is an domain.CodeInvalid error on the "file" field with a message; an
// accepted file has 1 to MaxBulkRows rows in file order, each normalized
// (email folded, role lower-cased, group names trimmed and non-empty), and
// the rows written back as CSV parse to the same rows.
func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{
		"a@example.com,Ann,agent,User;Guest\n",
		"\xef\xbb\xbfEmail,Role,Name,Groups\na@example.com, agent ,Ann,User; Guest\n\nB@Example.com,sales,\"Bo, Jr\",\n",
		"email,name\nx@example.com\n",
		"email\n",
		"EMAIL,ROLE\n ,\n,,,\n",
		"a,\"b\nc",
		"\"unterminated",
		"a@example.com,\"multi\nline\",agent,\n",
		"a@example.com,Ann,agent,;;; ;User;;\r\nb@example.com,Bob,AGENT,\r\n",
		"x,y,z,w,v,u\n1\n",
		"email,role,groups,groups\nq@example.com,agent,A,B\n",
		"\x00,\xff,\u00e9,\n",
		"",
		"\n\n\n",
		strings.Repeat("x@example.com,X,agent\n", 3),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		rows, err := membership.ParseCSV(bytes.NewReader(raw))
		if err != nil {
			e := domain.AsError(err)
			if e == nil || e.Code != domain.CodeInvalid || e.Field != "file" || strings.TrimSpace(e.Message) == "" {
				t.Fatalf("refusal %T %+v is not a message about the file", err, err)
			}
			if rows != nil {
				t.Fatalf("rows with an error: %v", rows)
			}
			return
		}
		if len(rows) == 0 || len(rows) > membership.MaxBulkRows {
			t.Fatalf("%d rows accepted", len(rows))
		}
		for i, r := range rows {
			if r.Line < 1 || (i > 0 && r.Line <= rows[i-1].Line) {
				t.Fatalf("row %d: line %d after %d", i, r.Line, rows[max(i-1, 0)].Line)
			}
			if r.Email != store.NormalizeEmail(r.Email) || r.RoleKey != strings.ToLower(r.RoleKey) ||
				r.Name != strings.TrimSpace(r.Name) || r.Problems != nil {
				t.Fatalf("row %d not normalized: %+v", i, r)
			}
			for _, g := range r.Groups {
				if g == "" || g != strings.TrimSpace(g) || strings.Contains(g, ";") {
					t.Fatalf("row %d: group %q", i, g)
				}
			}
		}
		// Written back with a header, the rows read the same.
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write([]string{"email", "name", "role", "groups"})
		for _, r := range rows {
			w.Write([]string{r.Email, r.Name, r.RoleKey, strings.Join(r.Groups, ";")})
		}
		w.Flush()
		again, err := membership.ParseCSV(&b)
		var kept []membership.BulkRow
		for _, r := range rows {
			if r.Email != "" || r.Name != "" || r.RoleKey != "" || len(r.Groups) > 0 {
				kept = append(kept, r) // a row of only unknown columns is blank once written back
			}
		}
		if len(kept) == 0 {
			return
		}
		if err != nil || len(again) != len(kept) {
			t.Fatalf("written back: %d rows, %v (want %d)", len(again), err, len(kept))
		}
		for i := range kept {
			a, k := again[i], kept[i]
			if a.Email != k.Email || a.Name != k.Name || a.RoleKey != k.RoleKey || !slices.Equal(a.Groups, k.Groups) {
				t.Fatalf("row %d: %+v written back reads %+v", i, k, a)
			}
		}
	})
}
