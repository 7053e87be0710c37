package eval

import (
	"github.com/newsdedup/newsdedup/dedupe"
)

// Cell is one setting of a sweep and its scores: a line of eval --sweep
// --json.
type Cell struct {
	Near    float64 `json:"near"`
	Excerpt float64 `json:"excerpt"`
	// Current marks the database's own settings.
	Current bool `json:"current"`
	dedupe.Scores
}

// Grid is the thresholds a sweep tries.
type Grid struct {
	Near, Excerpt []float64
}

// DefaultGrid spans the thresholds worth trying around the defaults.
func DefaultGrid() Grid {
	return Grid{
		Near:    []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8},
		Excerpt: []float64{0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9},
	}
}

// Sweep clusters the kept evidence again under each setting of the grid
// (and under p itself), with the policy the import uses, and scores each
// against the labels. A person's decisions are left aside: the cells say
// what the thresholds alone would do. Candidates the imports' LSH never
// proposed are missing at every setting, so lowering a threshold below
// the candidates' floor changes nothing.
func (d *Data) Sweep(ls Labels, p dedupe.Params, g Grid) []Cell {
	truth, _ := d.truth(ls)
	var cells []Cell
	seenCurrent := false
	try := func(near, excerpt float64) {
		q := p
		q.NearJaccard, q.ExcerptContainment = near, excerpt
		c := Cell{Near: near, Excerpt: excerpt, Current: near == p.NearJaccard && excerpt == p.ExcerptContainment}
		seenCurrent = seenCurrent || c.Current
		pred := q.Cluster(d.verified, func(id int64) int { return d.length[id] }, d.origin)
		for _, id := range d.ids {
			if _, ok := pred[id]; !ok {
				pred[id] = id // a singleton: scores count every stored article
			}
		}
		c.Scores = dedupe.Score(pred, truth)
		cells = append(cells, c)
	}
	for _, near := range g.Near {
		for _, excerpt := range g.Excerpt {
			try(near, excerpt)
		}
	}
	if !seenCurrent {
		try(p.NearJaccard, p.ExcerptContainment)
	}
	return cells
}
