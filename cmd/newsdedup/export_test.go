package main

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/parquet-go/parquet-go"
)

// TestExportFormats writes the corpus in each format and reads it back.
func TestExportFormats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	mustRun(t, "--db", db, "import", "-q", corpusDir)
	want := jsonLines[output.Export](t, mustRun(t, "--db", db, "export"))
	wantIDs := func() []int64 {
		var ids []int64
		for _, e := range want {
			ids = append(ids, e.ID)
		}
		return ids
	}()

	// CSV: the JSONL fields as columns.
	csvPath := filepath.Join(dir, "out.csv")
	mustRun(t, "--db", db, "export", "--format", "csv", "-o", csvPath)
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(want)+1 || recs[0][0] != "id" || recs[0][6] != "text" {
		t.Fatalf("csv: %d records, header %v", len(recs), recs[0])
	}
	for i, e := range want {
		if recs[i+1][1] != e.Ref || recs[i+1][6] != e.Text {
			t.Errorf("csv row %d: ref %q, want %q (and the same text)", i+1, recs[i+1][1], e.Ref)
		}
	}

	// Parquet, read with parquet-go into the columns a reader names.
	type parquetRow struct {
		ID        int64  `parquet:"id"`
		Text      string `parquet:"text"`
		ClusterID int64  `parquet:"cluster_id"`
		Relation  string `parquet:"relation"`
	}
	pqPath := filepath.Join(dir, "out.parquet")
	mustRun(t, "--db", db, "export", "--format", "parquet", "--variants", "-o", pqPath)
	rows, err := parquet.ReadFile[parquetRow](pqPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 15 {
		t.Errorf("parquet --variants: %d rows, want 15", len(rows))
	}
	for _, r := range rows {
		if r.Text == "" || r.ClusterID == 0 || r.Relation == "" {
			t.Errorf("parquet row %+v lacks text, cluster or relation", r.ID)
		}
	}

	// txt: a folder of ID.txt files.
	txtDir := filepath.Join(dir, "txt")
	mustRun(t, "--db", db, "export", "--format", "txt", "-o", txtDir)
	names, _ := filepath.Glob(filepath.Join(txtDir, "*.txt"))
	if len(names) != len(wantIDs) {
		t.Errorf("txt: %d files, want %d", len(names), len(wantIDs))
	}
	b, err := os.ReadFile(filepath.Join(txtDir, itoa(want[0].ID)+".txt"))
	if err != nil || strings.TrimSpace(string(b)) != want[0].Text {
		t.Errorf("txt file of %d: %v", want[0].ID, err)
	}
	if _, _, err := runCLI(t, "", "--db", db, "export", "--format", "txt"); exitCode(err) != 2 {
		t.Errorf("txt without -o: %v, want a usage error", err)
	}
	if _, _, err := runCLI(t, "", "--db", db, "export", "--format", "xml"); exitCode(err) != 2 {
		t.Errorf("unknown format: %v, want a usage error", err)
	}
}

func TestExportFilters(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	mustRun(t, "--db", db, "import", "-q", corpusDir)
	refs := func(args ...string) []string {
		var out []string
		for _, e := range jsonLines[output.Export](t, mustRun(t, append([]string{"--db", db, "export"}, args...)...)) {
			out = append(out, baseName(e.Ref))
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--variants", "--source", "south-gazette"}, []string{"sg-2024-0503-brackenford-lighthouse"}},
		{[]string{"--variants", "--since", "2024-05-01"}, []string{"mw-2024-0611-kb-strike", "ng-2024-0502-gannet-light", "sg-2024-0503-brackenford-lighthouse"}},
		// --until takes in the whole of its last day.
		{[]string{"--variants", "--until", "2024-05-02"}, []string{"ng-2024-0502-gannet-light", "vt-2024-0319-nbv-preview"}},
		{[]string{"--variants", "--since", "2024-03-01", "--until", "2024-03"}, []string{"vt-2024-0319-nbv-preview"}},
		{[]string{"--min-cluster-size", "3"}, []string{"a_copy.txt", "b_outlet.txt", "c_v2.txt"}},
	} {
		if got := refs(c.args...); !slices.Equal(got, c.want) {
			t.Errorf("export %v = %q, want %q", c.args, got, c.want)
		}
	}

	// --clusters: every article, with the canonical that replaced it.
	mapping := filepath.Join(dir, "clusters.csv")
	mustRun(t, "--db", db, "export", "--clusters", mapping, "-o", filepath.Join(dir, "x.jsonl"))
	f, err := os.Open(mapping)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := csv.NewReader(f).ReadAll()
	f.Close()
	if len(recs) != 16 {
		t.Fatalf("clusters mapping: %d records, want header + 15", len(recs))
	}
	for _, r := range recs[1:] {
		if baseName(r[1]) == "a_teaser.txt" && (baseName(r[4]) != "a_copy.txt" || r[5] != "excerpt") {
			t.Errorf("a_teaser maps to %v, want canonical a_copy.txt as an excerpt", r)
		}
	}
}

func TestDateBound(t *testing.T) {
	now := time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("", -5*3600)) // 2026-03-02 04:30 UTC
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"2020-01-01", "2020-01-01"},
		{"2020-1-1", "2020-01-01"},
		{" 2020-1-09 ", "2020-01-09"},
		{"2020-3", "2020-03"},
		{"2020", "2020"},
		{"2020-04-10T10:00:00+02:00", "2020-04-10T08:00:00Z"},
		{"2020-04-10 10:00:00", "2020-04-10T10:00:00Z"},
		{"Mar 2, 2020", "2020-03-02"},
		{"today", "2026-03-02"},
		{"Yesterday", "2026-03-01"},
		{"7 days ago", "2026-02-23"},
		{"1 day ago", "2026-03-01"},
		{"2 weeks ago", "2026-02-16"},
		{"1 month ago", "2026-02-02"},
		{"3 years ago", "2023-03-02"},
	} {
		got, err := dateBound("--since", c.in, now)
		if err != nil || got != c.want {
			t.Errorf("dateBound(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"soon", "2020-13-01", "2020-02-30", "2020-13", "7 fortnights ago", "-1 days ago", "20200"} {
		got, err := dateBound("--until", in, now)
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--until") || !strings.Contains(err.Error(), strconv.Quote(in)) {
			t.Errorf("dateBound(%q) = %q, %v; want a usage error naming --until and the value", in, got, err)
		}
	}
}

// The bounds of export are dates, whatever form they are written in.
func TestExportDateForms(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	mustRun(t, "--db", db, "import", "-q", corpusDir)
	count := func(args ...string) int {
		return len(jsonLines[output.Export](t, mustRun(t, append([]string{"--db", db, "export", "--variants"}, args...)...)))
	}
	if a, b := count("--since", "2024-5-1"), count("--since", "2024-05-01"); a != b || a == 0 {
		t.Errorf("--since 2024-5-1 gives %d articles, 2024-05-01 %d; want the same, not 0", a, b)
	}
	// Every dated article of the corpus is older than yesterday.
	if a, b := count("--until", "yesterday"), count("--since", "1970-01-01"); a != b || a == 0 {
		t.Errorf("--until yesterday gives %d articles, want every dated one (%d)", a, b)
	}
	if n := count("--since", "yesterday"); n != 0 {
		t.Errorf("--since yesterday gives %d articles, want none", n)
	}

	stdout, stderr, err := runCLI(t, "", "--db", db, "export", "--since", "soonish")
	if code := exitCode(err); code != 2 {
		t.Errorf("--since soonish: exit %d, want 2 (err %v)", code, err)
	}
	if stdout != "" || !strings.Contains(stderr+err.Error(), `--since "soonish"`) {
		t.Errorf("--since soonish: stdout %q, stderr %q, err %v; want nothing written and the flag and value named", stdout, stderr, err)
	}
}
