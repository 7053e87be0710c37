package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// Read-only queries for the web UI: a filtered page of clusters, the
// verified pairs of an article, and histograms of pair similarities.

// ClusterFilter selects a page of clusters.
type ClusterFilter struct {
	MinSize int
	// Source, when set, keeps clusters with a member from that source.
	Source string
	// Relation, when set, keeps clusters with a variant of that relation.
	Relation string
	Offset   int
	Limit    int // 0 means no limit
}

// clusterWhere selects the clusters of a ClusterFilter: its parameters
// are ?1 MinSize, ?2 Source and ?3 Relation.
const clusterWhere = `WHERE c.size >= ?1
		AND (?2 = '' OR EXISTS (SELECT 1 FROM articles m WHERE m.cluster_id = c.id AND m.source = ?2))
		AND (?3 = '' OR EXISTS (SELECT 1 FROM variants v WHERE v.cluster_id = c.id AND v.relation = ?3))`

// ClusterPage returns the clusters that f selects, largest first, then by
// id, and how many clusters it selects in all.
func (db *DB) ClusterPage(ctx context.Context, f ClusterFilter) ([]Cluster, int, error) {
	out, total, err := db.selectClusters(ctx, f, "", `c.size DESC, c.id`)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		if out[i].Size > 1 {
			if out[i].Variants, err = db.variants(ctx, out[i].ID); err != nil {
				return nil, 0, err
			}
		}
	}
	return out, total, nil
}

// selectClusters returns the clusters f selects, without their variants,
// in order (an ORDER BY over clusters c, the canonical a and what join
// adds), and how many f selects in all. join and order are constants of
// this package, never input.
func (db *DB) selectClusters(ctx context.Context, f ClusterFilter, join, order string) ([]Cluster, int, error) {
	var total int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM clusters c `+clusterWhere, f.MinSize, f.Source, f.Relation).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("clusters: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := db.db.QueryContext(ctx, `SELECT c.id, c.size, a.id, a.ref, a.title
		FROM clusters c JOIN articles a ON a.id = c.canonical_id `+join+`
		`+clusterWhere+` ORDER BY `+order+` LIMIT ?4 OFFSET ?5`, f.MinSize, f.Source, f.Relation, limit, max(f.Offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("clusters: %w", err)
	}
	defer rows.Close()
	var out []Cluster
	for rows.Next() {
		var c Cluster
		if err := rows.Scan(&c.ID, &c.Size, &c.Canonical.ID, &c.Canonical.Ref, &c.Canonical.Title); err != nil {
			return nil, 0, fmt.Errorf("clusters: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("clusters: %w", err)
	}
	return out, total, nil
}

// Sources returns the distinct sources of the stored articles, sorted; the
// empty source is left out.
func (db *DB) Sources(ctx context.Context) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT DISTINCT source FROM articles WHERE source != '' ORDER BY source`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Link is a verified pair seen from one of its articles.
type Link struct {
	Other       ArticleRef
	Relation    string
	Jaccard     float64
	Containment float64
	ImportID    int64
}

// LinksOf returns the verified pairs that article id belongs to, by the
// other article's id.
func (db *DB) LinksOf(ctx context.Context, id int64) ([]Link, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT o.id, o.ref, o.title, l.relation, l.jaccard, l.containment, l.import_id
		FROM (SELECT b AS other, relation, jaccard, containment, import_id FROM links WHERE a = ?1
		      UNION ALL
		      SELECT a, relation, jaccard, containment, import_id FROM links WHERE b = ?1) l
		JOIN articles o ON o.id = l.other ORDER BY o.id`, id)
	if err != nil {
		return nil, fmt.Errorf("links of %d: %w", id, err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		if err := rows.Scan(&l.Other.ID, &l.Other.Ref, &l.Other.Title, &l.Relation, &l.Jaccard, &l.Containment, &l.ImportID); err != nil {
			return nil, fmt.Errorf("links of %d: %w", id, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Histogram counts pair similarities in equal buckets over [0, 1]: bucket
// i holds scores in [i/n, (i+1)/n), and the last bucket holds 1 too.
type Histogram struct {
	Buckets int
	// Of the verified pairs in the links table.
	Links           int
	LinkJaccard     []int
	LinkContainment []int
	// Of each variant against its cluster's canonical.
	Variants           int
	VariantJaccard     []int
	VariantContainment []int
	// Of every candidate pair the imports verified, duplicates or not,
	// as the imports counted them (ScoreCounts), and of the exact copies,
	// which are matched by the hash of their text and never scored as
	// candidates: ExactPairs of the Candidates are the exact links. Without
	// them the candidates were fewer than the verified pairs they include.
	Candidates           int
	ExactPairs           int
	CandidateJaccard     []int
	CandidateContainment []int
}

// ScoreBuckets is how finely an import counts candidate scores; a
// histogram of n buckets adds them up, so n should divide it.
const ScoreBuckets = 100

// ScoreCounts counts pair scores in ScoreBuckets buckets over [0, 1], for
// an import's record. Unlike the links table, it counts the pairs that were
// rejected too.
type ScoreCounts struct {
	Total       int   `json:"total"`
	Jaccard     []int `json:"jaccard"`
	Containment []int `json:"containment"`
}

// NewScoreCounts returns empty counts.
func NewScoreCounts() *ScoreCounts {
	return &ScoreCounts{Jaccard: make([]int, ScoreBuckets), Containment: make([]int, ScoreBuckets)}
}

// Add counts one pair.
func (sc *ScoreCounts) Add(jaccard, containment float64) {
	sc.Total++
	sc.Jaccard[bucket(jaccard, ScoreBuckets)]++
	sc.Containment[bucket(containment, ScoreBuckets)]++
}

// bucket returns the bucket of x in n buckets over [0, 1]; 1 goes in the
// last.
func bucket(x float64, n int) int {
	return min(max(int(x*float64(n)+1e-9), 0), n-1)
}

// SimilarityHistogram returns the histograms of Jaccard and containment of
// the verified pairs and of the variants, in n buckets.
func (db *DB) SimilarityHistogram(ctx context.Context, n int) (Histogram, error) {
	if n < 1 {
		return Histogram{}, fmt.Errorf("histogram: %d buckets", n)
	}
	h := Histogram{Buckets: n}
	for _, q := range []struct {
		table, column string
		dst           *[]int
		total         *int
	}{
		{"links", "jaccard", &h.LinkJaccard, &h.Links},
		{"links", "containment", &h.LinkContainment, nil},
		{"variants", "jaccard", &h.VariantJaccard, &h.Variants},
		{"variants", "containment", &h.VariantContainment, nil},
	} {
		counts := make([]int, n)
		// The names are constants above, never input.
		rows, err := db.db.QueryContext(ctx, `SELECT MAX(0, MIN(CAST(`+q.column+` * ?1 + 1e-9 AS INTEGER), ?1 - 1)), COUNT(*)
			FROM `+q.table+` GROUP BY 1`, n)
		if err != nil {
			return h, fmt.Errorf("histogram: %w", err)
		}
		for rows.Next() {
			var b, c int
			if err := rows.Scan(&b, &c); err != nil {
				rows.Close()
				return h, fmt.Errorf("histogram: %w", err)
			}
			counts[b] = c
			if q.total != nil {
				*q.total += c
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return h, fmt.Errorf("histogram: %w", err)
		}
		*q.dst = counts
	}
	h.CandidateJaccard, h.CandidateContainment = make([]int, n), make([]int, n)
	rows, err := db.db.QueryContext(ctx, `SELECT json_extract(counts, '$.candidates') FROM imports
		WHERE json_extract(counts, '$.candidates') IS NOT NULL`)
	if err != nil {
		return h, fmt.Errorf("histogram: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		var sc ScoreCounts
		if err := rows.Scan(&raw); err != nil {
			return h, fmt.Errorf("histogram: %w", err)
		}
		if json.Unmarshal([]byte(raw), &sc) != nil || len(sc.Jaccard) != ScoreBuckets || len(sc.Containment) != ScoreBuckets {
			continue // a record this version does not read
		}
		h.Candidates += sc.Total
		for i := range ScoreBuckets {
			// The middle of fine bucket i decides its coarse bucket.
			b := bucket((float64(i)+0.5)/ScoreBuckets, n)
			h.CandidateJaccard[b] += sc.Jaccard[i]
			h.CandidateContainment[b] += sc.Containment[i]
		}
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("histogram: %w", err)
	}
	if h.Candidates == 0 {
		return h, nil // no import counted its candidates: the links stand in
	}
	exact, err := db.db.QueryContext(ctx, `SELECT MAX(0, MIN(CAST(jaccard * ?1 + 1e-9 AS INTEGER), ?1 - 1)),
		MAX(0, MIN(CAST(containment * ?1 + 1e-9 AS INTEGER), ?1 - 1)), COUNT(*)
		FROM links WHERE relation = 'exact' GROUP BY 1, 2`, n)
	if err != nil {
		return h, fmt.Errorf("histogram: %w", err)
	}
	defer exact.Close()
	for exact.Next() {
		var j, c, count int
		if err := exact.Scan(&j, &c, &count); err != nil {
			return h, fmt.Errorf("histogram: %w", err)
		}
		h.Candidates += count
		h.ExactPairs += count
		h.CandidateJaccard[j] += count
		h.CandidateContainment[c] += count
	}
	return h, exact.Err()
}
