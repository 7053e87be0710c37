package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/ingest/generate"
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
	if err := generate.Write(&corpus, &truth, generate.Options{Articles: n, Seed: 42, MinParagraphs: 5}); err != nil {
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
	for _, r := range jsonLines[output.Export](t, mustRun(t, "--db", db, "export", "--variants")) {
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

// TestGenerateCommand checks that the flags of generate reach the
// generator: the corpus and truth it writes to files are what
// generate.Write gives for the same options, and bad flags are refused
// before a file is written.
func TestGenerateCommand(t *testing.T) {
	dir := t.TempDir()
	out, truthOut := filepath.Join(dir, "gen.jsonl"), filepath.Join(dir, "truth.tsv")
	mustRun(t, "generate", "-n", "250", "--seed", "9", "--paragraphs", "7", "-o", out, "--truth", truthOut)
	readFile := func(name string) string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var corpus, truth bytes.Buffer
	if err := generate.Write(&corpus, &truth, generate.Options{Articles: 250, Seed: 9, MinParagraphs: 7}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(out); got != corpus.String() {
		t.Errorf("generate -o wrote %d bytes, not the %d of generate.Write", len(got), corpus.Len())
	}
	if got := readFile(truthOut); got != truth.String() || got == "" {
		t.Errorf("generate --truth wrote %d bytes, not the %d of generate.Write", len(got), truth.Len())
	}
	// Standard output and the defaults: seed 1, 5 paragraphs.
	var def bytes.Buffer
	if err := generate.Write(&def, nil, generate.Options{Articles: 50, Seed: 1, MinParagraphs: 5}); err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, "generate", "-n", "50"); got != def.String() {
		t.Errorf("generate with the defaults wrote %d bytes, want %d", len(got), def.Len())
	}
	for _, args := range [][]string{
		{"generate", "-n", "1", "--paragraphs", "0", "-o", filepath.Join(dir, "bad1")},
		{"generate", "-n", "1", "--paragraphs", "1001", "-o", filepath.Join(dir, "bad2")},
		{"generate", "-n", "-1", "-o", filepath.Join(dir, "bad3")},
	} {
		if _, _, err := runCLI(t, "", args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
		if _, err := os.Stat(args[len(args)-1]); err == nil {
			t.Errorf("%v wrote its output file", args)
		}
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
	if err := generate.Write(f, nil, generate.Options{Articles: n, Seed: 1, MinParagraphs: paras}); err != nil {
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
