// Package golden_test is the golden corpus: what the current code answers,
// recorded as fixtures under testdata/ and compared byte for byte. It runs
// the real binary (built once in TestMain) for the command-line contracts
// and the real app (testkit) for the routes and the route × actor matrix.
// GATEHOUSE_GOLDEN_UPDATE=1 rewrites the fixtures; see README.md.
package golden_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
)

// update is set by GATEHOUSE_GOLDEN_UPDATE=1: fixtures are written, not compared.
var update = os.Getenv("GATEHOUSE_GOLDEN_UPDATE") == "1"

var (
	binary string // the gatehouse binary built from this tree
	demoDB string // a database seeded with the demo data (closed; copy it to write)
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "golden:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "gatehouse-golden")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "gatehouse")
	build := exec.Command("go", "build", "-o", binary, "gatehouse/cmd/gatehouse")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return 0, fmt.Errorf("build gatehouse: %w", err)
	}
	demoDB = filepath.Join(dir, "demo.db")
	if err := seed(demoDB); err != nil {
		return 0, fmt.Errorf("seed the demo data: %w", err)
	}
	return m.Run(), nil
}

// seed writes the demo data as `gatehouse serve --demo` does, then closes
// the database so that its file is complete on its own.
func seed(path string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	if err := demo.Seed(ctx, db, "http://localhost:8080/", io.Discard); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}

// copyDemoDB gives a test its own copy of the demo database.
func copyDemoDB(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "gatehouse.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		data, err := os.ReadFile(demoDB + suffix)
		if errors.Is(err, fs.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// result is one run of the binary.
type result struct {
	stdout, stderr []byte
	code           int
}

// String is how a failed run is recorded: the exit code, then stderr.
func (r result) String() string {
	return fmt.Sprintf("exit %d\n%s", r.code, r.stderr)
}

// gatehouse runs the binary in dir with args, without any GATEHOUSE_*
// variable of the caller's environment.
func gatehouse(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GATEHOUSE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.Bytes(), stderr: stderr.Bytes()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("gatehouse %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// fixture compares got with testdata/name, or writes it in update mode.
func fixture(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name))
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s: no fixture; if the new output is right, run with GATEHOUSE_GOLDEN_UPDATE=1 and commit why:\n%s", path, clip(got))
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if msg := diff(want, got); msg != "" {
		t.Errorf("%s differs from the current code's output (a fixture changes only in a commit that says why):\n%s", path, msg)
	}
}

// diff describes the first difference between want and got ("" if equal).
func diff(want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	w, g := lines(want), lines(got)
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d (fixture %d lines, now %d lines):\n", i+1, len(w), len(g))
	for j := max(0, i-3); j < i; j++ {
		fmt.Fprintf(&b, "  %4d   %s", j+1, ensureNL(w[j]))
	}
	fmt.Fprintf(&b, "- %4d   %s", i+1, ensureNL(at(w, i)))
	fmt.Fprintf(&b, "+ %4d   %s", i+1, ensureNL(at(g, i)))
	return b.String()
}

// lines splits b after each newline (a last line without one counts too).
func lines(b []byte) []string {
	l := strings.SplitAfter(string(b), "\n")
	if l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return fmt.Sprintf("%q", lines[i])
	}
	return "(end of file)"
}

func ensureNL(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// orphans fails on files under testdata/dir that no case wrote or read,
// and removes them in update mode, so that the corpus has no stale files.
func orphans(t *testing.T, dir string, names []string) {
	t.Helper()
	root := filepath.Join("testdata", dir)
	var stale []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel("testdata", path)
		if !slices.Contains(names, filepath.ToSlash(rel)) {
			stale = append(stale, path)
		}
		return nil
	})
	for _, p := range stale {
		if update {
			os.Remove(p)
			continue
		}
		t.Errorf("%s: fixture of no case (remove it with GATEHOUSE_GOLDEN_UPDATE=1)", p)
	}
}
