// Package output defines the JSON shapes newsdedup prints: the objects of
// every --json output and of the web UI's /api/ answers, which are the
// same objects. Each shape is defined here once, from the store's types,
// so that the CLI and the API cannot drift apart; the golden files of
// cmd/newsdedup pin them byte for byte.
//
// Conventions: keys are snake_case; a list is [] when empty, never null;
// null stands for a value that is not known (the thresholds of a database
// without imports). Scores are rounded to three decimals (Round3).
package output

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// Round3 keeps scores readable; three decimals are more than the
// thresholds need.
func Round3(x float64) float64 {
	return float64(int64(x*1000+0.5)) / 1000
}

// Encode writes v as one line of JSON, as every --json output does.
func Encode(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// Ref names an article in a listing.
type Ref struct {
	ID    int64  `json:"id"`
	Ref   string `json:"ref"`
	Title string `json:"title"`
}

// Variant is a non-canonical member of a cluster, scored against the
// canonical. Via is the member it was matched with when that is not the
// canonical; it is left out otherwise.
type Variant struct {
	ID          int64   `json:"id"`
	Ref         string  `json:"ref"`
	Relation    string  `json:"relation"`
	Jaccard     float64 `json:"jaccard"`
	Containment float64 `json:"containment"`
	Via         int64   `json:"via,omitempty"`
}

// Cluster is a line of clusters --json and an element of /api/clusters.
type Cluster struct {
	ID        int64     `json:"id"`
	Size      int       `json:"size"`
	Canonical Ref       `json:"canonical"`
	Variants  []Variant `json:"variants"`
}

// NewCluster returns the shape of cl.
func NewCluster(cl store.Cluster) Cluster {
	c := Cluster{ID: cl.ID, Size: cl.Size, Variants: make([]Variant, 0, len(cl.Variants)),
		Canonical: Ref{ID: cl.Canonical.ID, Ref: cl.Canonical.Ref, Title: cl.Canonical.Title}}
	for _, v := range cl.Variants {
		c.Variants = append(c.Variants, Variant{ID: v.ID, Ref: v.Ref, Relation: string(v.Relation),
			Jaccard: Round3(v.Jaccard), Containment: Round3(v.Containment), Via: v.Via})
	}
	return c
}

// Article is what show --json prints and /api/articles/ID answers.
type Article struct {
	ID          int64   `json:"id"`
	Ref         string  `json:"ref"`
	Source      string  `json:"source"`
	Title       string  `json:"title"`
	URL         string  `json:"url"`
	Published   string  `json:"published"`
	Raw         string  `json:"raw"`
	Text        string  `json:"text"`
	ClusterID   int64   `json:"cluster_id"`
	CanonicalID int64   `json:"canonical_id"`
	Relation    string  `json:"relation"`
	Jaccard     float64 `json:"jaccard"`
	Containment float64 `json:"containment"`
	Via         int64   `json:"via,omitempty"`
	// Shared are the longest passages the article shares with its
	// canonical, the evidence for its relation; empty for a canonical.
	Shared []Run `json:"shared"`
	// LeftOut are its paragraphs that matching leaves out: its source's
	// site text and its photo captions.
	LeftOut []LeftOut `json:"left_out"`
	// SetAside are its verified pairs that the date rules keep apart.
	SetAside []SetAside `json:"set_aside"`
}

// LeftOut is a paragraph left out of matching, and why: "site text" or
// "caption".
type LeftOut struct {
	Why  string `json:"why"`
	Text string `json:"text"`
}

// Aside returns what matching left aside of a: the paragraphs left out of
// its shingles, and its verified pairs the date rules keep apart.
func Aside(ctx context.Context, db *store.DB, a store.ArticleView) ([]LeftOut, []SetAside, error) {
	site, err := db.SiteTextOf(ctx, a.Source)
	if err != nil {
		return nil, nil, err
	}
	left := []LeftOut{}
	for _, l := range dedupe.LeftOutOf(a.Text, site) {
		left = append(left, LeftOut{Why: l.Why, Text: l.Text})
	}
	pairs, err := db.SetAsideOf(ctx, a.ID)
	if err != nil {
		return nil, nil, err
	}
	aside := []SetAside{}
	for _, c := range pairs {
		aside = append(aside, SetAside{With: c.A + c.B - a.ID, Jaccard: Round3(c.Jaccard), Containment: Round3(c.Containment), Why: c.SetAside})
	}
	return left, aside, nil
}

// SetAside is a verified pair that is no duplicate for its dates, though
// its scores say so.
type SetAside struct {
	With        int64   `json:"with"`
	Jaccard     float64 `json:"jaccard"`
	Containment float64 `json:"containment"`
	Why         string  `json:"why"`
}

// Run is a shared passage: where it starts in the article and in the
// canonical (word positions, from 0), its length and its text as it reads
// in the article.
type Run struct {
	Words int    `json:"words"`
	At    int    `json:"at"`
	AtCan int    `json:"canonical_at"`
	Text  string `json:"text"`
}

// Shared passages shown: at most SharedRuns, of SharedMinWords words or
// more (shorter runs are common phrases, not evidence of copying).
const (
	SharedRuns     = 5
	SharedMinWords = 8
)

// NewArticle returns the shape of a, with the passages it shares with its
// canonical, and how many such passages there are in all (the shape holds
// the SharedRuns longest).
func NewArticle(ctx context.Context, db *store.DB, a store.ArticleView) (Article, int, error) {
	shared := []Run{}
	total := 0
	if a.CanonicalID != a.ID {
		canon, err := db.ArticleByID(ctx, a.CanonicalID)
		if err != nil {
			return Article{}, 0, fmt.Errorf("canonical of %d: %w", a.ID, err)
		}
		runs := dedupe.SharedRuns(a.Text, canon.Text, SharedMinWords)
		for _, r := range runs[:min(len(runs), SharedRuns)] {
			shared = append(shared, Run{Words: r.Words, At: r.A, AtCan: r.B, Text: r.Text(a.Text)})
		}
		total = len(runs)
	}
	left, aside, err := Aside(ctx, db, a)
	if err != nil {
		return Article{}, 0, err
	}
	return Article{
		LeftOut: left, SetAside: aside,
		ID: a.ID, Ref: a.Ref, Source: a.Source, Title: a.Title, URL: a.URL, Published: a.Published,
		Raw: a.Raw, Text: a.Text, ClusterID: a.ClusterID, CanonicalID: a.CanonicalID,
		Relation: a.Relation, Jaccard: Round3(a.Jaccard), Containment: Round3(a.Containment), Via: a.Via,
		Shared: shared,
	}, total, nil
}

// Source is a source's line of Stats.
type Source struct {
	Source     string `json:"source"`
	Articles   int    `json:"articles"`
	Duplicates int    `json:"duplicates"`
}

// Stats is what stats --json prints and /api/stats answers.
type Stats struct {
	Articles      int            `json:"articles"`
	Clusters      int            `json:"clusters"`
	MultiClusters int            `json:"duplicate_clusters"`
	Duplicates    int            `json:"duplicates"`
	DuplicateRate float64        `json:"duplicate_rate"`
	ByRelation    map[string]int `json:"by_relation"`
	BySource      []Source       `json:"by_source"`
	Imports       int            `json:"imports"`
	Rejections    int            `json:"rejections"`
}

// NewStats returns the shape of s.
func NewStats(s store.Stats) Stats {
	out := Stats{Articles: s.Articles, Clusters: s.Clusters, MultiClusters: s.MultiClusters,
		Duplicates: s.Duplicates, DuplicateRate: Round3(s.DuplicateRate()), ByRelation: s.ByRelation,
		BySource: make([]Source, 0, len(s.BySource)), Imports: s.Imports, Rejections: s.Rejections}
	if out.ByRelation == nil {
		out.ByRelation = map[string]int{}
	}
	for _, src := range s.BySource {
		out.BySource = append(out.BySource, Source(src))
	}
	return out
}

// SearchHit is a line of search --json and an element of /api/search.
type SearchHit struct {
	ID          int64   `json:"id"`
	Ref         string  `json:"ref"`
	Title       string  `json:"title"`
	Source      string  `json:"source"`
	Published   string  `json:"published"`
	ClusterID   int64   `json:"cluster_id"`
	ClusterSize int     `json:"cluster_size"`
	CanonicalID int64   `json:"canonical_id"`
	Snippet     string  `json:"snippet"`
	Rank        float64 `json:"rank"`
}

// NewSearchHits returns the shapes of hits, [] for none.
func NewSearchHits(hits []store.SearchHit) []SearchHit {
	out := make([]SearchHit, 0, len(hits))
	for _, h := range hits {
		out = append(out, SearchHit(h))
	}
	return out
}

// ClusterState is a cluster as a decision left it.
type ClusterState struct {
	ID          int64 `json:"id"`
	CanonicalID int64 `json:"canonical_id"`
	Size        int   `json:"size"`
}

// Decision is what cluster split, cluster merge and canonical set print
// with --json, a line of decisions --json and an element of
// /api/decisions. OtherID, the second cluster of a merge, is left out for
// the other kinds.
type Decision struct {
	ID         int64          `json:"id"`
	At         string         `json:"at"`
	By         string         `json:"by"`
	Why        string         `json:"why"`
	Kind       string         `json:"kind"`
	ClusterID  int64          `json:"cluster_id"`
	OtherID    int64          `json:"other_id,omitempty"`
	ArticleIDs []int64        `json:"article_ids"`
	Clusters   []ClusterState `json:"clusters"`
}

// NewDecision returns the shape of d.
func NewDecision(d store.Decision) Decision {
	out := Decision{ID: d.ID, At: d.At, By: d.By, Why: d.Why, Kind: d.Kind,
		ClusterID: d.ClusterID, OtherID: d.OtherID, ArticleIDs: d.ArticleIDs,
		Clusters: make([]ClusterState, 0, len(d.Clusters))}
	if out.ArticleIDs == nil {
		out.ArticleIDs = []int64{}
	}
	for _, c := range d.Clusters {
		out.Clusters = append(out.Clusters, ClusterState(c))
	}
	return out
}

// NewDecisions returns the shapes of ds, [] for none.
func NewDecisions(ds []store.Decision) []Decision {
	out := make([]Decision, 0, len(ds))
	for _, d := range ds {
		out = append(out, NewDecision(d))
	}
	return out
}

// Histogram is /api/histogram: counts per bucket of width 1/buckets,
// bucket i holding scores in [i/buckets, (i+1)/buckets) and the last one
// 1 too. Thresholds is null for a database without imports.
type Histogram struct {
	Buckets    int         `json:"buckets"`
	Links      HistSeries  `json:"links"`
	Variants   HistSeries  `json:"variants"`
	Thresholds *Thresholds `json:"thresholds"`
}

// HistSeries is one series of a Histogram.
type HistSeries struct {
	Count       int   `json:"count"`
	Jaccard     []int `json:"jaccard"`
	Containment []int `json:"containment"`
}

// Thresholds are the near and excerpt thresholds of the latest import.
type Thresholds struct {
	NearJaccard        float64 `json:"near_jaccard"`
	ExcerptContainment float64 `json:"excerpt_containment"`
}

// NewHistogram returns the shape of h with the thresholds th (nil: not
// known).
func NewHistogram(h store.Histogram, th *Thresholds) Histogram {
	return Histogram{Buckets: h.Buckets,
		Links:      HistSeries{Count: h.Links, Jaccard: ints(h.LinkJaccard), Containment: ints(h.LinkContainment)},
		Variants:   HistSeries{Count: h.Variants, Jaccard: ints(h.VariantJaccard), Containment: ints(h.VariantContainment)},
		Thresholds: th}
}

func ints(xs []int) []int {
	if xs == nil {
		return []int{}
	}
	return xs
}

// Export is a line of export's jsonl: without --variants the canonicals
// and singletons, each with the refs of the duplicates it stands for;
// with --variants every article, with its canonical, relation and scores.
type Export struct {
	ID          int64    `json:"id"`
	Ref         string   `json:"ref"`
	Source      string   `json:"source"`
	Title       string   `json:"title"`
	URL         string   `json:"url"`
	Published   string   `json:"published"`
	Text        string   `json:"text"`
	ClusterID   int64    `json:"cluster_id"`
	Duplicates  []string `json:"duplicates"`
	CanonicalID int64    `json:"canonical_id,omitempty"`
	Relation    string   `json:"relation,omitempty"`
	Jaccard     *float64 `json:"jaccard,omitempty"`
	Containment *float64 `json:"containment,omitempty"`
}

// NewExport returns the shape of r; variants adds the canonical, relation
// and scores.
func NewExport(r store.ExportRow, variants bool) Export {
	e := Export{ID: r.ID, Ref: r.Ref, Source: r.Source, Title: r.Title, URL: r.URL, Published: r.Published,
		Text: r.Text, ClusterID: r.ClusterID, Duplicates: r.Duplicates}
	if e.Duplicates == nil {
		e.Duplicates = []string{}
	}
	if variants {
		j, ct := Round3(r.Jaccard), Round3(r.Containment)
		e.CanonicalID, e.Relation, e.Jaccard, e.Containment = r.CanonicalID, r.Relation, &j, &ct
	}
	return e
}

// Error is the body of an /api/ answer that is not a success.
type Error struct {
	Error string `json:"error"`
}
