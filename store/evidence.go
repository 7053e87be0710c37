package store

import (
	"context"
	"fmt"
	"math"

	"github.com/newsdedup/newsdedup/dedupe"
)

// Placed is an article with the cluster it is in.
type Placed struct {
	ID        int64
	Ref       string
	ClusterID int64
	Length    int // runes of cleaned text
	// Where it came from (dedupe.OriginOf); Published is RFC 3339 or "".
	Source, URL, Published string
}

// EachPlaced calls fn for every article, in id order, with its cluster.
func (db *DB) EachPlaced(ctx context.Context, fn func(Placed) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT id, ref, cluster_id, length, source, url, published FROM articles ORDER BY id`)
	if err != nil {
		return fmt.Errorf("articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p Placed
		if err := rows.Scan(&p.ID, &p.Ref, &p.ClusterID, &p.Length, &p.Source, &p.URL, &p.Published); err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachVerified calls fn for every verified pair the imports kept: the
// candidates (duplicates or not, above dedupe.CandidateFloor) and the
// links found by content hash. A link of an import made before
// candidates were kept has no shingle count: it counts as long enough to
// be an excerpt.
func (db *DB) EachVerified(ctx context.Context, fn func(dedupe.Verified) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT a, b, jaccard, containment, shorter, longer, 0, set_aside FROM candidates
		UNION ALL
		SELECT l.a, l.b, l.jaccard, l.containment, -1, 0, l.relation = 'exact' AND l.jaccard = 1, ''
		FROM links l LEFT JOIN candidates c ON c.a = l.a AND c.b = l.b WHERE c.a IS NULL`)
	if err != nil {
		return fmt.Errorf("verified pairs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v dedupe.Verified
		if err := rows.Scan(&v.A, &v.B, &v.Jaccard, &v.Containment, &v.Shorter, &v.Longer, &v.Same, &v.SetAside); err != nil {
			return fmt.Errorf("verified pairs: %w", err)
		}
		if v.Shorter < 0 {
			v.Shorter = math.MaxInt32
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}
