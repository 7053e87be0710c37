package store_test

import (
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

// TestSettingsRecorded: the settings later commands use are the
// database's signature settings and the newest import's thresholds and
// rules, the rules' text read back from its one stored copy.
func TestSettingsRecorded(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	s, ok, err := db.Settings(ctx)
	if err != nil || ok {
		t.Fatalf("no imports: ok %v, err %v", ok, err)
	}
	if s.Params() != dedupe.DefaultParams() {
		t.Errorf("no imports: params %+v, want the defaults", s.Params())
	}

	extra, err := ingest.ParseRules("x.rules", strings.NewReader("drop sponsor (?i)sponsored by .{0,40}\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := dedupe.DefaultParams()
	p.NearJaccard, p.LSHThreshold = 0.7, 0.3
	for range 2 { // the same rules twice: stored once
		if _, err := db.BeginImport(ctx, []string{"a.jsonl"}, store.NewSettings(p, extra)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetMeta(ctx, "shingle_size", "4"); err != nil {
		t.Fatal(err)
	}
	s, ok, err = db.Settings(ctx)
	if err != nil || !ok {
		t.Fatalf("Settings: ok %v, err %v", ok, err)
	}
	if s.NearJaccard != 0.7 || s.LSHThreshold != 0.3 || s.ShingleSize != 4 || s.RuleCount != 1 {
		t.Errorf("settings = %+v", s)
	}
	rules, err := s.CleanRules()
	if err != nil {
		t.Fatal(err)
	}
	if got := rules.Clean("Sponsored by Acme\n\nThe vote was held on Monday."); got != "The vote was held on Monday." {
		t.Errorf("recorded rules clean to %q", got)
	}
	var n int
	if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM rule_sets`, &n); err != nil || n != 1 {
		t.Errorf("rule_sets holds %d rows (%v), want 1", n, err)
	}
}

// TestSettingsLegacy: an import recorded before settings were typed (Go
// field names, a rule count) still reads, and cleans with the built-in
// rules as it did.
func TestSettingsLegacy(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	if err := db.ExecForTest(ctx, `INSERT INTO imports (started_at, inputs, params) VALUES ('2025-01-01T00:00:00Z', '["a"]',
		'{"ShingleSize":5,"NumHash":64,"Seed":1,"LSHThreshold":0.25,"NearJaccard":0.45,"ExcerptContainment":0.65,"MinExcerptShingles":20,"Scheme":"oph1","Rules":12}')`); err != nil {
		t.Fatal(err)
	}
	s, ok, err := db.Settings(ctx)
	if err != nil || !ok {
		t.Fatalf("Settings: ok %v, err %v", ok, err)
	}
	if s.NearJaccard != 0.45 || s.ExcerptContainment != 0.65 || s.RuleCount != 12 || s.RulesDigest != "" {
		t.Errorf("legacy settings = %+v", s)
	}
	rules, err := s.CleanRules()
	if err != nil || rules.Text() != ingest.DefaultRules().Text() {
		t.Errorf("legacy rules are not the built-in ones (%v)", err)
	}
	ims, err := db.Imports(ctx)
	if err != nil || len(ims) != 1 || ims[0].Settings.NearJaccard != 0.45 {
		t.Errorf("Imports of a legacy record = %+v, %v", ims, err)
	}
}
