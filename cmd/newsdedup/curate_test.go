package main

import (
	"encoding/json"
	"os"
	"os/user"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
)

func TestCurationCommands(t *testing.T) {
	t.Setenv("USER", "tester")
	db, ids := corpusIDs(t)
	id := func(base string) string { return itoa(ids[base]) }
	cluster := func(base string) output.Cluster {
		t.Helper()
		for _, c := range jsonLines[output.Cluster](t, mustRun(t, "--db", db, "clusters", "--json", "--min-size", "1")) {
			if baseName(c.Canonical.Ref) == base {
				return c
			}
			for _, v := range c.Variants {
				if baseName(v.Ref) == base {
					return c
				}
			}
		}
		t.Fatalf("%s is in no cluster", base)
		return output.Cluster{}
	}
	a := cluster("a_teaser.txt")
	if a.Size != 4 {
		t.Fatalf("flood cluster has %d articles, want 4", a.Size)
	}

	if out := mustRun(t, "--db", db, "decisions"); out != "no decisions\n" {
		t.Errorf("decisions before any: %q", out)
	}

	// Split the teaser and the print version off the flood cluster.
	out := mustRun(t, "--db", db, "cluster", "split", "--json", "--why", "not the same edition", itoa(a.ID), id("a_teaser.txt"), id("a_print.txt"))
	var d output.Decision
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Kind != "split" || d.By != "tester" || d.Why != "not the same edition" || len(d.Clusters) != 2 || d.ID != 1 {
		t.Errorf("split decision = %+v", d)
	}
	rest, moved := cluster("a_full.txt"), cluster("a_teaser.txt")
	if rest.Size != 2 || moved.Size != 2 || rest.ID == moved.ID {
		t.Errorf("after the split: %+v and %+v, want two clusters of 2", rest, moved)
	}
	// The print version is the fuller of the two moved articles.
	if baseName(moved.Canonical.Ref) != "a_print.txt" || moved.Variants[0].Relation != "excerpt" {
		t.Errorf("moved part = %+v, want a_print.txt with the teaser as its excerpt", moved)
	}

	// Merge them back, then pin the teaser as canonical.
	text := mustRun(t, "--db", db, "cluster", "merge", "--by", "ed", itoa(rest.ID), itoa(moved.ID))
	if !strings.Contains(text, "decision 2: merged cluster") || !strings.Contains(text, "4 articles") {
		t.Errorf("merge printed:\n%s", text)
	}
	mustRun(t, "--db", db, "canonical", "set", id("a_teaser.txt"))
	if c := cluster("a_full.txt"); c.Size != 4 || baseName(c.Canonical.Ref) != "a_teaser.txt" {
		t.Errorf("after canonical set: %+v, want the teaser canonical of 4", c)
	}
	var shown output.Article
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "show", "--json", id("a_full.txt"))), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.CanonicalID != ids["a_teaser.txt"] || shown.Relation != "excerpt" {
		t.Errorf("a_full after canonical set: canonical %d, relation %s", shown.CanonicalID, shown.Relation)
	}

	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"cluster", "split", itoa(a.ID)}, 2, "give CLUSTER ARTICLE"},
		{[]string{"cluster", "split", itoa(a.ID), "x"}, 2, `"x" is not an id`},
		{[]string{"cluster", "split", itoa(a.ID), id("d_unrelated.txt")}, 2, "is not in it"},
		{[]string{"cluster", "split", "999", "1"}, 2, "not found"},
		{[]string{"cluster", "merge", itoa(a.ID)}, 2, "give CLUSTER CLUSTER"},
		{[]string{"cluster", "merge", itoa(a.ID), itoa(a.ID)}, 2, "with itself"},
		{[]string{"canonical", "set", "999"}, 2, "not found"},
		{[]string{"cluster", "merge", "--by", "", itoa(a.ID), "6"}, 2, "--by"},
	} {
		_, _, err := runCLI(t, "", append([]string{"--db", db}, c.args...)...)
		if err == nil || exitCode(err) != c.code || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: error %v (exit %d), want exit %d with %q", c.args, err, exitCode(err), c.code, c.msg)
		}
	}
	// Three decisions stood; the refused ones left no trace.
	if got := cluster("a_full.txt"); got.Size != 4 {
		t.Errorf("refused decisions changed the cluster: %+v", got)
	}
	// decisions lists the three, newest first, with who and why.
	ds := jsonLines[output.Decision](t, mustRun(t, "--db", db, "decisions", "--json"))
	if len(ds) != 3 || ds[0].Kind != "canonical" || ds[1].Kind != "merge" || ds[1].By != "ed" ||
		ds[2].Kind != "split" || ds[2].Why != "not the same edition" || ds[2].At == "" || len(ds[2].Clusters) != 2 {
		t.Errorf("decisions --json = %+v", ds)
	}
	listed := mustRun(t, "--db", db, "decisions")
	if !strings.Contains(listed, "by tester: not the same edition\ndecision 1: split") || strings.Index(listed, "decision 3") > strings.Index(listed, "decision 1") {
		t.Errorf("decisions printed:\n%s", listed)
	}
	var kinds []string
	for _, c := range jsonLines[output.Cluster](t, mustRun(t, "--db", db, "clusters", "--json")) {
		kinds = append(kinds, baseName(c.Canonical.Ref))
	}
	if !slices.Contains(kinds, "a_teaser.txt") {
		t.Errorf("clusters lists canonicals %v, want a_teaser.txt among them", kinds)
	}
}

// TestCurationWithoutUSER checks that a decision taken where $USER is not
// set (a container, cron, a service) is recorded by the login name, and
// that the help names the default once.
func TestCurationWithoutUSER(t *testing.T) {
	t.Setenv("USER", "")
	os.Unsetenv("USER")
	db, ids := corpusIDs(t)
	want := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		want = u.Username
	}
	var shown output.Article
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "show", "--json", itoa(ids["a_teaser.txt"]))), &shown); err != nil {
		t.Fatal(err)
	}
	var d output.Decision
	out := mustRun(t, "--db", db, "cluster", "split", "--json", itoa(shown.ClusterID), itoa(shown.ID))
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.By != want {
		t.Errorf("decision by %q, want %q", d.By, want)
	}

	for _, cmd := range [][]string{{"cluster", "split"}, {"cluster", "merge"}, {"canonical", "set"}} {
		help := mustRun(t, append(cmd, "--help")...)
		i := strings.Index(help, "--by ")
		if i < 0 {
			t.Fatalf("%s --help has no --by:\n%s", cmd, help)
		}
		line, _, _ := strings.Cut(help[i:], "\n")
		if n := strings.Count(line, "default"); n != 1 || !strings.Contains(line, "$USER") {
			t.Errorf("%s --help: %q names the default %d times, want once, with $USER", cmd, line, n)
		}
	}
}

func TestDecider(t *testing.T) {
	t.Setenv("USER", "ed")
	if got := decider(); got != "ed" {
		t.Errorf("decider() with USER=ed = %q", got)
	}
	os.Unsetenv("USER")
	if got := decider(); got == "" {
		t.Error("decider() without USER is empty")
	}
}
