// Command benchload is Gatehouse's benchmark and soak driver (`make bench`,
// `make soak`; never part of `make test`). It seeds a large organization
// (cached under ./data/bench), starts the real binary on 127.0.0.1, signs
// in over HTTP and drives it with its own bounded load generator: N
// connections, each a goroutine with its own keep-alive client, for a fixed
// duration, every latency recorded.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gatehouse/internal/benchseed"
)

const usage = `benchload: Gatehouse's benchmark and soak driver.

Usage:
  benchload bench [flags]   throughput and latency table (make bench)
  benchload soak  [flags]   mixed read/write load, errors and memory (make soak)
  benchload seed  [flags]   only build the cached seed database

Run "benchload <command> -h" for the flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "bench":
		err = cmdBench(ctx, os.Args[2:], os.Stdout)
	case "soak":
		err = cmdSoak(ctx, os.Args[2:], os.Stdout)
	case "seed":
		err = cmdSeed(ctx, os.Args[2:], os.Stdout)
	case "-h", "--help", "help":
		fmt.Fprint(os.Stdout, usage)
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "benchload:", err)
		}
		os.Exit(1)
	}
}

// common are the flags every command shares.
type common struct {
	bin, dir   string
	seed       benchseed.Options
	saveGroups int
}

func (c *common) register(fs *flag.FlagSet) {
	d := benchseed.Default()
	fs.StringVar(&c.bin, "server", "bin/gatehouse", "the gatehouse binary to run")
	fs.StringVar(&c.dir, "dir", "data/bench", "directory for the cached seed, the run database and results")
	fs.IntVar(&c.seed.Members, "members", d.Members, "members of the bench organization")
	fs.IntVar(&c.seed.Groups, "groups", d.Groups, "groups (the 7 predefined ones included)")
	fs.IntVar(&c.seed.Customers, "customers", d.Customers, "customers")
	fs.IntVar(&c.seed.MaxGroupsPerMember, "max-groups", d.MaxGroupsPerMember, "groups of the member in most groups")
	fs.IntVar(&c.seed.Teams, "teams", d.Teams, "service teams")
	fs.IntVar(&c.seed.Conversations, "conversations", d.Conversations, "conversations of the bench organization (0: none)")
	fs.IntVar(&c.seed.Messages, "messages", d.Messages, "their messages (at least one each)")
	fs.Uint64Var(&c.seed.RandSeed, "rand-seed", d.RandSeed, "random seed of the generated data")
	c.saveGroups = 64
}

// prepareDB seeds (or reuses) the cached database and copies it to a fresh
// run database (runName in the bench directory), so every run starts from
// the same state.
func (c *common) prepareDB(ctx context.Context, out io.Writer, runName string) (runDB string, info benchseed.Info, seedTime time.Duration, err error) {
	if err := os.MkdirAll(c.dir, 0o750); err != nil {
		return "", info, 0, err
	}
	t0 := time.Now()
	_, statErr := os.Stat(filepath.Join(c.dir, c.seed.FileName()))
	seed, err := benchseed.Ensure(ctx, c.dir, c.seed, func(f string, a ...any) { fmt.Fprintf(out, f+"\n", a...) })
	if err != nil {
		return "", info, 0, err
	}
	if statErr != nil {
		seedTime = time.Since(t0) // 0: the cached seed was reused
	}
	runDB = seed // "": only look at the seed
	if runName != "" {
		runDB = filepath.Join(c.dir, runName)
		if err := benchseed.CopyDB(seed, runDB); err != nil {
			return "", info, 0, err
		}
	}
	info, err = benchseed.Lookup(ctx, runDB, c.saveGroups)
	if err != nil {
		return "", info, 0, err
	}
	fmt.Fprintf(out, "database: %s (copy of %s): %d members, %d groups, %d group memberships, %d teams, %d team memberships, %d customers\n",
		runDB, seed, info.Members, info.Groups, info.GroupLinks, info.Teams, info.TeamLinks, info.Customers)
	return runDB, info, seedTime, nil
}

func (c *common) checkBinary() error {
	if st, err := os.Stat(c.bin); err != nil || st.IsDir() {
		return fmt.Errorf("server binary %s not found (run: go build -o bin/gatehouse ./cmd/gatehouse)", c.bin)
	}
	return nil
}

func cmdSeed(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	_, _, took, err := c.prepareDB(ctx, out, "")
	if err == nil {
		fmt.Fprintf(out, "ready in %s\n", took.Round(time.Millisecond))
	}
	return err
}

// signIn logs in the actors the scenarios use.
func signIn(base string) (map[string]*Actor, error) {
	actors := map[string]*Actor{}
	for _, a := range []struct{ key, email string }{
		{"owner", benchseed.OwnerEmail}, {"agent", benchseed.AgentEmail}, {"member20", benchseed.Member20Email},
		{"supervisor", benchseed.SupervisorEmail},
	} {
		act, err := Login(base, a.key, a.email, benchseed.Password)
		if err != nil {
			return nil, err
		}
		actors[a.key] = act
	}
	return actors, nil
}

// parseConns reads "8,64".
func parseConns(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("-conns: %q is not a connection count between 1 and 1024", f)
		}
		out = append(out, n)
	}
	return out, nil
}
