package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

// runCLI runs newsdedup in-process with args after the program name.
func runCLI(t testing.TB, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runCLIContext(context.Background(), t, stdin, args...)
}

func runCLIContext(ctx context.Context, t testing.TB, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := newApp(strings.NewReader(stdin), &out, &errOut)
	err = app.RunContext(ctx, append([]string{"newsdedup"}, args...))
	if i := slices.Index(args, "--db"); i >= 0 && i+1 < len(args) && slices.Contains(args, "import") {
		checkForeignKeys(t, args[i+1])
		if _, bench := t.(*testing.B); !bench {
			// Not timed with an import it measures: the check reads
			// the whole database.
			checkInvariants(t, args[i+1])
		}
	}
	return out.String(), errOut.String(), err
}

// checkForeignKeys fails the test when the database at path has a row
// whose foreign key points at nothing. The import's writer does not let
// SQLite check them (store.BatchWriter), so every import a test runs is
// checked here, whether it succeeded or not.
func checkForeignKeys(t testing.TB, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return // the import failed before it made a database
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT "table", rowid, parent FROM pragma_foreign_key_check`)
	if err != nil {
		t.Fatalf("foreign_key_check on %s: %v", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		rows.Scan(&table, &rowid, &parent)
		t.Errorf("%s: a row of %s (rowid %v) points at no row of %s", path, table, rowid.Int64, parent)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("foreign_key_check on %s: %v", path, err)
	}
}

// checkInvariants fails the test when the database at path breaks one of
// the project's own invariants (store.Check): every import a test runs,
// interrupted or failed ones too, must leave them intact.
func checkInvariants(t testing.TB, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("check %s: %v", path, err)
	}
	defer db.Close()
	ps, err := db.Check(context.Background())
	if err != nil {
		t.Fatalf("check %s: %v", path, err)
	}
	for _, p := range ps {
		t.Errorf("%s: %s: %s", path, p.Invariant, p.Detail)
	}
}

// mustRun runs newsdedup and fails the test on an error.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := runCLI(t, "", args...)
	if err != nil {
		t.Fatalf("newsdedup %s: %v\nstderr:\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// jsonLines decodes one JSON object per line into a slice of T.
func jsonLines[T any](t *testing.T, s string) []T {
	t.Helper()
	var out []T
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("bad JSON line %q: %v", sc.Text(), err)
		}
		out = append(out, v)
	}
	return out
}

// partition describes clusters by refs, independent of ids: one line per
// cluster, "canonical <- variant(relation), ...", sorted.
func partition(t *testing.T, db string, base func(string) string) []string {
	t.Helper()
	var lines []string
	for _, c := range jsonLines[output.Cluster](t, mustRun(t, "--db", db, "clusters", "--json")) {
		var vs []string
		for _, v := range c.Variants {
			vs = append(vs, base(v.Ref)+"("+v.Relation+")")
		}
		sort.Strings(vs)
		lines = append(lines, base(c.Canonical.Ref)+" <- "+strings.Join(vs, ", "))
	}
	sort.Strings(lines)
	return lines
}

func baseName(ref string) string { return filepath.Base(ref) }

func seedsDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "seeds")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/seeds not present")
	}
	return dir
}

// TestSeeds is the acceptance test on the five real scraped articles.
func TestSeeds(t *testing.T) {
	dir := seedsDir(t)
	db := filepath.Join(t.TempDir(), "seeds.db")
	mustRun(t, "--db", db, "import", "--quiet", dir)

	clusters := jsonLines[output.Cluster](t, mustRun(t, "--db", db, "clusters", "--json"))
	if len(clusters) != 1 {
		t.Fatalf("got %d clusters of 2 or more, want 1: %+v", len(clusters), clusters)
	}
	c := clusters[0]
	if !strings.HasPrefix(baseName(c.Canonical.Ref), "001_") {
		t.Errorf("canonical = %s, want 001_*", c.Canonical.Ref)
	}
	if len(c.Variants) != 1 || !strings.HasPrefix(baseName(c.Variants[0].Ref), "000_") {
		t.Fatalf("variants = %+v, want just 000_*", c.Variants)
	}
	if rel := c.Variants[0].Relation; rel != "excerpt" && rel != "near" {
		t.Errorf("000 relation = %q, want excerpt or near", rel)
	}

	all := jsonLines[output.Export](t, mustRun(t, "--db", db, "export", "--variants"))
	if len(all) != 5 {
		t.Fatalf("export --variants wrote %d articles, want 5", len(all))
	}
	for _, a := range all {
		for _, bad := range []string{"Previous ArticleNext Article", "leave a reply", "Subscribe for full access", "SEE ALSO"} {
			if strings.Contains(a.Text, bad) {
				t.Errorf("cleaned %s contains %q", a.Ref, bad)
			}
		}
		if strings.HasPrefix(baseName(a.Ref), "000_") {
			if n := strings.Count(a.Text, "Why We Wrote This"); n != 1 {
				t.Errorf("cleaned 000 contains \"Why We Wrote This\" %d times, want 1", n)
			}
			var shown output.Article
			if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "show", "--json", itoa(a.ID))), &shown); err != nil {
				t.Fatal(err)
			}
			if strings.Count(shown.Raw, "Why We Wrote This") != 2 || shown.Text != a.Text {
				t.Errorf("show: the raw text must be verbatim (box twice) and text cleaned")
			}
		}
	}
	if n := len(jsonLines[output.Export](t, mustRun(t, "--db", db, "export"))); n != 4 {
		t.Errorf("export wrote %d articles, want 4", n)
	}
}

func itoa(id int64) string { return strings.TrimSpace(string(must(json.Marshal(id)))) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestSeedsAnyOrder imports the seeds one file at a time in reverse order
// and gets the same clusters as one import of the folder.
func TestSeedsAnyOrder(t *testing.T) {
	dir := seedsDir(t)
	tmp := t.TempDir()
	one, each := filepath.Join(tmp, "one.db"), filepath.Join(tmp, "each.db")
	mustRun(t, "--db", one, "import", "--quiet", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	slices.Reverse(files)
	for _, f := range files {
		mustRun(t, "--db", each, "import", "--quiet", f)
	}
	a, b := partition(t, one, baseName), partition(t, each, baseName)
	if !slices.Equal(a, b) {
		t.Errorf("clusters differ:\nfolder: %q\none by one, reversed: %q", a, b)
	}
}

// TestCPUProfile checks that --cpuprofile writes a profile (gzip, as
// pprof writes them) of the command it wraps.
func TestCPUProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.pprof")
	mustRun(t, "--db", filepath.Join(dir, "p.db"), "--cpuprofile", prof, "import", "-q", filepath.Join("..", "..", "testdata", "corpus"))
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile of %d bytes does not start like a pprof file", len(b))
	}
	if _, _, err := runCLI(t, "", "--db", filepath.Join(dir, "p.db"), "--cpuprofile", filepath.Join(dir, "no", "such", "dir", "x"), "stats"); err == nil || !strings.Contains(err.Error(), "cpu profile") {
		t.Errorf("profile to a missing folder: %v, want a cpu profile error", err)
	}
}
