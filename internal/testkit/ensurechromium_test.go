package testkit

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// .ci/ensure-chromium, run by `make test` before the tests, branch by
// branch. Each case runs the real script with bash on a PATH that holds
// only fakes of id, sudo and apt-get (and chmod, for the fake install), so
// the machine's own Chromium is hidden and nothing is installed for real.
// The fakes log every call; apt-get "installs" a fake chromium when told to.

type chromiumCase struct {
	name      string
	uid       string // what the fake id -u prints
	sudo      string // "" none, "nopasswd", "password" (sudo -n fails)
	apt       string // "" none, "ok", "update-fails", "install-fails", "installs-nothing"
	present   bool   // a chromium on PATH from the start
	chromeEnv string // CHROME_PATH ("" unset; "FAKE" = a fake browser's path)
	ci        bool

	wantCode  int
	wantCalls []string // the fakes' log, in order
	wantOut   []string // in stdout+stderr
}

func TestEnsureChromiumScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script := filepath.Join(moduleRoot(t), ".ci", "ensure-chromium")
	install := "sudo apt-get update && sudo apt-get install -y chromium"

	cases := []chromiumCase{
		{name: "present: nothing to do", uid: "1000", apt: "ok", present: true, ci: true,
			wantCode: 0, wantOut: []string{"using "}},
		{name: "CHROME_PATH names a browser", uid: "1000", apt: "ok", chromeEnv: "FAKE", ci: true,
			wantCode: 0, wantOut: []string{"using "}},
		{name: "CHROME_PATH bad, CI: fails without installing", uid: "0", apt: "ok", chromeEnv: "/nowhere/chrome", ci: true,
			wantCode: 1, wantOut: []string{"CHROME_PATH=/nowhere/chrome", install, "CI is set"}},
		{name: "root installs", uid: "0", apt: "ok", ci: true,
			wantCode: 0, wantCalls: []string{"apt-get update -qq", "apt-get install -y -qq chromium"},
			wantOut: []string{"installing it: apt-get update && apt-get install -y chromium", "installed, using "}},
		{name: "passwordless sudo installs", uid: "1000", sudo: "nopasswd", apt: "ok",
			wantCode: 0, wantCalls: []string{"sudo -n true", "sudo -n DEBIAN_FRONTEND=noninteractive apt-get update -qq",
				"apt-get update -qq", "sudo -n DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", "apt-get install -y -qq chromium"},
			wantOut: []string{"installing it: sudo -n apt-get update", "installed, using "}},
		{name: "sudo wants a password: says what to install, skips", uid: "1000", sudo: "password", apt: "ok",
			wantCode: 0, wantCalls: []string{"sudo -n true"},
			wantOut: []string{"neither", install, "will be skipped"}},
		{name: "sudo wants a password, CI: fails", uid: "1000", sudo: "password", apt: "ok", ci: true,
			wantCode: 1, wantCalls: []string{"sudo -n true"}, wantOut: []string{install, "CI is set"}},
		{name: "no root, no sudo: says what to install", uid: "1000", apt: "ok",
			wantCode: 0, wantOut: []string{install, "will be skipped"}},
		{name: "no apt-get", uid: "0",
			wantCode: 0, wantOut: []string{"no apt-get", "chromium-browser or google-chrome is on PATH"}},
		{name: "no apt-get, CI", uid: "0", ci: true,
			wantCode: 1, wantOut: []string{"no apt-get", "CI is set"}},
		{name: "apt-get update fails, CI", uid: "0", apt: "update-fails", ci: true,
			wantCode: 1, wantCalls: []string{"apt-get update -qq"}, wantOut: []string{"apt-get update failed", install}},
		{name: "apt-get install fails", uid: "0", apt: "install-fails",
			wantCode: 0, wantCalls: []string{"apt-get update -qq", "apt-get install -y -qq chromium"},
			wantOut: []string{"apt-get install -y chromium failed", "will be skipped"}},
		{name: "installed but not on PATH, CI", uid: "0", apt: "installs-nothing", ci: true,
			wantCode: 1, wantCalls: []string{"apt-get update -qq", "apt-get install -y -qq chromium"},
			wantOut: []string{"none of chromium chromium-browser google-chrome is on PATH"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runEnsureChromium(t, bash, script, tc) })
	}
}

func runEnsureChromium(t *testing.T, bash, script string, tc chromiumCase) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	logf := filepath.Join(dir, "calls.log")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	chmod, err := exec.LookPath("chmod")
	if err != nil {
		t.Skip("no chmod")
	}
	if err := os.Symlink(chmod, filepath.Join(bin, "chmod")); err != nil {
		t.Fatal(err)
	}
	sh := "#!" + bash + "\n"
	fake := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(bin, name), []byte(sh+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	fakeBrowser := sh + "exit 0\n"
	fake("id", `[ "$1" = "-u" ] && echo `+tc.uid+"\n")
	switch tc.sudo {
	case "nopasswd":
		fake("sudo", `echo "sudo $*" >> "$CALLS"
[ "$1" = "-n" ] && shift
[ "$1" = "true" ] && exit 0
while [[ "$1" == *=* ]]; do export "$1"; shift; done
exec "$@"
`)
	case "password":
		fake("sudo", `echo "sudo $*" >> "$CALLS"
echo "sudo: a password is required" >&2
exit 1
`)
	}
	if tc.apt != "" {
		fake("apt-get", `echo "apt-get $*" >> "$CALLS"
[ "$DEBIAN_FRONTEND" = noninteractive ] || { echo "apt-get: not noninteractive" >&2; exit 3; }
mode=`+tc.apt+`
case "$1" in
update) [ "$mode" = update-fails ] && exit 100; exit 0 ;;
install)
  [ "$mode" = install-fails ] && exit 100
  [ "$mode" = installs-nothing ] && exit 0
  printf '%s' '`+fakeBrowser+`' > "$BIN/chromium" && chmod +x "$BIN/chromium"; exit 0 ;;
esac
exit 2
`)
	}
	if tc.present {
		fake("chromium", "exit 0\n")
	}
	env := []string{"PATH=" + bin, "CALLS=" + logf, "BIN=" + bin, "HOME=" + dir}
	switch tc.chromeEnv {
	case "":
	case "FAKE":
		p := filepath.Join(dir, "my-chrome")
		if err := os.WriteFile(p, []byte(fakeBrowser), 0o755); err != nil {
			t.Fatal(err)
		}
		env = append(env, "CHROME_PATH="+p)
	default:
		env = append(env, "CHROME_PATH="+tc.chromeEnv)
	}
	if tc.ci {
		env = append(env, "CI=true")
	}

	cmd := exec.Command(bash, script)
	cmd.Env = env
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != tc.wantCode {
		t.Errorf("exit %d, want %d; output:\n%s", code, tc.wantCode, out.String())
	}
	for _, w := range tc.wantOut {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
	logged, _ := os.ReadFile(logf)
	var calls []string
	if s := strings.TrimSpace(string(logged)); s != "" {
		calls = strings.Split(s, "\n")
	}
	if strings.Join(calls, "|") != strings.Join(tc.wantCalls, "|") {
		t.Errorf("calls:\n  %s\nwant:\n  %s\noutput:\n%s", strings.Join(calls, "\n  "), strings.Join(tc.wantCalls, "\n  "), out.String())
	}
}

// moduleRoot is the directory holding go.mod above the working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// `make test` runs the script before any test, and CI's entry point runs
// `make test` with CI set.
func TestMakeTestEnsuresChromium(t *testing.T) {
	root := moduleRoot(t)
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	_, recipe, ok := strings.Cut(string(mk), "\ntest: ")
	if !ok {
		t.Fatal("no test target in the Makefile")
	}
	recipe, _, _ = strings.Cut(recipe, "\n\n")
	ensure, gotest := strings.Index(recipe, "\tbash .ci/ensure-chromium\n"), strings.Index(recipe, "$(GO) test")
	if ensure < 0 || gotest < 0 || ensure > gotest {
		t.Fatalf("make test does not run .ci/ensure-chromium before go test:\n%s", recipe)
	}
	run, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(run), `export CI="${CI:-true}"`) || !strings.Contains(string(run), "\nmake test\n") {
		t.Fatalf(".ci/run does not run make test with CI set:\n%s", run)
	}
}
