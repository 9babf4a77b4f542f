// Command gatehouse is the whole product in one binary: the web app (serve)
// and the operator's tools (access, export, import, backup, admin).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ue usageError
		if !errors.As(err, &ue) || ue.msg != "" {
			fmt.Fprintln(os.Stderr, "gatehouse:", err)
		}
		code := 1
		if errors.As(err, &ue) {
			code = 2
		}
		os.Exit(code)
	}
}

// usageError is a bad command line (exit 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `Gatehouse: organizations, members, groups and permissions in one binary.

Usage:
  gatehouse serve  [--addr :8080] [--db PATH] [--base-url URL] [--smtp URL] [--geoip PATH] [--demo]
                   [--trusted-proxy CIDR[,CIDR…]]
  gatehouse access --org SLUG --user EMAIL [--db PATH]
  gatehouse export --org SLUG [--db PATH]
  gatehouse import --file F [--dry-run] [--db PATH]
  gatehouse backup --out FILE [--db PATH]
  gatehouse admin  --email E [--db PATH]

Every flag can also be set with GATEHOUSE_<FLAG> (e.g. GATEHOUSE_DB, GATEHOUSE_BASE_URL).
Run "gatehouse <command> -h" for a command's flags.
`

// commands are the subcommands by name, each with run's arguments.
var commands = map[string]func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error{
	"serve":  cmdServe,
	"access": cmdAccess,
	"export": cmdExport,
	"import": cmdImport,
	"backup": cmdBackup,
	"admin":  cmdAdmin,
}

// run is main with its inputs as arguments, so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{}
	}
	cmd, rest := args[0], args[1:]
	if c, ok := commands[cmd]; ok {
		return c(ctx, rest, getenv, stdout, stderr)
	}
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{msg: fmt.Sprintf("unknown command %q", cmd)}
}
