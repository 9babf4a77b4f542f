package dashboard

import (
	"net/http"
	"testing"

	"gatehouse/internal/access"
)

// A declared GET page without parameters is a plain generic page; a POST
// page or one with a parameter has none.
func TestModulePageOf(t *testing.T) {
	extra := access.Page{Key: "flows.report", Module: "flows", Method: http.MethodGet, Path: "/flows/report", Action: access.Export}
	if mp, ok := modulePageOf(extra); !ok || mp.Redirect || mp.List != "" || mp.Route != "/o/:slug/flows/report" {
		t.Errorf("generic page = %+v, %v", mp, ok)
	}
	for _, p := range []access.Page{
		{Key: "flows.run", Module: "flows", Method: http.MethodPost, Path: "/flows/run", Action: access.Edit},
		{Key: "flows.show", Module: "flows", Method: http.MethodGet, Path: "/flows/:id", Action: access.View},
	} {
		if _, ok := modulePageOf(p); ok {
			t.Errorf("%s has a generic page", p.Key)
		}
	}
}
