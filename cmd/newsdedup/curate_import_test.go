package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
)

// TestImportRespectsCuration: after a person splits the teaser out of its
// cluster and pins a canonical, a later import that would join them again
// (a new copy of the teaser matches both) and a longer new version leave
// both decisions standing.
func TestImportRespectsCuration(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	mustRun(t, "--db", db, "import", "-q", corpusDir)
	ids := map[string]int64{}
	for _, e := range jsonLines[output.Export](t, mustRun(t, "--db", db, "export", "--variants")) {
		ids[baseName(e.Ref)] = e.ID
	}
	cluster := func(name string) int64 { return clusterOf(t, db, name) }
	full := cluster("a_full.txt")
	mustRun(t, "--db", db, "cluster", "split", "--by", "tester", "--why", "teaser of another edition", itoa(full), itoa(ids["a_teaser.txt"]))
	if cluster("a_teaser.txt") == cluster("a_full.txt") {
		t.Fatal("split did not separate the teaser")
	}
	mustRun(t, "--db", db, "canonical", "set", "--by", "tester", itoa(ids["a_print.txt"]))

	// A second copy of the teaser, and a longer version of the full text.
	teaser, _ := os.ReadFile(filepath.Join(corpusDir, "a_teaser.txt"))
	fullText, _ := os.ReadFile(filepath.Join(corpusDir, "a_full.txt"))
	writeFile(t, filepath.Join(dir, "in", "teaser_again.txt"), string(teaser)+"\n\nPosted again by a reader.")
	writeFile(t, filepath.Join(dir, "in", "full_longer.txt"), string(fullText)+"\n\nThis article was updated with a correction to the river level figures given earlier.")
	mustRun(t, "--db", db, "import", "-q", filepath.Join(dir, "in"))

	if cluster("a_teaser.txt") == cluster("a_full.txt") {
		t.Errorf("an import merged the clusters a person split")
	}
	if cluster("full_longer.txt") != cluster("a_full.txt") {
		t.Errorf("the longer version did not join the full text's cluster")
	}
	for _, c := range jsonLines[output.Cluster](t, mustRun(t, "--db", db, "clusters", "--json")) {
		if c.ID == cluster("a_full.txt") && !strings.HasSuffix(c.Canonical.Ref, "a_print.txt") {
			t.Errorf("canonical of the full text's cluster = %s, want the pinned a_print.txt", c.Canonical.Ref)
		}
	}
}

// TestCheckCommand: check passes on a database an import made, and fails,
// naming the invariant, once a cluster's size is wrong.
func TestCheckCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "--db", path, "import", "-q", smallCorpus(t))
	out := mustRun(t, "--db", path, "check")
	if !strings.Contains(out, "integrity: ok") || !strings.Contains(out, "invariants: ok") {
		t.Errorf("check of a fresh import:\n%s", out)
	}
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE clusters SET size = size + 1 WHERE size > 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, _, err = runCLI(t, "", "--db", path, "check", "--json")
	if err == nil {
		t.Error("check of a broken database succeeded")
	}
	var res struct {
		OK       bool `json:"ok"`
		Problems []struct {
			Invariant string `json:"invariant"`
		} `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.OK || len(res.Problems) != 2 || res.Problems[0].Invariant != "a cluster's size is its member count" {
		t.Errorf("check --json = %s (%v)", out, err)
	}
}

// TestMergeHoldsAcrossImports: a person's merge of two clusters that no
// verified pair links survives an import that places them again (every
// import places again the clusters its new links touch).
func TestMergeHoldsAcrossImports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	mustRun(t, "--db", db, "import", "-q", corpusDir)
	cluster := func(name string) int64 { return clusterOf(t, db, name) }
	mustRun(t, "--db", db, "cluster", "merge", "--by", "tester", itoa(cluster("a_full.txt")), itoa(cluster("c_v2.txt")))
	if cluster("a_full.txt") != cluster("c_v2.txt") {
		t.Fatal("merge did not join the clusters")
	}
	fullText, _ := os.ReadFile(filepath.Join(corpusDir, "a_full.txt"))
	writeFile(t, filepath.Join(dir, "in", "full_again.txt"), string(fullText)+"\n\nThis article was updated with a correction to the river level figures given earlier.")
	mustRun(t, "--db", db, "import", "-q", filepath.Join(dir, "in"))
	if cluster("a_full.txt") != cluster("c_v2.txt") || cluster("full_again.txt") != cluster("a_full.txt") {
		t.Errorf("after an import touching the merged cluster: a_full %d, c_v2 %d, the new version %d",
			cluster("a_full.txt"), cluster("c_v2.txt"), cluster("full_again.txt"))
	}
}

// clusterOf returns the cluster of the article whose ref ends in name.
func clusterOf(t *testing.T, db, name string) int64 {
	t.Helper()
	for _, e := range jsonLines[output.Export](t, mustRun(t, "--db", db, "export", "--variants")) {
		if baseName(e.Ref) == name {
			return e.ClusterID
		}
	}
	t.Fatalf("%s not exported", name)
	return 0
}
