package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"golang.org/x/tools/txtar"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/web"
	"github.com/newsdedup/newsdedup/store"
)

// The golden tests pin every output shape: each --json output, each /api/
// answer and each export's columns are compared byte for byte with
// testdata/golden/NAME.txtar, so that a renamed field, a list that turns
// into null or a reordered column fails. go test -run Golden -update
// rewrites the files from what the commands print now; review the diff.
var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

// goldenCase is one output to pin. It runs a CLI command (args, after
// --db), or GETs an /api/ path of the web UI over the same database.
type goldenCase struct {
	name string
	// db is the fixture the case reads: "corpus" (testdata/corpus
	// imported once), "curated" (the corpus after the decisions of
	// curationScript), "empty" (a database without imports) or "new" (a
	// path where no database is yet, for a case that imports).
	db   string
	args []string
	api  string
	// file, when set, is what the case pins instead of standard output:
	// a file the command wrote, under $OUT.
	file string
	// decode turns a binary output into text (parquet).
	decode func(t *testing.T, b []byte) string
	// mask, when set, hides more of what varies from run to run (after
	// the paths and decision times every case masks).
	mask func(string) string
}

// goldenCases are the outputs pinned. In args, $CORPUS is the bundled
// corpus and $OUT a fresh folder of the case's own.
var goldenCases = []goldenCase{
	// import, imports, similar, check
	{name: "import_json", db: "new", args: []string{"import", "--json", "$CORPUS"}},
	{name: "import_text", db: "new", args: []string{"import", "$CORPUS"}},
	{name: "imports_json", db: "corpus", args: []string{"imports", "--json"}},
	{name: "imports_text", db: "corpus", args: []string{"imports"}},
	{name: "similar_json", db: "corpus", args: []string{"similar", "--json", "$CORPUS/a_teaser.txt"}},
	{name: "similar_json_empty", db: "empty", args: []string{"similar", "--json", "$CORPUS/a_teaser.txt"}},
	{name: "similar_text", db: "corpus", args: []string{"similar", "$CORPUS/c_v2.txt"}},
	{name: "check_json", db: "corpus", args: []string{"check", "--json"}},
	// eval against testdata/corpus-labels.jsonl ($LABELS, its refs as the
	// corpus was imported here)
	{name: "eval_json", db: "corpus", args: []string{"eval", "--json", "$LABELS"}},
	{name: "eval_text_curated", db: "curated", args: []string{"eval", "$LABELS"}},
	{name: "eval_sweep_json", db: "corpus", args: []string{"eval", "--sweep", "--json", "$LABELS"}},
	{name: "eval_sweep_text", db: "corpus", args: []string{"eval", "--sweep", "$LABELS"}},
	// clusters
	{name: "clusters_json", db: "corpus", args: []string{"clusters", "--json"}},
	{name: "clusters_json_min1", db: "corpus", args: []string{"clusters", "--json", "--min-size", "1"}},
	{name: "clusters_text", db: "corpus", args: []string{"clusters"}},
	{name: "clusters_json_empty", db: "empty", args: []string{"clusters", "--json"}},
	// show: a canonical, an exact copy, an excerpt, a near duplicate
	{name: "show_json_canonical", db: "corpus", args: []string{"show", "--json", "1"}},
	{name: "show_json_exact", db: "corpus", args: []string{"show", "--json", "2"}},
	{name: "show_json_excerpt", db: "corpus", args: []string{"show", "--json", "5"}},
	{name: "show_json_near", db: "corpus", args: []string{"show", "--json", "12"}},
	{name: "show_text_excerpt", db: "corpus", args: []string{"show", "5"}},
	// stats
	{name: "stats_json", db: "corpus", args: []string{"stats", "--json"}},
	{name: "stats_text", db: "corpus", args: []string{"stats"}},
	{name: "stats_json_empty", db: "empty", args: []string{"stats", "--json"}},
	// search
	{name: "search_json", db: "corpus", args: []string{"search", "--json", "--limit", "3", "Marrowby"}},
	{name: "search_json_none", db: "corpus", args: []string{"search", "--json", "xylophonequartz"}},
	{name: "search_text", db: "corpus", args: []string{"search", "--limit", "3", "strike"}},
	// decisions
	{name: "decisions_json_none", db: "corpus", args: []string{"decisions", "--json"}},
	{name: "decisions_json", db: "curated", args: []string{"decisions", "--json"}},
	{name: "decisions_text", db: "curated", args: []string{"decisions"}},
	{name: "clusters_json_curated", db: "curated", args: []string{"clusters", "--json"}},
	// export
	{name: "export_jsonl", db: "corpus", args: []string{"export"}},
	{name: "export_jsonl_variants", db: "corpus", args: []string{"export", "--variants"}},
	{name: "export_csv", db: "corpus", args: []string{"export", "--format", "csv"}},
	{name: "export_csv_variants", db: "corpus", args: []string{"export", "--format", "csv", "--variants"}},
	{name: "export_parquet", db: "corpus", args: []string{"export", "--format", "parquet", "-o", "$OUT/x.parquet"}, file: "x.parquet", decode: parquetText},
	{name: "export_parquet_filtered", db: "corpus", args: []string{"export", "--format", "parquet", "--min-cluster-size", "3", "-o", "$OUT/x.parquet"}, file: "x.parquet", decode: parquetText},
	{name: "export_clusters_csv", db: "corpus", args: []string{"export", "--clusters", "$OUT/c.csv", "-o", "$OUT/x.jsonl"}, file: "c.csv"},
	{name: "export_jsonl_empty", db: "empty", args: []string{"export", "--variants"}},
	// the web UI's JSON API
	{name: "api_clusters", db: "corpus", api: "/api/clusters"},
	{name: "api_clusters_page", db: "corpus", api: "/api/clusters?min_size=1&offset=2&limit=3"},
	{name: "api_clusters_filtered", db: "corpus", api: "/api/clusters?min_size=1&source=meridian-wire&relation=near"},
	{name: "api_clusters_empty", db: "empty", api: "/api/clusters"},
	{name: "api_cluster", db: "corpus", api: "/api/clusters/1"},
	{name: "api_cluster_missing", db: "corpus", api: "/api/clusters/99999"},
	{name: "api_article", db: "corpus", api: "/api/articles/5"},
	{name: "api_article_canonical", db: "corpus", api: "/api/articles/1"},
	{name: "api_stats", db: "corpus", api: "/api/stats"},
	{name: "api_stats_empty", db: "empty", api: "/api/stats"},
	{name: "api_search", db: "corpus", api: "/api/search?q=Marrowby&limit=3"},
	{name: "api_search_none", db: "corpus", api: "/api/search?q=xylophonequartz"},
	{name: "api_search_noquery", db: "corpus", api: "/api/search"},
	{name: "api_histogram", db: "corpus", api: "/api/histogram"},
	{name: "api_histogram_4", db: "corpus", api: "/api/histogram?buckets=4"},
	{name: "api_histogram_empty", db: "empty", api: "/api/histogram?buckets=4"},
	{name: "api_decisions_none", db: "corpus", api: "/api/decisions"},
	{name: "api_decisions", db: "curated", api: "/api/decisions"},
}

// curationScript are the decisions the curated fixture takes on the
// corpus, each pinned with its --json output: split the teaser and the
// print version off the flood cluster, merge them back, pin the teaser.
var curationScript = []struct {
	name string
	args []string
}{
	{"cluster_split_json", []string{"cluster", "split", "--json", "--by", "tester", "--why", "not the same edition", "1", "4", "5"}},
	{"cluster_merge_json", []string{"cluster", "merge", "--json", "--by", "ed", "1", "4"}},
	{"canonical_set_json", []string{"canonical", "set", "--json", "--by", "tester", "5"}},
	{"cluster_merge_text", []string{"cluster", "merge", "--by", "ed", "6", "9"}},
}

func TestGolden(t *testing.T) {
	// The corpus by its relative path: refs, and the width of text
	// columns, are then the same in every checkout.
	corpus := filepath.Clean(corpusDir)
	dir := t.TempDir()
	dbs := map[string]string{
		"corpus":  filepath.Join(dir, "corpus.db"),
		"curated": filepath.Join(dir, "curated.db"),
		"empty":   filepath.Join(dir, "empty.db"),
	}
	labels := filepath.Join(dir, "corpus-labels.jsonl")
	b, err := os.ReadFile(filepath.Join(corpus, "..", "corpus-labels.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(labels, []byte(strings.ReplaceAll(string(b), `"testdata/corpus/`, `"`+filepath.ToSlash(corpus)+`/`)), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--db", dbs["corpus"], "import", "-q", corpus)
	mustRun(t, "--db", dbs["curated"], "import", "-q", corpus)
	empty, err := store.Open(t.Context(), dbs["empty"])
	if err != nil {
		t.Fatal(err)
	}
	empty.Close()

	mask := func(s string) string {
		s = strings.ReplaceAll(s, corpus, "$CORPUS")
		s = strings.ReplaceAll(s, dir, "$TMP")
		return maskTimes(s)
	}
	for _, step := range curationScript {
		t.Run(step.name, func(t *testing.T) {
			out := mustRun(t, append([]string{"--db", dbs["curated"]}, step.args...)...)
			checkGolden(t, step.name, "newsdedup "+strings.Join(step.args, " "), mask(out))
		})
	}
	// The handlers live as long as the whole test, not one case.
	handlers := map[string]http.Handler{}
	handler := func(fixture, db string) http.Handler {
		h, ok := handlers[fixture]
		if !ok {
			h = goldenHandler(t, db)
			handlers[fixture] = h
		}
		return h
	}
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			db := dbs[c.db]
			if c.db == "new" {
				db = filepath.Join(t.TempDir(), "new.db")
			} else if db == "" {
				t.Fatalf("unknown fixture %q", c.db)
			}
			out := t.TempDir()
			var got, cmd string
			switch {
			case c.api != "":
				cmd = "GET " + c.api
				got = apiText(t, handler(c.db, db), c.api)
			default:
				args := make([]string, len(c.args))
				for i, a := range c.args {
					args[i] = strings.NewReplacer("$CORPUS", corpus, "$OUT", out, "$LABELS", labels).Replace(a)
				}
				cmd = "newsdedup " + strings.Join(c.args, " ")
				stdout := mustRun(t, append([]string{"--db", db}, args...)...)
				b := []byte(stdout)
				if c.file != "" {
					if b, err = os.ReadFile(filepath.Join(out, c.file)); err != nil {
						t.Fatal(err)
					}
				}
				got = string(b)
				if c.decode != nil {
					got = c.decode(t, b)
				}
			}
			got = mask(got)
			if c.mask != nil {
				got = c.mask(got)
			}
			checkGolden(t, c.name, cmd, got)
		})
	}
}

// goldenHandler is the web UI over the database at path, read-only.
func goldenHandler(t *testing.T, path string) http.Handler {
	t.Helper()
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h, err := web.New(db, web.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// apiText is an API answer as the golden files hold it: the status, the
// headers a client reads, and the body verbatim.
func apiText(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1"+path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "status: %d\n", res.StatusCode)
	for _, k := range []string{"Content-Type", "X-Total-Count"} {
		if v := res.Header.Get(k); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(body)
	return b.String()
}

// These match the moments a decision is taken and an import starts and
// ends: they are all that varies between two runs, apart from paths.
var (
	jsonTime       = regexp.MustCompile(`"at":"[^"]*"`)
	lineTime       = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT[0-9:.]+Z by `)
	importTime     = regexp.MustCompile(`"(started|finished)_at":"[^"]+"`)
	importLineTime = regexp.MustCompile(`(?m)^(import \d+  )\d{4}-\d\d-\d\dT[0-9:.]+Z  `)
)

func maskTimes(s string) string {
	s = jsonTime.ReplaceAllString(s, `"at":"$$TIME"`)
	s = importTime.ReplaceAllString(s, `"${1}_at":"$$TIME"`)
	s = importLineTime.ReplaceAllString(s, "${1}$$TIME  ")
	return lineTime.ReplaceAllString(s, "$$TIME by ")
}

// parquetText prints a Parquet file's schema and then every row, one
// line per column value, so that a renamed or retyped column shows.
func parquetText(t *testing.T, b []byte) string {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "%s\n", f.Schema())
	cols := f.Schema().Columns()
	r := parquet.NewReader(f)
	defer r.Close()
	rows := make([]parquet.Row, 16)
	for n := 0; ; {
		k, err := r.ReadRows(rows)
		for _, row := range rows[:k] {
			fmt.Fprintf(&out, "row %d\n", n)
			n++
			for _, v := range row {
				fmt.Fprintf(&out, "  %s = %s\n", strings.Join(cols[v.Column()], "."), parquetValue(v))
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return out.String()
}

func parquetValue(v parquet.Value) string {
	if v.IsNull() {
		return "null"
	}
	if v.Kind() == parquet.ByteArray {
		return fmt.Sprintf("%q", v.ByteArray())
	}
	return v.String()
}

// checkGolden compares got with testdata/golden/NAME.txtar, whose comment
// is the command that made it, or rewrites the file under -update.
func checkGolden(t *testing.T, name, cmd, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".txtar")
	if *update {
		a := &txtar.Archive{Comment: []byte(cmd + "\n"), Files: []txtar.File{{Name: "out", Data: []byte(got)}}}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, txtar.Format(a), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run Golden -update writes it)", err)
	}
	if len(a.Files) != 1 || a.Files[0].Name != "out" {
		t.Fatalf("%s: want one file named out", path)
	}
	if c := strings.TrimSpace(string(a.Comment)); c != cmd {
		t.Errorf("%s was made by %q, the case now runs %q", path, c, cmd)
	}
	want := string(a.Files[0].Data)
	if got != want {
		t.Errorf("%s differs (go test -run Golden -update rewrites it):\n%s", path, lineDiff(want, got))
	}
}

// lineDiff shows each line of want that got changes, paired with the
// line that replaced it, from just before the first byte that differs:
// enough to see which field changed in a long JSON line.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	in := func(lines []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range lines {
			m[l] = true
		}
		return m
	}
	wm, gm := in(wl), in(gl)
	var gone, came []string
	for _, l := range wl {
		if !gm[l] {
			gone = append(gone, l)
		}
	}
	for _, l := range gl {
		if !wm[l] {
			came = append(came, l)
		}
	}
	var b strings.Builder
	for i := range max(len(gone), len(came)) {
		w, g := "", ""
		if i < len(gone) {
			w = gone[i]
		}
		if i < len(came) {
			g = came[i]
		}
		at := 0
		for at < len(w) && at < len(g) && w[at] == g[at] {
			at++
		}
		from := max(0, at-60)
		fmt.Fprintf(&b, "- …%s\n+ …%s\n", clipLine(w[from:]), clipLine(g[from:]))
	}
	if b.Len() == 0 {
		return "(the same lines, in another order or number)"
	}
	return b.String()
}

func clipLine(l string) string {
	if len(l) > 200 {
		return l[:200] + "…"
	}
	return l
}
