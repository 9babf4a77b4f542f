package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serve refuses a --max-active it cannot use, by flag or environment,
// before it opens anything.
func TestServeRejectsBadMaxActive(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{args: []string{"--max-active", "-1"}, want: "--max-active: -1 is not between 1 and 4096"},
		{args: []string{"--max-active", "5000"}, want: "--max-active: 5000 is not between 1 and 4096"},
		{args: []string{"--max-active", "many"}, want: `invalid value "many" for flag -max-active`},
		{env: map[string]string{"GATEHOUSE_MAX_ACTIVE": "lots"}, want: "GATEHOUSE_MAX_ACTIVE"},
	} {
		db := filepath.Join(t.TempDir(), "never.db")
		r := runTool(t, c.env, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, c.args...)...)
		var ue usageError
		if !errors.As(r.err, &ue) || !strings.Contains(r.err.Error()+r.errOut, c.want) {
			t.Errorf("%v %v: err %v, stderr %q; want a usage error naming %q", c.env, c.args, r.err, r.errOut, c.want)
		}
		if _, err := os.Stat(db); err == nil {
			t.Errorf("%v: the database was created despite the bad flag", c.args)
		}
	}
}
