package access

import (
	"fmt"
	"slices"
	"sync/atomic"
)

// Declaration is a whole catalog as declared (modules.go): everything the
// package serves is derived from one by install.
type Declaration struct {
	Products []ProductDecl
	Sections []SectionDecl
	Modules  []ModuleDecl
}

// RealDeclaration returns the shipped catalog's declaration (a copy a test
// may extend and Install).
func RealDeclaration() Declaration {
	d := Declaration{Products: slices.Clone(productDecls), Sections: slices.Clone(sectionDecls)}
	for _, m := range moduleDecls {
		m.Actions, m.Own, m.Flags, m.Pages = slices.Clone(m.Actions), slices.Clone(m.Own), slices.Clone(m.Flags), slices.Clone(m.Pages)
		d.Modules = append(d.Modules, m)
	}
	return d
}

// generation counts installs, so a package that compiles a table of its
// own from the catalog (the sidebar's) knows when to compile it again.
var generation atomic.Uint64

// Generation is the number of the installed catalog (it changes only when
// a test installs one).
func Generation() uint64 { return generation.Load() }

func init() {
	if err := install(RealDeclaration()); err != nil {
		panic("access: " + err.Error())
	}
	// The ID constants are a convenience; the tables are the truth.
	if len(modules) != numModules || len(flags) != numFlags {
		panic("access: catalog sizes disagree with the ModuleID and FlagID constants")
	}
	for i, m := range modules {
		if m.ID != ModuleID(i) {
			panic("access: module IDs out of order")
		}
	}
}

// Install makes d the catalog, for tests that declare a module of their own
// (ARCHITECTURE.md, Adding a module); restore puts the previous one back.
// Tests that install run alone: nothing else may read the catalog meanwhile.
// Append new products and modules at the end, so the modules already
// declared keep their IDs and bits for the caches that outlive the test.
func Install(d Declaration) (restore func(), err error) {
	old := saveInstalled()
	if err := install(d); err != nil {
		old.restore()
		return nil, err
	}
	return old.restore, nil
}

// install derives every table from d: the engine's tables first, since the
// pages, menu, role templates and predefined groups are checked against
// and built with them.
func install(d Declaration) error {
	specs, err := productSpecs(d)
	if err != nil {
		return err
	}
	t, err := buildCatalog(specs)
	if err != nil {
		return err
	}
	installTables(t)
	ps, err := orderPages(d)
	if err != nil {
		return err
	}
	byKey, err := checkPages(ps)
	if err != nil {
		return err
	}
	pages, pageByKey = ps, byKey
	m, err := buildMenu(d)
	if err != nil {
		return err
	}
	if err := linkPages(PageByKey, m); err != nil {
		return err
	}
	menu = m
	roleDefs, predefinedGroups = buildRoleDefs(), buildPredefinedGroups()
	generation.Add(1)
	return nil
}

// installed is everything install sets, to put back.
type installed struct {
	tables    tables
	pages     []Page
	pageByKey map[string]int
	menu      []MenuNode
	roles     []roleDef
	groups    []GroupDef
}

func saveInstalled() installed {
	return installed{cat, pages, pageByKey, menu, roleDefs, predefinedGroups}
}

func (o installed) restore() {
	installTables(&o.tables)
	pages, pageByKey, menu, roleDefs, predefinedGroups = o.pages, o.pageByKey, o.menu, o.roles, o.groups
	generation.Add(1)
}

// productSpecs groups the module declarations by product, in product order,
// as the engine's tables lay them out.
func productSpecs(d Declaration) ([]productSpec, error) {
	specs := make([]productSpec, len(d.Products))
	at := map[string]int{}
	for i, p := range d.Products {
		specs[i].product = Product{Key: p.Key, Label: p.Label, AlwaysIncluded: p.AlwaysIncluded, GroupName: p.GroupName}
		at[p.Key] = i
	}
	for _, md := range d.Modules {
		i, ok := at[md.Product]
		if !ok {
			return nil, fmt.Errorf("module %q: unknown product %q", md.Key, md.Product)
		}
		ms := moduleSpec{key: md.Key, label: md.Label, actions: actionSpec{std: md.Actions, own: md.Own}, fields: md.Fields}
		for _, f := range md.Flags {
			ms.flags = append(ms.flags, flagSpec{f.Key, f.Label, f.Scope})
		}
		specs[i].modules = append(specs[i].modules, ms)
	}
	return specs, nil
}

// orderPages qualifies each module's pages ("show" → "customers.show") and
// orders them as the routes are registered: modules in sidebar order (those
// without an entry last, in catalog order), each module's pages as declared.
func orderPages(d Declaration) ([]Page, error) {
	m, err := buildMenu(d)
	if err != nil {
		return nil, err
	}
	var order []string
	var walk func([]MenuNode)
	walk = func(ns []MenuNode) {
		for _, n := range ns {
			if n.Module != "" && !slices.Contains(order, n.Module) {
				order = append(order, n.Module)
			}
			walk(n.Children)
		}
	}
	walk(m)
	for _, md := range d.Modules {
		if !slices.Contains(order, md.Key) {
			order = append(order, md.Key)
		}
	}
	var out []Page
	for _, key := range order {
		i := slices.IndexFunc(d.Modules, func(md ModuleDecl) bool { return md.Key == key })
		for _, p := range d.Modules[i].Pages {
			p.Module, p.Key = key, key+"."+p.Key
			out = append(out, p)
		}
	}
	return out, nil
}
