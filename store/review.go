package store

import (
	"context"
	"fmt"

	"github.com/newsdedup/newsdedup/dedupe"
)

// Queries for a reviewer of clusters in the web UI: clusters ordered by
// their weakest link, with the sources and dates of their members.

// ClusterOrder is the order of a ClusterReview.
type ClusterOrder string

const (
	// ByWeakest puts first the clusters whose weakest link scores
	// lowest: the borderline ones, where a reviewer is most needed.
	// Clusters without variants come last.
	ByWeakest ClusterOrder = "weakest"
	// BySize puts the largest first, as ClusterPage does.
	BySize ClusterOrder = "size"
)

// Score is the score a variant's relation rests on: the Jaccard of a near
// duplicate, the containment of an excerpt, 1 for an exact copy.
func (v Variant) Score() float64 {
	switch v.Relation {
	case dedupe.Exact:
		return 1
	case dedupe.Excerpt:
		return v.Containment
	}
	return v.Jaccard
}

// scoreSQL is Variant.Score over a row of variants.
const scoreSQL = `CASE relation WHEN 'exact' THEN 1.0 WHEN 'excerpt' THEN containment ELSE jaccard END`

// ClusterSummary is a cluster of a review listing.
type ClusterSummary struct {
	Cluster
	// Weakest is the variant with the lowest Score (the smallest id of
	// those tied); nil for a cluster of one.
	Weakest *VariantView
	// Sources are the distinct non-empty sources of the members, sorted,
	// at most maxSummarySources; MoreSources counts the rest.
	Sources     []string
	MoreSources int
	// First and Last are the earliest and latest publication dates of
	// the members that have one, "" when none has.
	First, Last string
}

const maxSummarySources = 6

// ClusterReview returns the clusters f selects in the order o, and how
// many f selects in all.
func (db *DB) ClusterReview(ctx context.Context, f ClusterFilter, o ClusterOrder) ([]ClusterSummary, int, error) {
	order := `c.size DESC, c.id`
	if o == ByWeakest {
		order = `w.score IS NULL, w.score, c.size DESC, c.id`
	}
	cs, total, err := db.selectClusters(ctx, f,
		`LEFT JOIN (SELECT cluster_id, MIN(`+scoreSQL+`) AS score FROM variants GROUP BY cluster_id) w ON w.cluster_id = c.id`, order)
	if err != nil {
		return nil, 0, err
	}
	out := make([]ClusterSummary, len(cs))
	for i, c := range cs {
		out[i].Cluster = c
		if err := db.summarise(ctx, &out[i]); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// summarise fills in a summary's variants, weakest link, sources and
// dates.
func (db *DB) summarise(ctx context.Context, c *ClusterSummary) error {
	var err error
	if c.Size > 1 {
		if c.Variants, err = db.variants(ctx, c.ID); err != nil {
			return err
		}
	}
	for i := range c.Variants {
		if v := &c.Variants[i]; c.Weakest == nil || v.Score() < c.Weakest.Score() {
			c.Weakest = v
		}
	}
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MIN(published), ''), COALESCE(MAX(published), '')
		FROM articles WHERE cluster_id = ? AND published != ''`, c.ID).Scan(&c.First, &c.Last); err != nil {
		return fmt.Errorf("dates of cluster %d: %w", c.ID, err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT DISTINCT source FROM articles
		WHERE cluster_id = ? AND source != '' ORDER BY source`, c.ID)
	if err != nil {
		return fmt.Errorf("sources of cluster %d: %w", c.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("sources of cluster %d: %w", c.ID, err)
		}
		if len(c.Sources) < maxSummarySources {
			c.Sources = append(c.Sources, s)
		} else {
			c.MoreSources++
		}
	}
	return rows.Err()
}

// Hit markers: SearchHighlighted's snippets hold HitStart before each
// matched term and HitEnd after it. Cleaning removes control characters
// from the text, so neither occurs in a snippet otherwise.
const (
	HitStart = "\x02"
	HitEnd   = "\x03"
)

// SearchHighlighted is Search with the matched terms of each snippet
// between HitStart and HitEnd, for a caller to mark up (escaping the rest).
func (db *DB) SearchHighlighted(ctx context.Context, query string, limit, offset int) ([]SearchHit, error) {
	return db.search(ctx, query, limit, offset, HitStart, HitEnd)
}
