package main

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

func TestNormalArgs(t *testing.T) {
	a := newApp(nil, nil, nil).App
	for _, c := range []struct {
		in, want string
		path     string
	}{
		{"search Marrowby --json", "search --json Marrowby", "search"},
		{"show 5 --json", "show --json 5", "show"},
		{"clusters --db x", "--db x clusters", "clusters"},
		{"clusters --db=x --min-size 3", "--db=x clusters --min-size 3", "clusters"},
		{"cluster split 1 5 --why x --by ed", "cluster split --why x --by ed 1 5", "cluster split"},
		{"export -o out.jsonl --variants --db d", "--db d export -o out.jsonl --variants", "export"},
		{"import -q - --format jsonl", "import -q --format jsonl -", "import"},
		// A flag's value is never a command or a positional argument.
		{"--db import import x --source clusters", "--db import import --source clusters x", "import"},
		// -- ends the flags; what follows stays positional, after a --
		// of its own when it looks like a flag.
		{"search -- --json", "search -- --json", "search"},
		{"search --json -- -x y", "search --json -- -x y", "search"},
		{"search x -- --db y", "search -- x --db y", "search"},
		// An unknown flag stays with the innermost command, which reports it.
		{"stats --bogus", "stats --bogus", "stats"},
		{"--help import", "import --help", "import"},
		{"cluster split --help", "cluster split --help", "cluster split"},
		{"import x.txt -h --json", "import --json -h", "import"},
		{"import x --source", "import --source x", "import"},
		{"nosuch --db x y", "--db x nosuch y", ""},
		{"help cluster split", "help cluster split", "help"},
		{"", "", ""},
	} {
		got, path := normalArgs(a, strings.Fields(c.in))
		if !slices.Equal(got, strings.Fields(c.want)) || strings.Join(path, " ") != c.path {
			t.Errorf("normalArgs(%q) = %q, path %q; want %q, path %q", c.in, got, path, c.want, c.path)
		}
	}
}

// TestNormalArgsValueFlags checks that every flag of every command is
// known to take a value or not as urfave/cli parses it, by putting each
// one after a positional argument.
func TestNormalArgsValueFlags(t *testing.T) {
	a := newApp(nil, nil, nil).App
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, cmd := range cmds {
			p := append(slices.Clone(path), cmd.Name)
			walk(p, cmd.Subcommands)
			for _, f := range cmd.Flags {
				name := "--" + f.Names()[0]
				in := append(slices.Clone(p), "ARG", name)
				want := append(slices.Clone(p), name)
				if f.(cli.DocGenerationFlag).TakesValue() {
					in, want = append(in, "VALUE"), append(want, "VALUE")
				}
				want = append(want, "ARG")
				if got, _ := normalArgs(a, in); !slices.Equal(got, want) {
					t.Errorf("normalArgs(%q) = %q, want %q", in, got, want)
				}
			}
		}
	}
	walk(nil, a.Commands)
}

// TestFlagsAnywhere runs the commands of the README's synopses with their
// flags after the arguments, and global flags after the command.
func TestFlagsAnywhere(t *testing.T) {
	t.Setenv("USER", "tester")
	db, ids := corpusIDs(t)
	id := itoa(ids["a_teaser.txt"])

	first := mustRun(t, "--db", db, "show", "--json", id)
	if last := mustRun(t, "show", id, "--json", "--db", db); last != first {
		t.Errorf("show ID --json --db DB differs from --db DB show --json ID:\n%s\n%s", last, first)
	}
	var a output.Article
	if err := json.Unmarshal([]byte(first), &a); err != nil || a.ID != ids["a_teaser.txt"] {
		t.Fatalf("show --json: %v, %+v", err, a)
	}

	want := mustRun(t, "--db", db, "clusters", "--json", "--min-size", "1")
	if got := mustRun(t, "clusters", "--min-size=1", "--db", db, "--json"); got != want {
		t.Errorf("clusters with the global flag last printed:\n%s\nwant:\n%s", got, want)
	}

	hits, _, err := runCLI(t, "", "--db", db, "search", "Kestrel", "dockers", "--json")
	if errors.Is(err, store.ErrNoFTS5) {
		t.Log("built without FTS5: search not tried")
	} else {
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonLines[output.SearchHit](t, hits); len(got) == 0 {
			t.Errorf("search Kestrel dockers --json: no JSON hits in %q", hits)
		}
		// After --, --json is a word to search for, not a flag.
		if out := mustRun(t, "--db", db, "search", "--", "--json"); !strings.Contains(out, "no articles found") {
			t.Errorf("search -- --json printed %q, want a text answer for the word json", out)
		}
	}

	c := a.ClusterID
	out := mustRun(t, "cluster", "split", itoa(c), id, "--why", "a teaser of its own", "--db", db, "--json")
	var d output.Decision
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("cluster split ... --json printed %q: %v", out, err)
	}
	if d.Kind != "split" || d.Why != "a teaser of its own" || d.By != "tester" {
		t.Errorf("cluster split with flags last recorded %+v", d)
	}
}
