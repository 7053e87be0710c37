package pipeline

import (
	"cmp"
	"context"
	"slices"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

// ProbeStore is what a probe reads of the database.
type ProbeStore interface {
	Store
	ArticleByID(ctx context.Context, id int64) (store.ArticleView, error)
}

// Match is a stored article that a probed text duplicates.
type Match struct {
	ID          int64
	Ref, Title  string
	ClusterID   int64
	Relation    dedupe.Relation
	Jaccard     float64
	Containment float64
}

// Probe finds the stored articles a text duplicates, as an import would
// match it, storing nothing.
type Probe struct {
	im *Importer
	db ProbeStore
}

// NewProbe returns a probe of db that cleans and matches with the given
// settings, normally the database's own (store.DB.Settings).
func NewProbe(ctx context.Context, db ProbeStore, p dedupe.Params, rules *ingest.Rules) (*Probe, error) {
	im := New(db, Options{Params: p, Rules: rules})
	if err := im.loadMatcher(ctx); err != nil {
		return nil, err
	}
	im.m.Scored = nil // a probe keeps no evidence
	return &Probe{im: im, db: db}, nil
}

// Similar returns the stored articles that a's text duplicates, the
// strongest first. A text with no words after cleaning matches nothing.
func (pr *Probe) Similar(ctx context.Context, a ingest.Article) ([]Match, error) {
	p := pr.im.prepare(0, ingest.Item{Ref: a.Ref, Format: ingest.FormatText, Data: []byte(a.Raw)})
	if p.reject != nil {
		return nil, nil
	}
	// The text was parsed again without its record: its source's site
	// text is left out here, as the import would.
	if d := drop(pr.im.st.known, a.Source, p.passages); d != nil {
		if s := dedupe.ShinglesWithout(p.clean, pr.im.params.ShingleSize, d); s != nil {
			p.shingles = s
		}
	}
	exact, err := pr.db.FirstByContentHash(ctx, []string{p.hash})
	if err != nil {
		return nil, err
	}
	pairs, err := pr.im.m.Probe(dedupe.Doc{ID: -1, Shingles: p.shingles, Sig: p.sig, Passages: p.passages})
	if err != nil {
		return nil, err
	}
	if id, ok := exact[p.hash]; ok {
		pairs = append(pairs, dedupe.Pair{A: id, Relation: dedupe.Exact, Jaccard: 1, Containment: 1})
	}
	var out []Match
	seen := map[int64]bool{}
	for _, pair := range pairs {
		if seen[pair.A] {
			continue
		}
		seen[pair.A] = true
		sa, err := pr.db.ArticleByID(ctx, pair.A)
		if err != nil {
			return nil, err
		}
		rel := pair.Relation
		if sa.ContentHash == p.hash {
			rel = dedupe.Exact
		}
		out = append(out, Match{ID: sa.ID, Ref: sa.Ref, Title: sa.Title, ClusterID: sa.ClusterID,
			Relation: rel, Jaccard: pair.Jaccard, Containment: pair.Containment})
	}
	slices.SortFunc(out, func(x, y Match) int {
		return cmp.Or(cmp.Compare(round3(y.Jaccard), round3(x.Jaccard)), cmp.Compare(x.ID, y.ID))
	})
	return out, nil
}

// round3 is the precision matches are shown at, and so sorted by.
func round3(x float64) float64 {
	return float64(int64(x*1000+0.5)) / 1000
}
