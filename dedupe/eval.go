package dedupe

// Scores compare a clustering with the truth, over the same articles.
type Scores struct {
	Precision float64 `json:"precision"` // of the pairs put together, the share truly together
	Recall    float64 `json:"recall"`    // of the pairs truly together, the share put together
	F1        float64 `json:"f1"`
	ARI       float64 `json:"ari"` // adjusted Rand index
	// Pairs counts pairs of articles: put together, truly together, both.
	PredictedPairs int64 `json:"predicted_pairs"`
	TruePairs      int64 `json:"true_pairs"`
	CorrectPairs   int64 `json:"correct_pairs"`
}

// Score compares pred with truth, two clusterings of the same articles
// given as the cluster of each article (keys are articles; any two
// articles with the same value are in one cluster). An article missing
// from truth is a singleton there, and one missing from pred is a
// singleton there.
func Score(pred, truth map[int64]int64) Scores {
	// The contingency table: articles by (predicted, true) cluster.
	type cell struct{ p, t int64 }
	const single = -1 << 62 // a singleton's own cluster: never shared
	cells := map[cell]int64{}
	predSize := map[int64]int64{}
	trueSize := map[int64]int64{}
	ids := make(map[int64]bool, len(pred)+len(truth))
	for id := range pred {
		ids[id] = true
	}
	for id := range truth {
		ids[id] = true
	}
	n := int64(len(ids))
	for id := range ids {
		p, ok := pred[id]
		if !ok {
			p = single - id
		}
		t, ok := truth[id]
		if !ok {
			t = single - id
		}
		cells[cell{p, t}]++
		predSize[p]++
		trueSize[t]++
	}
	pairs := func(k int64) int64 { return k * (k - 1) / 2 }
	var s Scores
	for _, k := range cells {
		s.CorrectPairs += pairs(k)
	}
	for _, k := range predSize {
		s.PredictedPairs += pairs(k)
	}
	for _, k := range trueSize {
		s.TruePairs += pairs(k)
	}
	s.Precision, s.Recall = 1, 1
	if s.PredictedPairs > 0 {
		s.Precision = float64(s.CorrectPairs) / float64(s.PredictedPairs)
	}
	if s.TruePairs > 0 {
		s.Recall = float64(s.CorrectPairs) / float64(s.TruePairs)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	index, a, b := float64(s.CorrectPairs), float64(s.PredictedPairs), float64(s.TruePairs)
	expected := 0.0
	if n > 1 {
		expected = a * b / float64(pairs(n))
	}
	if most := (a + b) / 2; most != expected {
		s.ARI = (index - expected) / (most - expected)
	} else {
		s.ARI = 1 // both clusterings are all singletons, or all one cluster
	}
	return s
}
