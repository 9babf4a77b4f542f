package members

import (
	"context"
	"io"
	"strconv"
	"testing"
	"time"

	"gatehouse/views/components"
)

// BenchmarkMemberRows renders a page of 50 rows: from rows whose view was
// computed ahead (a list-cache hit) and from plain rows (a miss: RowFor,
// then the template).
func BenchmarkMemberRows(b *testing.B) {
	now := time.Unix(1_700_000_000, 0)
	var plain []Row
	for i := range 50 {
		r := Row{Person: components.Person{ID: int64(1000 + i), Name: "Member Number " + strconv.Itoa(i), Email: "member" + strconv.Itoa(i) + "@bench.test",
			Role: []string{"admin", "agent", "sales"}[i%3], Status: "active"}, LastActive: now.Add(-time.Duration(i) * time.Hour)}
		if i%3 == 0 {
			r.Groups = []string{"Team 1", "Team 2"}
		}
		if i%4 == 0 {
			r.PhotoURL = "/me/photo/" + strconv.Itoa(i) + "?v=1"
		}
		plain = append(plain, r)
	}
	built := make([]Row, len(plain))
	for i, r := range plain {
		built[i] = RowFor("big", r)
	}
	p := ListProps{Slug: "big", Now: now}
	for _, bc := range []struct {
		name string
		rows []Row
		fill bool
	}{{"computed ahead", built, false}, {"fresh", plain, true}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				for _, r := range bc.rows {
					if bc.fill {
						r = RowFor(p.Slug, r)
					}
					if err := memberRow(p, r).Render(context.Background(), io.Discard); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
