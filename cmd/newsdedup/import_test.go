package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/ingest/pipeline/pipelinetest"
	"github.com/newsdedup/newsdedup/store"
)

// The corpus helpers are shared with the pipeline's tests.
var (
	article             = pipelinetest.Article
	smallCorpusClusters = pipelinetest.SmallCorpusClusters
)

func writeFile(t *testing.T, path, content string) { pipelinetest.WriteFile(t, path, content) }
func smallCorpus(t *testing.T) string              { return pipelinetest.SmallCorpus(t) }

func multiClusters(t *testing.T, db string) []string {
	return partition(t, db, baseName)
}

func TestImportSmallCorpus(t *testing.T) {
	dir := smallCorpus(t)
	db := filepath.Join(t.TempDir(), "t.db")
	out := mustRun(t, "--db", db, "import", "--json", dir)
	var s output.ImportSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	want := output.ImportSummary{ImportID: 1, Counts: store.Counts{Read: 8, New: 8, Exact: 1, Near: 1, Excerpts: 1, ClustersTouched: 2}, Rejections: []output.Rejection{}}
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
	if out := mustRun(t, "--db", db, "imports"); !strings.Contains(out, `"candidates":2}`) || strings.Contains(out, `"jaccard"`) {
		t.Errorf("imports:\n%s", out)
	}
	// The same inputs again add nothing and change nothing.
	out = mustRun(t, "--db", db, "import", "--json", dir)
	s = output.ImportSummary{}
	json.Unmarshal([]byte(out), &s)
	if s.New != 0 || s.AlreadyStored != 8 || s.ClustersTouched != 0 {
		t.Errorf("second import = %+v, want nothing new", s)
	}
	if got := multiClusters(t, db); !slices.Equal(got, smallCorpusClusters) {
		t.Errorf("after re-import clusters = %q", got)
	}
	if n := len(jsonLines[output.Export](t, mustRun(t, "--db", db, "export"))); n != 5 {
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
	cs := jsonLines[output.Cluster](t, mustRun(t, "--db", db, "clusters", "--json"))
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
	all := jsonLines[output.Export](t, mustRun(t, "--db", db, "export", "--variants"))
	refs := map[string]output.Export{}
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

// TestImportStdinByContent: JSONL and CSV on standard input are read as
// such without --format, as files are by their names.
func TestImportStdinByContent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	var jsonl, csv strings.Builder
	csv.WriteString("id,text\n")
	for i := range 3 {
		text := strings.Join(article(int64(30+i), 6), "\n\n")
		fmt.Fprintf(&jsonl, "{\"id\":\"j%d\",\"text\":%s}\n", i, must(json.Marshal(text)))
		fmt.Fprintf(&csv, "c%d,\"%s\"\n", i, strings.ReplaceAll(text, `"`, `""`))
	}
	out, _, err := runCLI(t, jsonl.String(), "--db", db, "import", "-")
	if err != nil || !strings.Contains(out, "read 3, new 3,") {
		t.Fatalf("JSONL on standard input: %v %q", err, out)
	}
	out, _, err = runCLI(t, csv.String(), "--db", db, "import", "-")
	if err != nil || !strings.Contains(out, "read 3, new 3,") || !strings.Contains(out, "exact duplicates 3") {
		t.Fatalf("CSV on standard input: %v %q", err, out)
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
	_, _, err = runCLI(t, "", "--db", db, "import", "--shingle", "5", dir)
	if err == nil || !strings.Contains(err.Error(), "shingle_size") {
		t.Errorf("import with another shingle size: %v, want a refusal", err)
	}
	// Without --shingle, a database made with another size goes on with it.
	old := filepath.Join(dir, "old.db")
	mustRun(t, "--db", old, "import", "-q", "--shingle", "5", dir)
	writeFile(t, filepath.Join(dir, "b.txt"), strings.Join(article(2, 3), "\n\n"))
	if _, _, err := runCLI(t, "", "--db", old, "import", "-q", filepath.Join(dir, "b.txt")); err != nil {
		t.Errorf("import into a database of 5-word shingles without --shingle: %v", err)
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
	rows := jsonLines[output.Export](t, string(b))
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
		return jsonLines[output.Export](t, mustRun(t, "--db", db, "export"))[0].Text
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
	var s output.ImportSummary
	json.Unmarshal([]byte(out), &s)
	if s.New != 2 || s.RepairedUTF8 != 1 || s.DuplicateIDs != 1 {
		t.Errorf("summary %+v, want 2 new, 1 repaired, 1 duplicate id", s)
	}
	if !strings.Contains(errOut, "nested.jsonl:2: id \"https://x.example/a\" was used before") {
		t.Errorf("no duplicate-id warning naming the line:\n%s", errOut)
	}
	rows := jsonLines[output.Export](t, mustRun(t, "--db", db, "export"))
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
	rows = jsonLines[output.Export](t, mustRun(t, "--db", db2, "export"))
	if len(rows) != 1 || rows[0].Title != "First" || rows[0].Ref != "https://y.example/1" {
		t.Errorf("csv export %+v", rows)
	}
	// --strict stops at the bad record, keeping what came before.
	db3 := filepath.Join(t.TempDir(), "t.db")
	_, _, err = runCLI(t, "", "--db", db3, "import", "--strict", "--text-field", "content", filepath.Join(dir, "feed.csv"))
	if err == nil || !strings.Contains(err.Error(), "feed.csv:9") {
		t.Errorf("--strict: %v, want an error naming feed.csv:9", err)
	}
	if n := len(jsonLines[output.Export](t, mustRun(t, "--db", db3, "export"))); n != 1 {
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
