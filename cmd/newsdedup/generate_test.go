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
	if err := generate(&corpus, &truth, n, 42, 5); err != nil {
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

// TestGenerateParagraphs checks that --paragraphs sets the length of the
// stories, which BenchmarkImport uses for articles of the size the targets
// name (500 MB for 100,000).
func TestGenerateParagraphs(t *testing.T) {
	var corpus, truth bytes.Buffer
	if err := generate(&corpus, &truth, 300, 7, 13); err != nil {
		t.Fatal(err)
	}
	variant := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(truth.String()), "\n") {
		id, _, _ := strings.Cut(line, "\t")
		variant[id] = true
	}
	recs := jsonLines[record](t, corpus.String())
	stories := 0
	for _, r := range recs {
		if variant[r.ID] {
			continue
		}
		stories++
		// The headline, then 13 to 20 paragraphs.
		if n := strings.Count(r.Text, "\n\n"); n < 13 || n > 20 {
			t.Errorf("%s has %d paragraphs after its headline, want 13 to 20", r.ID, n)
		}
	}
	if stories == 0 || stories == len(recs) {
		t.Fatalf("%d stories among %d articles", stories, len(recs))
	}
	if size := corpus.Len() / len(recs); size < 4000 || size > 6500 {
		t.Errorf("%d bytes an article, want about 5,000", size)
	}
	if _, _, err := runCLI(t, "", "generate", "-n", "1", "--paragraphs", "0"); err == nil {
		t.Error("generate --paragraphs 0 succeeded")
	}
}

// BenchmarkImport measures a whole import (read, parse, clean, sign, LSH,
// verify, commit) of generated JSONL into a new database, with articles
// of about 2.7 KB and 5 KB.
func BenchmarkImport(b *testing.B) {
	for _, size := range []struct {
		name  string
		paras int
	}{{"2.7KB", 5}, {"5KB", 13}} {
		b.Run(size.name, func(b *testing.B) { benchmarkImport(b, size.paras) })
	}
}

func benchmarkImport(b *testing.B, paras int) {
	dir := b.TempDir()
	in := filepath.Join(dir, "gen.jsonl")
	f, err := os.Create(in)
	if err != nil {
		b.Fatal(err)
	}
	const n = 10000
	if err := generate(f, nil, n, 1, paras); err != nil {
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
