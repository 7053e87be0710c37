package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedRecall imports a generated corpus and checks every known
// variant against the truth: each is clustered with its original (recall)
// and no cluster mixes two stories (precision).
func TestGeneratedRecall(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 500
	}
	dir := t.TempDir()
	var corpus, truth bytes.Buffer
	if err := generate(&corpus, &truth, n, 42); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "gen.jsonl")
	writeFile(t, in, corpus.String())
	db := filepath.Join(dir, "t.db")
	mustRun(t, "--db", db, "import", "-q", "--batch", "500", in)

	story := map[string]string{} // variant id -> original id
	kinds := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(truth.String()), "\n") {
		f := strings.Split(line, "\t")
		story[f[0]], kinds[f[0]] = f[1], f[2]
	}
	root := func(id string) string {
		if o, ok := story[id]; ok {
			return o
		}
		return id
	}
	cluster := map[string]int64{}
	for _, r := range jsonLines[jsonExport](t, mustRun(t, "--db", db, "export", "--variants")) {
		cluster[r.Ref] = r.ClusterID
	}
	if len(cluster) != n {
		t.Fatalf("exported %d articles, want %d", len(cluster), n)
	}
	missed := map[string]int{}
	for v, o := range story {
		if cluster[v] != cluster[o] {
			missed[kinds[v]]++
		}
	}
	if len(missed) > 0 {
		t.Errorf("variants not clustered with their original, by kind: %v (of %d variants)", missed, len(story))
	}
	members := map[int64]map[string]bool{}
	for id, c := range cluster {
		if members[c] == nil {
			members[c] = map[string]bool{}
		}
		members[c][root(id)] = true
	}
	for c, stories := range members {
		if len(stories) > 1 {
			t.Errorf("cluster %d mixes %d stories", c, len(stories))
		}
	}
}

// BenchmarkImport measures a whole import (read, parse, clean, sign, LSH,
// verify, commit) of generated JSONL into a new database.
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "gen.jsonl")
	f, err := os.Create(in)
	if err != nil {
		b.Fatal(err)
	}
	const n = 10000
	if err := generate(f, nil, n, 1); err != nil {
		b.Fatal(err)
	}
	f.Close()
	info, _ := os.Stat(in)
	b.SetBytes(info.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db := filepath.Join(dir, "b.db")
		os.Remove(db)
		os.Remove(db + "-wal")
		os.Remove(db + "-shm")
		if _, errOut, err := runCLI(b, "", "--db", db, "import", "-q", in); err != nil {
			b.Fatalf("import: %v\n%s", err, errOut)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
}
