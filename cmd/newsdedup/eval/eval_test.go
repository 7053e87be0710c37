package eval_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/eval"
	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/ingest/pipeline/pipelinetest"
	"github.com/newsdedup/newsdedup/store"
)

func TestReadLabels(t *testing.T) {
	ls, err := eval.ReadLabels("l.jsonl", strings.NewReader(`{"a":"x","b":"y","label":"dup"}

{"cluster":["p","q","r"]}
{"a":"x","b":"z","label":"not"}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Pairs) != 2 || len(ls.Clusters) != 1 || ls.Pairs[1].Label != eval.Not {
		t.Errorf("labels %+v", ls)
	}
	for in, want := range map[string]string{
		`{"a":"x","b":"y","label":"same"}`:         "l.jsonl:2: label",
		`{"a":"x","label":"dup"}`:                  "l.jsonl:2: want",
		`{"a":"x","b":"y","cluster":["x"]}`:        "l.jsonl:2: want",
		`{"a":"x","b":"y","label":"dup"` + "\x00}": "l.jsonl:2:",
	} {
		_, err := eval.ReadLabels("l.jsonl", strings.NewReader(`{"cluster":[]}`+"\n"+in+"\n"))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: err %v, want %q...", in, err, want)
		}
	}
}

// fixture imports the small corpus: story 1 (full, copy, teaser), story 2
// (two versions) and three singletons. It returns the data and the refs
// by base name.
func fixture(t *testing.T) (*eval.Data, func(string) string) {
	dir := pipelinetest.SmallCorpus(t)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	opts := pipeline.Options{Params: dedupe.DefaultParams(), Rules: ingest.DefaultRules()}
	if _, err := pipeline.New(db, opts).Run(t.Context(), []string{dir}); err != nil {
		t.Fatal(err)
	}
	d, err := eval.Load(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	ref := func(name string) string {
		if name == "s1_copy.txt" {
			return filepath.Join(dir, "sub", name)
		}
		return filepath.Join(dir, name)
	}
	return d, ref
}

// TestEvaluateErrors labels the teaser as another article and two
// singletons as one story: eval reports the wrong merge with the link
// that made it, the split with no evidence between its parts, and the
// violated "not" pair, and scores them.
func TestEvaluateErrors(t *testing.T) {
	d, ref := fixture(t)
	labels := fmt.Sprintf(`{"cluster":[%q,%q]}
{"a":%q,"b":%q,"label":"dup"}
{"a":%q,"b":%q,"label":"not"}
{"cluster":[%q,%q]}
{"a":"nowhere","b":%q,"label":"dup"}
`, ref("s1_full.txt"), ref("s1_copy.txt"), ref("s2_v1.txt"), ref("s2_v2.txt"), ref("s1_full.txt"), ref("s1_teaser.txt"),
		ref("other3.txt"), ref("other4.txt"), ref("other5.txt"))
	ls, err := eval.ReadLabels("labels", strings.NewReader(labels))
	if err != nil {
		t.Fatal(err)
	}
	r := d.Evaluate(ls, eval.Options{Errors: 10, Params: dedupe.DefaultParams()})
	// Put together: story 1's 3 pairs and story 2's 1; true: 1 + 1 + 1.
	if r.Articles != 8 || r.PredictedPairs != 4 || r.TruePairs != 3 || r.CorrectPairs != 2 {
		t.Errorf("report %+v", r)
	}
	if len(r.Labels.UnknownRefs) != 1 || r.Labels.UnknownRefs[0] != "nowhere" || r.Labels.Not != 1 || r.Labels.Clusters != 2 {
		t.Errorf("label counts %+v", r.Labels)
	}
	if len(r.Merged) != 1 || r.Merged[0].WrongPairs != 2 || len(r.Merged[0].Parts) != 2 {
		t.Fatalf("merged %+v", r.Merged)
	}
	if l := r.Merged[0].Link; l == nil || l.Relation != "excerpt" || !strings.HasSuffix(l.B, "s1_teaser.txt") && !strings.HasSuffix(l.A, "s1_teaser.txt") {
		t.Errorf("the merge's link %+v, want the teaser's excerpt link", l)
	}
	if len(r.Split) != 1 || r.Split[0].MissedPairs != 1 || r.Split[0].BestEvidence != nil {
		t.Errorf("split %+v", r.Split)
	}
	if len(r.NotViolated) != 1 {
		t.Errorf("not violated %+v", r.NotViolated)
	}
	if r.Precision != 0.5 || r.Recall != 2.0/3 {
		t.Errorf("precision %.3f recall %.3f, want 0.5 and 0.667", r.Precision, r.Recall)
	}
}

// TestSweepMatchesStored: at the import's own thresholds the sweep, which
// clusters the stored evidence again, scores what the stored clusters
// score; with no excerpts (a threshold above 1) the teaser is left out.
func TestSweepMatchesStored(t *testing.T) {
	d, ref := fixture(t)
	labels := fmt.Sprintf(`{"cluster":[%q,%q]}
{"cluster":[%q,%q]}
`, ref("s1_full.txt"), ref("s1_copy.txt"), ref("s2_v1.txt"), ref("s2_v2.txt"))
	ls, err := eval.ReadLabels("labels", strings.NewReader(labels))
	if err != nil {
		t.Fatal(err)
	}
	p := dedupe.DefaultParams()
	stored := d.Evaluate(ls, eval.Options{Params: p}).Scores
	cells := d.Sweep(ls, p, eval.Grid{Near: []float64{0.5}, Excerpt: []float64{0.6, 1.01}})
	if len(cells) != 2 || !cells[0].Current || cells[1].Current {
		t.Fatalf("cells %+v", cells)
	}
	if cells[0].Scores != stored {
		t.Errorf("sweep at the stored thresholds %+v, the stored clusters %+v", cells[0].Scores, stored)
	}
	if s := cells[1].Scores; s.Precision != 1 || s.Recall != 1 {
		t.Errorf("no excerpts leaves the teaser out: want a perfect score, got %+v", s)
	}
}
