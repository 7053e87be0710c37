// Package eval scores a database's clusters against labels a person made:
// pairwise precision, recall and F1 and the adjusted Rand index over every
// stored article, the worst errors with the evidence behind them, and the
// same scores over a grid of thresholds, clustered again from the
// evidence the imports kept (Sweep).
package eval

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// The labels of a pair.
const (
	Dup     = "dup"
	Excerpt = "excerpt"
	Not     = "not"
)

// Labels are what a person judged: pairs of refs, and whole clusters.
type Labels struct {
	Pairs    []Pair
	Clusters [][]string
}

// Pair is a judged pair of refs.
type Pair struct {
	A, B  string
	Label string // Dup, Excerpt or Not
}

// line is one line of a labels file.
type line struct {
	A       *string  `json:"a"`
	B       *string  `json:"b"`
	Label   string   `json:"label"`
	Cluster []string `json:"cluster"`
}

// maxLabelLine bounds a line of a labels file.
const maxLabelLine = 16 << 20

// ReadLabels reads a labels file: JSON lines, each a judged pair
// {"a":REF,"b":REF,"label":"dup"|"excerpt"|"not"} or a cluster
// {"cluster":[REF,...]}. name is used in errors, with the line.
func ReadLabels(name string, r io.Reader) (Labels, error) {
	var ls Labels
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxLabelLine)
	for n := 1; sc.Scan(); n++ {
		b := sc.Bytes()
		if len(b) == 0 {
			continue
		}
		var l line
		if err := json.Unmarshal(b, &l); err != nil {
			return ls, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		switch {
		case l.Cluster != nil && l.A == nil && l.B == nil:
			ls.Clusters = append(ls.Clusters, l.Cluster)
		case l.A != nil && l.B != nil && l.Cluster == nil:
			if l.Label != Dup && l.Label != Excerpt && l.Label != Not {
				return ls, fmt.Errorf("%s:%d: label %q, want dup, excerpt or not", name, n, l.Label)
			}
			ls.Pairs = append(ls.Pairs, Pair{A: *l.A, B: *l.B, Label: l.Label})
		default:
			return ls, fmt.Errorf("%s:%d: want {\"a\",\"b\",\"label\"} or {\"cluster\"}", name, n)
		}
	}
	if err := sc.Err(); err != nil {
		return ls, fmt.Errorf("%s: %w", name, err)
	}
	return ls, nil
}

// Report is what Evaluate finds: the object of eval --json.
type Report struct {
	Articles          int `json:"articles"`
	TrueClusters      int `json:"true_clusters"`      // of two or more
	PredictedClusters int `json:"predicted_clusters"` // of two or more
	dedupe.Scores
	Labels LabelCounts `json:"labels"`
	// Merged are predicted clusters that join several true clusters,
	// most wrong pairs first; Split are true clusters spread over several
	// predicted ones, most missed pairs first; NotViolated are pairs
	// labelled not that share a cluster.
	Merged      []Merged `json:"merged"`
	Split       []Split  `json:"split"`
	NotViolated []Pair2  `json:"not_violated"`
}

// LabelCounts counts the labels read, and the refs no stored article has.
type LabelCounts struct {
	Dup         int      `json:"dup"`
	Excerpt     int      `json:"excerpt"`
	Not         int      `json:"not"`
	Clusters    int      `json:"clusters"`
	UnknownRefs []string `json:"unknown_refs"`
}

// Link is a verified pair of two articles, as evidence.
type Link struct {
	A           string  `json:"a"`
	B           string  `json:"b"`
	Relation    string  `json:"relation"` // exact, near, excerpt; "" when below both thresholds
	Jaccard     float64 `json:"jaccard"`
	Containment float64 `json:"containment"`
}

// Merged is a predicted cluster that joins true clusters, with the
// strongest link between two of them: the one to look at first.
type Merged struct {
	ClusterID  int64      `json:"cluster_id"`
	Size       int        `json:"size"`
	WrongPairs int64      `json:"wrong_pairs"`
	Parts      [][]string `json:"parts"` // refs of each true cluster in it
	Link       *Link      `json:"link"`  // null when no stored link joins two parts
}

// Split is a true cluster spread over predicted clusters, with the best
// verified pair between two of its parts (null when none was verified:
// the candidates never met).
type Split struct {
	Refs         []string   `json:"refs"`
	MissedPairs  int64      `json:"missed_pairs"`
	Parts        [][]string `json:"parts"`
	ClusterIDs   []int64    `json:"cluster_ids"`
	BestEvidence *Link      `json:"best_evidence"`
}

// Pair2 is a pair of refs in one predicted cluster.
type Pair2 struct {
	A         string `json:"a"`
	B         string `json:"b"`
	ClusterID int64  `json:"cluster_id"`
}

// Data is what evaluating reads of a database.
type Data struct {
	ids       []int64
	refs      map[int64]string
	byRef     map[string]int64
	cluster   map[int64]int64 // stored cluster of every article
	length    map[int64]int
	from      map[int64]from // where the articles with a source came from
	verified  []dedupe.Verified
	byArticle map[int64][]int // indexes into verified
}

// from is an article's origin (dedupe.OriginOf).
type from struct {
	source, url string
	published   time.Time
}

// origin says what the origins of articles a and b are.
func (d *Data) origin(a, b int64) dedupe.Origin {
	fa, fb := d.from[a], d.from[b]
	return dedupe.OriginOf(fa.source, fa.url, fa.published, fb.source, fb.url, fb.published)
}

// Load reads the articles, their clusters and the verified pairs of db.
func Load(ctx context.Context, db *store.DB) (*Data, error) {
	d := &Data{refs: map[int64]string{}, byRef: map[string]int64{}, cluster: map[int64]int64{}, length: map[int64]int{}, from: map[int64]from{}}
	err := db.EachPlaced(ctx, func(p store.Placed) error {
		d.ids = append(d.ids, p.ID)
		d.refs[p.ID] = p.Ref
		if _, dup := d.byRef[p.Ref]; !dup {
			d.byRef[p.Ref] = p.ID // the first article of a ref stands for it
		}
		d.cluster[p.ID] = p.ClusterID
		d.length[p.ID] = p.Length
		if p.Source != "" {
			t, _ := time.Parse(time.RFC3339, p.Published)
			d.from[p.ID] = from{source: p.Source, url: p.URL, published: t}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.byArticle = map[int64][]int{}
	err = db.EachVerified(ctx, func(v dedupe.Verified) error {
		d.byArticle[v.A] = append(d.byArticle[v.A], len(d.verified))
		d.byArticle[v.B] = append(d.byArticle[v.B], len(d.verified))
		d.verified = append(d.verified, v)
		return nil
	})
	return d, err
}

// truth returns the true cluster of every article in a true cluster of
// two or more (keyed by article, valued by its smallest member), and
// counts the labels.
func (d *Data) truth(ls Labels) (map[int64]int64, LabelCounts) {
	counts := LabelCounts{UnknownRefs: []string{}, Clusters: len(ls.Clusters)}
	unknown := map[string]bool{}
	id := func(ref string) (int64, bool) {
		i, ok := d.byRef[ref]
		if !ok && !unknown[ref] {
			unknown[ref] = true
			counts.UnknownRefs = append(counts.UnknownRefs, ref)
		}
		return i, ok
	}
	var links []dedupe.Pair
	for _, p := range ls.Pairs {
		switch p.Label {
		case Dup:
			counts.Dup++
		case Excerpt:
			counts.Excerpt++
		case Not:
			counts.Not++
			continue
		}
		a, okA := id(p.A)
		b, okB := id(p.B)
		if okA && okB && a != b {
			links = append(links, dedupe.Pair{A: min(a, b), B: max(a, b), Relation: dedupe.Near})
		}
	}
	for _, c := range ls.Clusters {
		var first int64
		for _, ref := range c {
			if i, ok := id(ref); ok {
				if first == 0 {
					first = i
				} else if i != first {
					links = append(links, dedupe.Pair{A: min(first, i), B: max(first, i), Relation: dedupe.Near})
				}
			}
		}
	}
	slices.Sort(counts.UnknownRefs)
	return groupsOf(links), counts
}

// groupsOf returns the cluster of every article that links join.
func groupsOf(links []dedupe.Pair) map[int64]int64 {
	groups, _ := dedupe.Join(links, func(id int64) int64 { return id }, nil)
	out := map[int64]int64{}
	for _, g := range groups {
		for _, id := range g {
			out[id] = g[0]
		}
	}
	return out
}

// Options say how much Evaluate reports.
type Options struct {
	Errors int // of each kind, the worst first
	// Params name the relation of a link in the errors: the database's.
	Params dedupe.Params
}

// Evaluate scores the stored clusters against the labels.
func (d *Data) Evaluate(ls Labels, opts Options) Report {
	truth, counts := d.truth(ls)
	pred := map[int64]int64{}
	for id, c := range d.cluster {
		pred[id] = c
	}
	return d.report(pred, truth, counts, ls, opts)
}

func (d *Data) report(pred, truth map[int64]int64, counts LabelCounts, ls Labels, opts Options) Report {
	r := Report{Articles: len(d.ids), Labels: counts, Merged: []Merged{}, Split: []Split{}, NotViolated: []Pair2{}}
	r.Scores = dedupe.Score(pred, truth)
	r.TrueClusters = countGroups(truth)
	r.PredictedClusters = countGroups(pred)
	trueOf := func(id int64) int64 {
		if t, ok := truth[id]; ok {
			return t
		}
		return -id // a singleton of its own
	}
	predOf := func(id int64) int64 {
		if p, ok := pred[id]; ok {
			return p
		}
		return -id
	}
	// Members of each predicted and each true cluster.
	byPred, byTrue := map[int64][]int64{}, map[int64][]int64{}
	for _, id := range d.ids {
		byPred[predOf(id)] = append(byPred[predOf(id)], id)
		byTrue[trueOf(id)] = append(byTrue[trueOf(id)], id)
	}
	for p, members := range byPred {
		if len(members) < 2 {
			continue
		}
		parts := map[int64][]int64{}
		for _, id := range members {
			parts[trueOf(id)] = append(parts[trueOf(id)], id)
		}
		if len(parts) < 2 {
			continue
		}
		m := Merged{ClusterID: p, Size: len(members)}
		var sizes []int64
		for _, ids := range sortedParts(parts) {
			m.Parts = append(m.Parts, d.refsOf(ids))
			sizes = append(sizes, int64(len(ids)))
		}
		m.WrongPairs = crossPairs(sizes)
		m.Link = d.bestAcross(members, trueOf, opts.Params)
		r.Merged = append(r.Merged, m)
	}
	for _, members := range byTrue {
		if len(members) < 2 {
			continue
		}
		parts := map[int64][]int64{}
		for _, id := range members {
			parts[predOf(id)] = append(parts[predOf(id)], id)
		}
		if len(parts) < 2 {
			continue
		}
		s := Split{Refs: d.refsOf(members)}
		var sizes []int64
		for _, ids := range sortedParts(parts) {
			s.Parts = append(s.Parts, d.refsOf(ids))
			s.ClusterIDs = append(s.ClusterIDs, max(predOf(ids[0]), 0))
			sizes = append(sizes, int64(len(ids)))
		}
		s.MissedPairs = crossPairs(sizes)
		s.BestEvidence = d.bestAcross(members, predOf, opts.Params)
		r.Split = append(r.Split, s)
	}
	for _, p := range ls.Pairs {
		if p.Label != Not {
			continue
		}
		a, okA := d.byRef[p.A]
		b, okB := d.byRef[p.B]
		if okA && okB && predOf(a) == predOf(b) {
			r.NotViolated = append(r.NotViolated, Pair2{A: p.A, B: p.B, ClusterID: predOf(a)})
		}
	}
	slices.SortFunc(r.Merged, func(x, y Merged) int {
		return cmp.Or(cmp.Compare(y.WrongPairs, x.WrongPairs), cmp.Compare(x.ClusterID, y.ClusterID))
	})
	slices.SortFunc(r.Split, func(x, y Split) int {
		return cmp.Or(cmp.Compare(y.MissedPairs, x.MissedPairs), cmp.Compare(x.Refs[0], y.Refs[0]))
	})
	slices.SortFunc(r.NotViolated, func(x, y Pair2) int { return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B)) })
	if opts.Errors >= 0 {
		r.Merged = r.Merged[:min(len(r.Merged), opts.Errors)]
		r.Split = r.Split[:min(len(r.Split), opts.Errors)]
		r.NotViolated = r.NotViolated[:min(len(r.NotViolated), opts.Errors)]
	}
	return r
}

// bestAcross returns the strongest verified pair among members whose two
// articles are in different groups, or nil.
func (d *Data) bestAcross(members []int64, groupOf func(int64) int64, p dedupe.Params) *Link {
	in := make(map[int64]bool, len(members))
	for _, id := range members {
		in[id] = true
	}
	var top *dedupe.Verified
	for _, id := range members {
		for _, i := range d.byArticle[id] {
			v := &d.verified[i]
			if v.A != id || !in[v.B] || groupOf(v.A) == groupOf(v.B) {
				continue // each pair once, from its first article
			}
			if top == nil || stronger(*v, *top) {
				top = v
			}
		}
	}
	if top == nil {
		return nil
	}
	l := &Link{A: d.refs[top.A], B: d.refs[top.B], Jaccard: round3(top.Jaccard), Containment: round3(top.Containment)}
	if top.Same {
		l.Relation = string(dedupe.Exact)
	} else if rel, ok := p.ClassifyOrigin(top.Jaccard, top.Containment, top.Shorter, top.Longer, d.origin(top.A, top.B)); ok {
		l.Relation = string(rel)
	}
	return l
}

// stronger orders evidence: the same text first, then by the larger of
// the two scores.
func stronger(a, b dedupe.Verified) bool {
	if a.Same != b.Same {
		return a.Same
	}
	return max(a.Jaccard, a.Containment) > max(b.Jaccard, b.Containment)
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// crossPairs counts the pairs of articles in different parts.
func crossPairs(sizes []int64) int64 {
	var total, sq int64
	for _, s := range sizes {
		total += s
		sq += s * s
	}
	return (total*total - sq) / 2
}

// countGroups counts the clusters of two or more in a clustering.
func countGroups(c map[int64]int64) int {
	size := map[int64]int{}
	for _, g := range c {
		size[g]++
	}
	n := 0
	for _, k := range size {
		if k > 1 {
			n++
		}
	}
	return n
}

// sortedParts returns the parts' members, largest part first, then by
// smallest id.
func sortedParts(parts map[int64][]int64) [][]int64 {
	var out [][]int64
	for _, ids := range parts {
		slices.Sort(ids)
		out = append(out, ids)
	}
	slices.SortFunc(out, func(a, b []int64) int { return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a[0], b[0])) })
	return out
}

func (d *Data) refsOf(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = d.refs[id]
	}
	return out
}
