package dedupe_test

import (
	"math"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
)

func TestScore(t *testing.T) {
	truth := map[int64]int64{1: 1, 2: 1, 3: 1, 4: 4, 5: 4, 6: 6}
	for _, tc := range []struct {
		name    string
		pred    map[int64]int64
		p, r    float64
		ari     float64
		correct int64
	}{
		{"identical", map[int64]int64{1: 7, 2: 7, 3: 7, 4: 9, 5: 9, 6: 0}, 1, 1, 1, 4},
		{"all singletons", map[int64]int64{}, 1, 0, 0, 0},
		// 1-2-3 and 4-5 merged: 10 pairs put together, 4 right.
		{"merged", map[int64]int64{1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, 0.4, 1, 4.0 / 13, 4}, // index 4, expected 40/15, max 7
		// 3 split off: 1 of 3 story pairs kept, nothing wrong.
		{"split", map[int64]int64{1: 1, 2: 1, 4: 4, 5: 4}, 1, 0.5, -1, 2},
	} {
		s := dedupe.Score(tc.pred, truth)
		if math.Abs(s.Precision-tc.p) > 1e-9 || math.Abs(s.Recall-tc.r) > 1e-9 || s.CorrectPairs != tc.correct {
			t.Errorf("%s: precision %.3f recall %.3f correct %d, want %.3f %.3f %d", tc.name, s.Precision, s.Recall, s.CorrectPairs, tc.p, tc.r, tc.correct)
		}
		if tc.ari >= 0 && math.Abs(s.ARI-tc.ari) > 1e-9 {
			t.Errorf("%s: ARI %.4f, want %.4f", tc.name, s.ARI, tc.ari)
		}
		if s.ARI > 1+1e-9 || (tc.name != "identical" && s.ARI >= 1) {
			t.Errorf("%s: ARI %.4f", tc.name, s.ARI)
		}
	}
	// ARI against a value computed by hand: truth {1,2,3},{4,5},{6};
	// pred {1,2},{3,4,5},{6}. Cells: (12)=1 pair, (3,45): 45 = 1 pair;
	// index 2, a = 1+3 = 4, b = 3+1 = 4, n = 6 (15 pairs): expected
	// 16/15, max 4, ARI = (2-16/15)/(4-16/15) = 14/44.
	s := dedupe.Score(map[int64]int64{1: 1, 2: 1, 3: 3, 4: 3, 5: 3, 6: 6}, truth)
	if want := 14.0 / 44.0; math.Abs(s.ARI-want) > 1e-9 {
		t.Errorf("ARI %.6f, want %.6f", s.ARI, want)
	}
}
