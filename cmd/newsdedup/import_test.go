package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

// words is a vocabulary for generated articles; generated text has no
// meaning but has the statistics that matter here: distinct sentences.
var words = strings.Fields(`the a council river harbour minister said on tuesday after report
	water level rose across town residents were moved to school hall while engineers checked
	bridge north east road closed police warned drivers avoid centre until further notice
	mayor promised funds repair damage insurers estimate cost million pounds farmers fields
	flooded crops lost weather service expects more rain weekend volunteers filled sandbags`)

// article writes n paragraphs of generated sentences from a seeded source.
func article(seed int64, paras int) []string {
	r := rand.New(rand.NewSource(seed))
	out := make([]string, paras)
	for i := range out {
		var b strings.Builder
		for s := 0; s < 3; s++ {
			n := 10 + r.Intn(8)
			for w := 0; w < n; w++ {
				word := words[r.Intn(len(words))]
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				}
				b.WriteString(word)
				if w < n-1 {
					b.WriteByte(' ')
				}
			}
			b.WriteString(". ")
		}
		out[i] = strings.TrimSpace(b.String())
	}
	return out
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// smallCorpus writes a folder of generated articles with known duplicates
// and returns its path: full/teaser/copy of story 1, an edited version of
// story 2, and three unrelated singletons.
func smallCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	one := article(1, 12)
	two := article(2, 10)
	writeFile(t, filepath.Join(dir, "s1_full.txt"), "Story one headline\n\n"+strings.Join(one, "\n\n"))
	writeFile(t, filepath.Join(dir, "s1_teaser.txt"), "Story one headline\n\n"+strings.Join(one[:4], "\n\n")+"\n\nPrevious ArticleNext Article")
	writeFile(t, filepath.Join(dir, "sub", "s1_copy.txt"), "Story one headline\n\n"+strings.Join(one, "\n\n"))
	edited := slices.Clone(two)
	edited[3] += " Officials later corrected the figure."
	writeFile(t, filepath.Join(dir, "s2_v1.txt"), strings.Join(two, "\n"))
	writeFile(t, filepath.Join(dir, "s2_v2.txt"), "An update was issued tonight by the regional office.\n"+strings.Join(edited, "\n"))
	for i := int64(3); i <= 5; i++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("other%d.txt", i)), strings.Join(article(100+i, 8), "\n\n"))
	}
	return dir
}

var smallCorpusClusters = []string{
	"s1_full.txt <- s1_copy.txt(exact), s1_teaser.txt(excerpt)",
	"s2_v2.txt <- s2_v1.txt(near)",
}

func multiClusters(t *testing.T, db string) []string {
	return partition(t, db, baseName)
}

func TestImportSmallCorpus(t *testing.T) {
	dir := smallCorpus(t)
	db := filepath.Join(t.TempDir(), "t.db")
	out := mustRun(t, "--db", db, "import", "--json", dir)
	var s summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	want := summary{ImportID: 1, Counts: store.Counts{Read: 8, New: 8, Exact: 1, Near: 1, Excerpts: 1, ClustersTouched: 2}}
	// The near and the excerpt pair at least were verified as candidates.
	if c := s.Candidates; c == nil || c.Total < 2 || sum(c.Jaccard) != c.Total || sum(c.Containment) != c.Total {
		t.Errorf("candidate counts %+v, want 2 or more, each counted once per score", c)
	}
	s.Candidates = nil
	if fmt.Sprint(s) != fmt.Sprint(want) {
		t.Errorf("summary = %+v, want %+v", s, want)
	}
	if got := multiClusters(t, db); !slices.Equal(got, smallCorpusClusters) {
		t.Errorf("clusters = %q, want %q", got, smallCorpusClusters)
	}
	// The listing gives the candidate total, not the histogram.
	if out := mustRun(t, "--db", db, "imports"); !strings.Contains(out, `"candidates":{"total":`) || strings.Contains(out, `"jaccard":[`) {
		t.Errorf("imports:\n%s", out)
	}
	// The same inputs again add nothing and change nothing.
	out = mustRun(t, "--db", db, "import", "--json", dir)
	s = summary{}
	json.Unmarshal([]byte(out), &s)
	if s.New != 0 || s.AlreadyStored != 8 || s.ClustersTouched != 0 {
		t.Errorf("second import = %+v, want nothing new", s)
	}
	if got := multiClusters(t, db); !slices.Equal(got, smallCorpusClusters) {
		t.Errorf("after re-import clusters = %q", got)
	}
	if n := len(jsonLines[jsonExport](t, mustRun(t, "--db", db, "export"))); n != 5 {
		t.Errorf("export wrote %d, want 5 (2 canonicals + 3 singletons)", n)
	}
}

// TestImportOrder imports the same files in several orders and in pieces:
// the clusters and canonicals are the same every time.
func TestImportOrder(t *testing.T) {
	dir := smallCorpus(t)
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	r := rand.New(rand.NewSource(7))
	for trial := range 4 {
		order := slices.Clone(files)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		db := filepath.Join(t.TempDir(), "t.db")
		if trial%2 == 0 {
			mustRun(t, append([]string{"--db", db, "import", "-q", "--batch", "3"}, order...)...)
		} else {
			for _, f := range order {
				mustRun(t, "--db", db, "import", "-q", f)
			}
		}
		if got := multiClusters(t, db); !slices.Equal(got, smallCorpusClusters) {
			t.Errorf("order %d (%q): clusters = %q, want %q", trial, order, got, smallCorpusClusters)
		}
	}
}

// TestCanonicalUpgrades: the teaser arrives first and is canonical; the
// full text arrives later and takes over, keeping the cluster id.
func TestCanonicalUpgrades(t *testing.T) {
	dir := smallCorpus(t)
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "--db", db, "import", "-q", filepath.Join(dir, "s1_teaser.txt"), filepath.Join(dir, "other3.txt"))
	mustRun(t, "--db", db, "import", "-q", filepath.Join(dir, "s1_full.txt"))
	cs := jsonLines[jsonCluster](t, mustRun(t, "--db", db, "clusters", "--json"))
	if len(cs) != 1 || cs[0].ID != 1 || baseName(cs[0].Canonical.Ref) != "s1_full.txt" {
		t.Fatalf("clusters = %+v, want cluster 1 with canonical s1_full.txt", cs)
	}
	if v := cs[0].Variants; len(v) != 1 || v[0].Relation != "excerpt" || v[0].Containment < 0.99 {
		t.Errorf("variants = %+v, want the teaser as an excerpt contained in full", v)
	}
}

func TestImportBadInput(t *testing.T) {
	dir := t.TempDir()
	good := strings.Join(article(9, 5), "\n\n")
	writeFile(t, filepath.Join(dir, "good.txt"), good)
	writeFile(t, filepath.Join(dir, "empty.txt"), " \n\t\n")
	writeFile(t, filepath.Join(dir, "binary.txt"), "PK\x03\x04\x00\x00binary")
	writeFile(t, filepath.Join(dir, "latin1.txt"), "Caf\xe9 cr\xe8me "+strings.Join(article(10, 3), " "))
	rec := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	writeFile(t, filepath.Join(dir, "feed.jsonl"), strings.Join([]string{
		rec(map[string]any{"id": "r1", "text": strings.Join(article(11, 4), "\n\n"), "source": "wire", "published": "2024-03-01"}),
		`{"id": "r2", "text": "unterminated`,
		rec(map[string]any{"id": 3, "title": "no text"}),
		"",
		rec(map[string]any{"url": "https://example.org/x", "text": strings.Join(article(12, 4), "\n\n")}),
	}, "\n"))
	db := filepath.Join(t.TempDir(), "t.db")
	out, errOut, err := runCLI(t, "", "--db", db, "import", dir)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, want := range []string{
		filepath.Join(dir, "empty.txt") + ": empty",
		filepath.Join(dir, "binary.txt") + ": binary",
		filepath.Join(dir, "feed.jsonl") + ":2: invalid JSON",
		filepath.Join(dir, "feed.jsonl") + `:3: no "text" field`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, "new 4,") || !strings.Contains(out, "rejected 4") {
		t.Errorf("summary = %q, want 4 new and 4 rejected", out)
	}
	ims := jsonLines[map[string]any](t, mustRun(t, "--db", db, "imports", "--json"))
	if len(ims) != 1 || len(ims[0]["rejections"].([]any)) != 4 {
		t.Errorf("imports = %v, want one import with 4 rejections", ims)
	}
	all := jsonLines[jsonExport](t, mustRun(t, "--db", db, "export", "--variants"))
	refs := map[string]jsonExport{}
	for _, a := range all {
		refs[a.Ref] = a
	}
	if a, ok := refs["r1"]; !ok || a.Source != "wire" || a.Published != "2024-03-01T00:00:00Z" {
		t.Errorf("record r1 = %+v, want source wire, published normalised", a)
	}
	if _, ok := refs["https://example.org/x"]; !ok {
		t.Errorf("a record without id should have its url as ref; refs: %v", slices.Collect(mapKeys(refs)))
	}
	if a := refs[filepath.Join(dir, "latin1.txt")]; !strings.Contains(a.Text, "Caf\uFFFD") {
		t.Errorf("invalid UTF-8 should be repaired with U+FFFD, got %.40q", a.Text)
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestImportStdinAndGzip(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	text := strings.Join(article(20, 6), "\n\n")
	out, _, err := runCLI(t, text, "--db", db, "import", "--source", "paste", "-")
	if err != nil || !strings.Contains(out, "new 1,") {
		t.Fatalf("stdin import: %v %q", err, out)
	}
	jsonl := `{"id":"a","text":` + string(must(json.Marshal(text))) + "}\n"
	out, _, err = runCLI(t, jsonl, "--db", db, "import", "--format", "jsonl", "-")
	if err != nil || !strings.Contains(out, "exact duplicates 1") {
		t.Fatalf("stdin jsonl import: %v %q", err, out)
	}
}

// TestImportInterrupted cancels an import after its first batch: the
// database is consistent, and the same import run again completes it with
// the same clusters as an uninterrupted one.
func TestImportInterrupted(t *testing.T) {
	dir := smallCorpus(t)
	path := filepath.Join(t.TempDir(), "t.db")
	ctx, cancel := context.WithCancel(context.Background())
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := db.BeginImport(ctx, []string{dir}, store.Settings{})
	im := &importer{db: db, rules: ingest.DefaultRules(), params: dedupe.DefaultParams(), batch: 2, workers: 1, id: id}
	im.progress = func(summary) { cancel() }
	err = im.run(ctx, []string{dir})
	if err == nil || !im.sum.Interrupted {
		t.Fatalf("run = %v, interrupted %v; want a cancelled run", err, im.sum.Interrupted)
	}
	if im.sum.New == 0 || im.sum.New >= 8 {
		t.Errorf("interrupted import stored %d articles, want some but not all", im.sum.New)
	}
	if ok, err := db.IntegrityCheck(context.Background()); ok != "ok" || err != nil {
		t.Errorf("integrity_check = %q, %v", ok, err)
	}
	db.Close()
	out := mustRun(t, "--db", path, "import", dir)
	if !strings.Contains(out, fmt.Sprintf("already stored %d", im.sum.New)) {
		t.Errorf("re-run summary %q, want %d already stored", out, im.sum.New)
	}
	if got := multiClusters(t, path); !slices.Equal(got, smallCorpusClusters) {
		t.Errorf("clusters after resume = %q, want %q", got, smallCorpusClusters)
	}
	st := jsonLines[jsonStats](t, mustRun(t, "--db", path, "stats", "--json"))
	if st[0].Articles != 8 {
		t.Errorf("articles = %d, want 8 (each stored once)", st[0].Articles)
	}
}

func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "none.db")
	_, _, err := runCLI(t, "", "--db", db, "clusters")
	if err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("clusters on a missing database: %v", err)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("a query created %s", db)
	}
	_, _, err = runCLI(t, "", "--db", db, "import")
	if exitCode(err) != 2 {
		t.Errorf("import without paths: exit %d (%v), want 2", exitCode(err), err)
	}
	writeFile(t, filepath.Join(dir, "a.txt"), strings.Join(article(1, 3), "\n\n"))
	mustRun(t, "--db", db, "import", "-q", dir)
	_, _, err = runCLI(t, "", "--db", db, "show", "999")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "999") {
		t.Errorf("show 999: exit %d (%v), want 2 naming the id", exitCode(err), err)
	}
	_, _, err = runCLI(t, "", "--db", db, "import", "--shingle", "3", dir)
	if err == nil || !strings.Contains(err.Error(), "shingle_size") {
		t.Errorf("import with another shingle size: %v, want a refusal", err)
	}
	_, _, err = runCLI(t, "", "--db", db, "import", "--rules", filepath.Join(dir, "missing.rules"), dir)
	if err == nil || !strings.Contains(err.Error(), "missing.rules") {
		t.Errorf("missing rules file: %v", err)
	}
}

func TestExportToFile(t *testing.T) {
	dir := smallCorpus(t)
	tmp := t.TempDir()
	db := filepath.Join(tmp, "t.db")
	mustRun(t, "--db", db, "import", "-q", dir)
	out := filepath.Join(tmp, "corpus.jsonl")
	if s := mustRun(t, "--db", db, "export", "-o", out); s != "" {
		t.Errorf("export -o wrote %q to stdout", s)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows := jsonLines[jsonExport](t, string(b))
	if len(rows) != 5 {
		t.Fatalf("exported %d, want 5", len(rows))
	}
	for _, r := range rows {
		if baseName(r.Ref) == "s1_full.txt" && len(r.Duplicates) != 2 {
			t.Errorf("s1_full duplicates = %q, want the copy and the teaser", r.Duplicates)
		}
	}
}

// TestImportRules: a rules file extends the built-in rules, and
// --no-default-rules replaces them.
func TestImportRules(t *testing.T) {
	dir := t.TempDir()
	body := strings.Join(article(30, 4), "\n\n")
	writeFile(t, filepath.Join(dir, "in", "a.txt"), "Brought to you by Acme Widgets\n\n"+body+"\n\nleave a reply")
	rules := filepath.Join(dir, "site.rules")
	writeFile(t, rules, "drop acme-sponsor Brought to you by Acme Widgets\n")
	text := func(args ...string) string {
		db := filepath.Join(t.TempDir(), "t.db")
		mustRun(t, append([]string{"--db", db, "import", "-q"}, append(args, filepath.Join(dir, "in"))...)...)
		return jsonLines[jsonExport](t, mustRun(t, "--db", db, "export"))[0].Text
	}
	if got := text(); !strings.Contains(got, "Acme") || strings.Contains(got, "leave a reply") {
		t.Errorf("built-in rules only: %.60q ... want the sponsor line kept and the reply prompt gone", got)
	}
	if got := text("--rules", rules); strings.Contains(got, "Acme") || strings.Contains(got, "leave a reply") {
		t.Errorf("--rules: %.60q, want both gone", got)
	}
	if got := text("--rules", rules, "--no-default-rules"); strings.Contains(got, "Acme") || !strings.Contains(got, "leave a reply") {
		t.Errorf("--no-default-rules: want the sponsor line gone and the reply prompt kept")
	}
	bad := filepath.Join(dir, "bad.rules")
	writeFile(t, bad, "# comment\nexplode x y\n")
	_, _, err := runCLI(t, "", "--db", filepath.Join(dir, "x.db"), "import", "--rules", bad, filepath.Join(dir, "in"))
	if err == nil || !strings.Contains(err.Error(), "bad.rules:2") {
		t.Errorf("bad rules file: %v, want an error naming bad.rules:2", err)
	}
}

// TestImportFieldsAndCSV maps nested JSONL fields and CSV columns, counts
// repaired UTF-8 and warns about an id used for two texts.
func TestImportFieldsAndCSV(t *testing.T) {
	dir := t.TempDir()
	a, b := strings.Join(article(40, 4), "\n\n"), strings.Join(article(41, 4), "\n\n")
	rec := func(v any) string { return string(must(json.Marshal(v))) }
	writeFile(t, filepath.Join(dir, "nested.jsonl"), strings.Join([]string{
		rec(map[string]any{"body": a, "meta": map[string]any{"url": "https://x.example/a", "site": "x"}}),
		// json.Marshal would repair the invalid byte: write it raw.
		strings.Replace(rec(map[string]any{"body": b + " BAD", "meta": map[string]any{"url": "https://x.example/a", "site": "x"}}), "BAD", "\xff", 1),
	}, "\n"))
	db := filepath.Join(t.TempDir(), "t.db")
	out, errOut, err := runCLI(t, "", "--db", db, "import", "--json", "--text-field", "body", "--url-field", "meta.url",
		"--source-field", "meta.site", "--id-field", "none", filepath.Join(dir, "nested.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var s summary
	json.Unmarshal([]byte(out), &s)
	if s.New != 2 || s.RepairedUTF8 != 1 || s.DuplicateIDs != 1 {
		t.Errorf("summary %+v, want 2 new, 1 repaired, 1 duplicate id", s)
	}
	if !strings.Contains(errOut, "nested.jsonl:2: id \"https://x.example/a\" was used before") {
		t.Errorf("no duplicate-id warning naming the line:\n%s", errOut)
	}
	rows := jsonLines[jsonExport](t, mustRun(t, "--db", db, "export"))
	if len(rows) != 2 || rows[0].Source != "x" || rows[0].Ref != "https://x.example/a" {
		t.Errorf("export %+v, want source and ref from the nested fields", rows)
	}

	writeFile(t, filepath.Join(dir, "feed.csv"), "headline,content,link\n"+
		`"First","`+strings.ReplaceAll(a, `"`, `""`)+`",https://y.example/1`+"\n"+
		`"Broken","unterminated`+"\n")
	db2 := filepath.Join(t.TempDir(), "t.db")
	out, errOut, err = runCLI(t, "", "--db", db2, "import", "--text-field", "content", "--title-field", "headline",
		"--url-field", "link", filepath.Join(dir, "feed.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// The first record's quoted text spans lines 2-8: the broken one starts at 9.
	if !strings.Contains(out, "new 1,") || !strings.Contains(errOut, "feed.csv:9: invalid CSV") {
		t.Errorf("csv import: %q\n%s", out, errOut)
	}
	rows = jsonLines[jsonExport](t, mustRun(t, "--db", db2, "export"))
	if len(rows) != 1 || rows[0].Title != "First" || rows[0].Ref != "https://y.example/1" {
		t.Errorf("csv export %+v", rows)
	}
	// --strict stops at the bad record, keeping what came before.
	db3 := filepath.Join(t.TempDir(), "t.db")
	_, _, err = runCLI(t, "", "--db", db3, "import", "--strict", "--text-field", "content", filepath.Join(dir, "feed.csv"))
	if err == nil || !strings.Contains(err.Error(), "feed.csv:9") {
		t.Errorf("--strict: %v, want an error naming feed.csv:9", err)
	}
	if n := len(jsonLines[jsonExport](t, mustRun(t, "--db", db3, "export"))); n != 1 {
		t.Errorf("--strict kept %d articles, want the 1 before the bad record", n)
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// TestImportMemoryBounds runs imports whose batches are cut by bytes and
// whose read window is smaller than any article: both still complete,
// with the clusters of an unbounded import, and the batches follow the
// byte bound.
func TestImportMemoryBounds(t *testing.T) {
	dir := smallCorpus(t)
	want := func() []string {
		db := filepath.Join(t.TempDir(), "want.db")
		mustRun(t, "--db", db, "import", "-q", dir)
		return multiClusters(t, db)
	}()
	for _, tc := range []struct {
		name               string
		window, batchBytes int64
		minBatches         int
	}{
		{"byte batches", 0, 4000, 4}, // eight articles of 1-3 KB, two copies of each text
		{"tiny window", 1, 0, 1},
		{"both", 100, 1, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.db")
			db, err := store.Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			id, _ := db.BeginImport(t.Context(), []string{dir}, store.Settings{})
			im := &importer{db: db, rules: ingest.DefaultRules(), params: dedupe.DefaultParams(), batch: 1000,
				id: id, window: tc.window, batchBytes: tc.batchBytes}
			batches := 0
			im.progress = func(summary) { batches++ }
			if err := im.run(t.Context(), []string{dir}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			if batches < tc.minBatches {
				t.Errorf("%d batches, want at least %d", batches, tc.minBatches)
			}
			if got := multiClusters(t, path); !slices.Equal(got, want) {
				t.Errorf("clusters %v, want %v", got, want)
			}
		})
	}
}

// TestImportStrictTinyWindow stops at a bad record with a window that
// holds one record at a time: the import ends with the record's error,
// keeping what came before it.
func TestImportStrictTinyWindow(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := range 40 {
		if i == 3 {
			b.WriteString("{not json\n")
			continue
		}
		fmt.Fprintf(&b, "{\"id\":\"r%d\",\"text\":%q}\n", i, strings.Join(article(int64(300+i), 4), "\n\n"))
	}
	in := filepath.Join(dir, "feed.jsonl")
	writeFile(t, in, b.String())
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, _ := db.BeginImport(t.Context(), []string{in}, store.Settings{})
	im := &importer{db: db, rules: ingest.DefaultRules(), params: dedupe.DefaultParams(), batch: 2,
		id: id, window: 1, read: ingest.Options{Strict: true}}
	done := make(chan error, 1)
	go func() { done <- im.run(t.Context(), []string{in}) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "feed.jsonl:4") {
			t.Errorf("run = %v, want the error of feed.jsonl:4", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a strict import with a full window did not end")
	}
	if im.sum.New != 3 {
		t.Errorf("stored %d articles, want the 3 before the bad record", im.sum.New)
	}
}
