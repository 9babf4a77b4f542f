package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"gatehouse"
)

// newestVersion is the version Open migrates to: the last file's number.
func newestVersion(t *testing.T) int {
	t.Helper()
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	return ms[len(ms)-1].version
}

// schemaRow is one row of sqlite_master, its SQL normalised.
type schemaRow struct {
	Type, Name, TblName, SQL string
}

func (r schemaRow) key() string { return r.Type + " " + r.Name }

// rawDB opens path without Open's migrations.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// schemaOf reads sqlite_master (without rootpage, which only says where a
// b-tree happens to start), sorted by type and name.
func schemaOf(t *testing.T, db *sql.DB) []schemaRow {
	t.Helper()
	rows, err := db.Query(`SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []schemaRow
	for rows.Next() {
		var r schemaRow
		if err := rows.Scan(&r.Type, &r.Name, &r.TblName, &r.SQL); err != nil {
			t.Fatal(err)
		}
		r.SQL = normalizeSQL(r.SQL)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// schemaOfFile is schemaOf for a database file.
func schemaOfFile(t *testing.T, path string) []schemaRow {
	t.Helper()
	return schemaOf(t, rawDB(t, path))
}

// normalizeSQL drops comments and makes whitespace canonical outside
// quotes: runs become one space, and none is kept next to ( ) , ;. SQLite
// stores a CREATE statement's text as written (and ALTER TABLE splices
// into it), so only layout may differ between equal schemas.
func normalizeSQL(q string) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"' || c == '`' || c == '[':
			end := c
			if c == '[' {
				end = ']'
			}
			j := i + 1
			for j < len(q) {
				if q[j] == end {
					if end != ']' && j+1 < len(q) && q[j+1] == end { // a doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			flushSpace(&b, &space, c)
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			for i < len(q) && q[i] != '\n' {
				i++
			}
			space = true
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				i = len(q)
			} else {
				i += end + 3
			}
			space = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			space = true
		default:
			flushSpace(&b, &space, c)
			b.WriteByte(c)
		}
	}
	return b.String()
}

// flushSpace writes a pending space before c unless either side is
// punctuation that needs none.
func flushSpace(b *strings.Builder, space *bool, c byte) {
	if *space && b.Len() > 0 && !strings.ContainsRune("(),;", rune(c)) {
		if last := b.String()[b.Len()-1]; !strings.ContainsRune("(),;", rune(last)) {
			b.WriteByte(' ')
		}
	}
	*space = false
}

// schemaDiff describes how got differs from want, one line per object
// ("" if they are equal): what is missing, what is extra, and for an
// object in both, its two normalised texts and where they part.
func schemaDiff(wantName string, want []schemaRow, gotName string, got []schemaRow) string {
	w := map[string]schemaRow{}
	for _, r := range want {
		w[r.key()] = r
	}
	g := map[string]schemaRow{}
	for _, r := range got {
		g[r.key()] = r
	}
	union := maps.Clone(w)
	maps.Copy(union, g)
	keys := slices.Sorted(maps.Keys(union))
	var b strings.Builder
	for _, k := range keys {
		wr, inW := w[k]
		gr, inG := g[k]
		switch {
		case !inG:
			fmt.Fprintf(&b, "- %s: only in %s: %s\n", k, wantName, wr.SQL)
		case !inW:
			fmt.Fprintf(&b, "+ %s: only in %s: %s\n", k, gotName, gr.SQL)
		case wr != gr:
			i := 0
			for i < len(wr.SQL) && i < len(gr.SQL) && wr.SQL[i] == gr.SQL[i] {
				i++
			}
			fmt.Fprintf(&b, "~ %s differs (tbl_name %s / %s) at character %d:\n    %s: %s\n    %s: %s\n",
				k, wr.TblName, gr.TblName, i, wantName, wr.SQL, gotName, gr.SQL)
		}
	}
	return b.String()
}

// migratedDB is a database built by the migrations, up to version v.
func migratedDB(t *testing.T, v int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("v%d.db", v))
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(context.Background(), sqliteDialect{}, rawDB(t, path), ms, v); err != nil {
		t.Fatal(err)
	}
	return path
}

// freshSchema is the schema Open gives a new database.
func freshSchema(t *testing.T) []schemaRow {
	t.Helper()
	s := openTest(t)
	return schemaOfFile(t, s.Path())
}

// schema.sql documents the schema the migrations build: the same tables,
// indexes and triggers, with the same definitions.
func TestSchemaSQLIsTheMigratedSchema(t *testing.T) {
	db := rawDB(t, filepath.Join(t.TempDir(), "from-schema-sql.db"))
	if _, err := db.Exec(gatehouse.Schema); err != nil {
		t.Fatalf("schema.sql does not run: %v", err)
	}
	// schema.sql leaves the version-bump triggers to bumps.go.
	for _, name := range bumpTriggerNames() {
		q, _ := bumpTrigger(name)
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if d := schemaDiff("migrations", freshSchema(t), "schema.sql", schemaOf(t, db)); d != "" {
		t.Errorf("schema.sql is not the schema the migrations build; update schema.sql (or the migration):\n%s", d)
	}
}

// referenceV10 is sqlite_master of a new database as the binary before
// migration files made it (testdata/README.md): every trigger written by hand.
func referenceV10(t *testing.T) []schemaRow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "schema-v10.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Type    string  `json:"type"`
		Name    string  `json:"name"`
		TblName string  `json:"tbl_name"`
		SQL     *string `json:"sql"`
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	var out []schemaRow
	for _, r := range rows {
		q := ""
		if r.SQL != nil {
			q = *r.SQL
		}
		out = append(out, schemaRow{r.Type, r.Name, r.TblName, normalizeSQL(q)})
	}
	if len(out) < 100 {
		t.Fatalf("reference schema has only %d objects", len(out))
	}
	return out
}

// Moving the migrations into files changed no schema: a database built to
// version 10 is the one the Go-slice migrations built.
func TestMigrationFilesBuildTheEarlierSchema(t *testing.T) {
	got := schemaOfFile(t, migratedDB(t, 10))
	if d := schemaDiff("reference v10", referenceV10(t), "migrations to v10", got); d != "" {
		t.Errorf("the migrations no longer build version 10's schema:\n%s", d)
	}
}

// The generated triggers are the ones written by hand before: the same
// names, tables and bodies, in the reference version-10 schema and in the
// part-one database (version 6, made by that release's binary).
func TestBumpTriggersAreTheHandWrittenOnes(t *testing.T) {
	names := bumpTriggerNames()
	if len(names) < 29 {
		t.Fatalf("only %d bump triggers declared", len(names))
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("%s declared twice", n)
		}
		seen[n] = true
	}
	// The triggers of the teams tables came with migration 0013, those of
	// conversations with 0019, those of the grants' ends with 0020, those
	// of messages and files (the kept threads) with 0021.
	since13 := 0
	for _, b := range bumps {
		if b.table == "teams" || b.table == "team_members" || b.table == "conversations" || b.table == "channels" ||
			b.table == "messages" || b.table == "attachments" {
			since13 += len(b.on)
		}
		for _, o := range b.on {
			if strings.HasSuffix(o.trigger, "_expiry") {
				since13++
			}
		}
	}
	for _, c := range []struct {
		name string
		rows []schemaRow
		want int // how many of the list the database has
	}{
		{"reference v10", referenceV10(t), len(names) - since13},
		{"part-one.db", schemaOfFile(t, copyPartOne(t)), len(names) - since13 - 1}, // directory_user_verified is 0008
	} {
		triggers := map[string]schemaRow{}
		for _, r := range c.rows {
			if r.Type == "trigger" {
				triggers[r.Name] = r
			}
		}
		found := 0
		for _, b := range bumps {
			for _, o := range b.on {
				hand, ok := triggers[o.trigger]
				if !ok {
					continue
				}
				found++
				gen := normalizeSQL(b.create(o))
				if hand.TblName != b.table || hand.SQL != gen {
					t.Errorf("%s: %s differs from its entry:\n    by hand:   %s (on %s)\n    generated: %s (on %s)",
						c.name, o.trigger, hand.SQL, hand.TblName, gen, b.table)
				}
			}
		}
		if found != c.want {
			t.Errorf("%s has %d of the %d declared bump triggers, want %d", c.name, found, len(names), c.want)
		}
		// And no trigger that moves a counter is left outside the list.
		for name, r := range triggers {
			if !seen[name] && (strings.Contains(r.SQL, "_version=") || strings.Contains(r.SQL, "_version SET")) {
				t.Errorf("%s: trigger %s bumps a version but bumps.go does not declare it: %s", c.name, name, r.SQL)
			}
		}
	}
}

// copyPartOne copies testdata/part-one.db (a part-one release's demo
// database, version 6) to a temporary file.
func copyPartOne(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "part-one.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "part-one.db")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A database left at any earlier version migrates to the newest and ends
// with the schema of a new one.
func TestOpenMigratesFromEveryVersion(t *testing.T) {
	want := freshSchema(t)
	newest := newestVersion(t)
	for v := 1; v < newest; v++ {
		path := migratedDB(t, v)
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("from version %d: %v", v, err)
		}
		got, err := s.SchemaVersion(context.Background())
		s.Close()
		if err != nil || got != newest {
			t.Fatalf("from version %d: now at %d, %v", v, got, err)
		}
		if d := schemaDiff("new database", want, fmt.Sprintf("migrated from %d", v), schemaOfFile(t, path)); d != "" {
			t.Errorf("from version %d:\n%s", v, d)
		}
	}
}

// The part-one release's database migrates to the newest schema too.
func TestOpenMigratesPartOneDatabase(t *testing.T) {
	path := copyPartOne(t)
	var v int
	if err := rawDB(t, path).QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 6 {
		t.Fatalf("part-one.db is at version %d, %v; want 6", v, err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if d := schemaDiff("new database", freshSchema(t), "part-one migrated", schemaOfFile(t, path)); d != "" {
		t.Errorf("part-one.db after migrating:\n%s", d)
	}
}

func TestLoadMigrationsRefusesBadNumbering(t *testing.T) {
	file := func(q string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(q)} }
	for _, c := range []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"gap", fstest.MapFS{"0001_base.sql": file("SELECT 1;"), "0003_c.sql": file("SELECT 1;")},
			"no file moves the database to version 2 (the next is 0003_c.sql)"},
		{"duplicate", fstest.MapFS{"0001_base.sql": file("SELECT 1;"), "0002_a.sql": file("SELECT 1;"), "0002_b.sql": file("SELECT 1;")},
			"0002_a.sql and 0002_b.sql both move the database to version 2"},
		{"no base", fstest.MapFS{"0002_a.sql": file("SELECT 1;")},
			"no file moves the database to version 1"},
		{"zero", fstest.MapFS{"0000_a.sql": file("SELECT 1;")}, "versions start at 0001"},
		{"bad name", fstest.MapFS{"0001_base.sql": file("SELECT 1;"), "2_next.sql": file("SELECT 1;")},
			"2_next.sql is not named NNNN_name.sql"},
		{"empty", fstest.MapFS{}, "none found"},
		{"unknown trigger", fstest.MapFS{"0001_base.sql": file("-- gatehouse:bump-triggers groups_bump_ins no_such_trigger\n")},
			"0001_base.sql: line 1: bumps.go declares no trigger no_such_trigger"},
		{"unknown directive", fstest.MapFS{"0001_base.sql": file("SELECT 1;\n-- gatehouse:bump-trigger groups_bump_ins\n")},
			"0001_base.sql: line 2: unknown directive"},
	} {
		_, err := loadMigrations(c.fs)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

// Open refuses to run a numbering it cannot trust, before touching the
// database's schema.
func TestOpenRefusesAGapInTheMigrations(t *testing.T) {
	saved := migrationFS
	t.Cleanup(func() { migrationFS = saved })
	migrationFS = fstest.MapFS{
		"0001_base.sql": {Data: []byte("CREATE TABLE a (x);")},
		"0003_c.sql":    {Data: []byte("CREATE TABLE c (x);")},
	}
	path := filepath.Join(t.TempDir(), "gap.db")
	s, err := Open(context.Background(), path)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted migrations 0001 and 0003 without 0002")
	}
	if !strings.Contains(err.Error(), "no file moves the database to version 2") {
		t.Fatalf("Open: %v", err)
	}
	if rows := schemaOfFile(t, path); len(rows) != 0 {
		t.Fatalf("Open created %v before refusing", rows)
	}
}

// A directive becomes the generated statements; the rest of the file is kept.
func TestDirectiveExpands(t *testing.T) {
	got, err := expandDirectives("SELECT 1;\n  -- gatehouse:bump-triggers groups_bump_ins groups_bump_del\n-- a comment\n")
	if err != nil {
		t.Fatal(err)
	}
	ins, _ := bumpTrigger("groups_bump_ins")
	del, _ := bumpTrigger("groups_bump_del")
	if want := "SELECT 1;\n" + ins + ";\n" + del + ";\n-- a comment\n"; got != want {
		t.Fatalf("expanded:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(ins, "AFTER INSERT ON groups") || !strings.Contains(del, "WHERE id = OLD.org_id") {
		t.Fatalf("generated:\n%s\n%s", ins, del)
	}
}

func TestNormalizeSQL(t *testing.T) {
	for in, want := range map[string]string{
		"CREATE TABLE t (\n    a INTEGER, -- note\n    b  TEXT DEFAULT 'x  -- y'\n)": "CREATE TABLE t(a INTEGER,b TEXT DEFAULT 'x  -- y')",
		"CREATE INDEX i ON t(a,\n\t\tb)":                                             "CREATE INDEX i ON t(a,b)",
		"WHERE id IN ( OLD.org_id , NEW.org_id );\nEND":                              "WHERE id IN(OLD.org_id,NEW.org_id);END",
		"x = 'it''s' /* c */ AND y":                                                  "x = 'it''s' AND y",
	} {
		if got := normalizeSQL(in); got != want {
			t.Errorf("normalizeSQL(%q) = %q, want %q", in, got, want)
		}
	}
	// Different text stays different.
	if normalizeSQL("a = 1") == normalizeSQL("a = 2") || normalizeSQL("'a b'") == normalizeSQL("'a  b'") {
		t.Error("normalizeSQL merged different statements")
	}
}

// The diff names what is missing, extra and different.
func TestSchemaDiffIsReadable(t *testing.T) {
	a := []schemaRow{{"table", "t", "t", "CREATE TABLE t(a)"}, {"index", "i", "t", "CREATE INDEX i ON t(a)"}}
	b := []schemaRow{{"table", "t", "t", "CREATE TABLE t(a,b)"}, {"trigger", "g", "t", "CREATE TRIGGER g"}}
	d := schemaDiff("A", a, "B", b)
	for _, want := range []string{"- index i: only in A", "+ trigger g: only in B", "~ table t differs", "A: CREATE TABLE t(a)", "B: CREATE TABLE t(a,b)"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if schemaDiff("A", a, "B", a) != "" {
		t.Error("equal schemas differ")
	}
}
