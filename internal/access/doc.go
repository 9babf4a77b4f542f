// Package access is Gatehouse's permission engine: the catalog (products,
// modules, actions, flags, menu), role templates, predefined groups, the
// layered resolution of effective permissions (ARCHITECTURE.md, Layers), its explanation,
// and the anti-escalation checks.
//
// It is pure Go with no HTTP and no SQL, so the route guards, the sidebar,
// the data filters, the UI and the CLI all share one vocabulary and one
// evaluation. Permission sets are fixed-size bitmasks: a check is a shift and
// a mask, and a Set is a comparable value that is cheap to cache per request.
package access
