package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// runMain runs newsdedup as main does, with args after the program name,
// and returns its exit status and what it printed.
func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(context.Background(), append([]string{"newsdedup"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestUsageErrors checks that a mistake in the command line exits 2 with
// one line saying what is wrong and one pointing at the help, on standard
// error, and prints nothing on standard output.
func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	for _, c := range []struct {
		args []string
		msg  string // in the first line
		help string // the command whose --help the second line names
	}{
		{[]string{"--bogus"}, "unknown flag --bogus", "newsdedup"},
		{[]string{"stats", "--bogus"}, "stats: unknown flag --bogus", "newsdedup stats"},
		{[]string{"stats", "-x"}, "stats: unknown flag -x", "newsdedup stats"},
		{[]string{"clusters", "--min-size", "abc"}, `clusters: bad value "abc" for --min-size`, "newsdedup clusters"},
		{[]string{"clusters", "--min-size"}, "clusters: --min-size needs a value", "newsdedup clusters"},
		{[]string{"nosuch"}, `unknown command "nosuch"`, "newsdedup"},
		{[]string{"cluster", "nosuch", "1"}, `cluster: unknown command "nosuch"`, "newsdedup cluster"},
		{[]string{"stats", "extra"}, `stats takes no arguments`, "newsdedup stats"},
		{[]string{"show"}, "show: give one article ID", "newsdedup show"},
		{[]string{"show", "1", "2"}, "show: give one article ID", "newsdedup show"},
		{[]string{"cluster", "split", "1", "--json"}, "give CLUSTER ARTICLE", "newsdedup cluster split"},
		{[]string{"help", "nosuch"}, `help: no command "nosuch"`, "newsdedup"},
		{[]string{"help", "cluster", "nosuch"}, `help: no command "cluster nosuch"`, "newsdedup"},
	} {
		code, out, errOut := runMain(t, append([]string{"--db", db}, c.args...)...)
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		if code != 2 || out != "" || len(lines) != 2 ||
			!strings.HasPrefix(lines[0], "newsdedup: ") || !strings.Contains(lines[0], c.msg) ||
			!strings.Contains(lines[1], "'"+c.help+" --help'") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, nothing on stdout, %q and a hint to %s --help on stderr",
				c.args, code, out, errOut, c.msg, c.help)
		}
	}
}

// TestStrayArgs checks that every command that takes no arguments
// refuses one, before it opens a database or writes anything.
func TestStrayArgs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "none.db")
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, cmd := range cmds {
			p := append(slices.Clone(path), cmd.Name)
			if len(cmd.Subcommands) > 0 {
				walk(p, cmd.Subcommands)
				continue
			}
			if cmd.ArgsUsage != "" {
				continue
			}
			code, out, errOut := runMain(t, append(append([]string{"--db", db}, p...), "stray")...)
			if code != 2 || out != "" || !strings.Contains(errOut, "takes no arguments") {
				t.Errorf("%q stray: exit %d, stdout %q, stderr %q; want a usage error", p, code, out, errOut)
			}
		}
	}
	walk(nil, newApp(nil, nil, nil).Commands)
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused commands left %v", entries)
	}
}

// TestHelp checks newsdedup help, help COMMAND and --help anywhere: the
// help goes to standard output and exits 0.
func TestHelp(t *testing.T) {
	help := func(args ...string) string {
		t.Helper()
		code, out, errOut := runMain(t, args...)
		if code != 0 || errOut != "" || out == "" {
			t.Fatalf("%q: exit %d, stderr %q, %d bytes of help", args, code, errOut, len(out))
		}
		return out
	}
	app := help("help")
	if app != help("--help") || !strings.Contains(app, "COMMANDS:") || !strings.Contains(app, "import") {
		t.Errorf("help and --help differ, or list no commands:\n%s", app)
	}
	imp := help("import", "--help")
	if !strings.Contains(imp, "newsdedup import [command options] PATH...") {
		t.Errorf("import --help:\n%s", imp)
	}
	for _, args := range [][]string{{"help", "import"}, {"import", "x", "--help"}, {"--help", "import"}, {"import", "-h"}} {
		if got := help(args...); got != imp {
			t.Errorf("%q printed:\n%s\nwant the help of import:\n%s", args, got, imp)
		}
	}
	split := help("cluster", "split", "--help")
	if got := help("help", "cluster", "split"); got != split || !strings.Contains(split, "CLUSTER ARTICLE...") {
		t.Errorf("help cluster split printed:\n%s\nwant:\n%s", got, split)
	}
	if got := help(); got != app {
		t.Errorf("newsdedup alone printed:\n%s\nwant the help", got)
	}
}
