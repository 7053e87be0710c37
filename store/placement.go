package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/newsdedup/newsdedup/dedupe"
)

// LinksAmong returns the verified links of which at least one article is
// among ids, each once.
func (db *DB) LinksAmong(ctx context.Context, ids []int64) ([]dedupe.Pair, error) {
	seen := map[[2]int64]bool{}
	var out []dedupe.Pair
	scan := func(r *sql.Rows) error {
		var l dedupe.Pair
		if err := r.Scan(&l.A, &l.B, &l.Relation, &l.Jaccard, &l.Containment); err != nil {
			return err
		}
		if k := [2]int64{l.A, l.B}; !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
		return nil
	}
	for _, q := range []string{
		`SELECT a, b, relation, jaccard, containment FROM links WHERE a IN (%s)`,
		`SELECT a, b, relation, jaccard, containment FROM links WHERE b IN (%s)`,
	} {
		if err := inChunks(ctx, db, q, ids, scan); err != nil {
			return nil, fmt.Errorf("links: %w", err)
		}
	}
	return out, nil
}

// Joins returns the pairs of articles a person's merge joined of which at
// least one is among ids.
func (db *DB) Joins(ctx context.Context, ids []int64) ([][2]int64, error) {
	seen := map[[2]int64]bool{}
	var out [][2]int64
	scan := func(r *sql.Rows) error {
		var p [2]int64
		if err := r.Scan(&p[0], &p[1]); err != nil {
			return err
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
		return nil
	}
	for _, q := range []string{`SELECT a, b FROM joins WHERE a IN (%s)`, `SELECT a, b FROM joins WHERE b IN (%s)`} {
		if err := inChunks(ctx, db, q, ids, scan); err != nil {
			return nil, fmt.Errorf("joins: %w", err)
		}
	}
	return out, nil
}

// PinsOf returns the pins of those of ids that are pinned.
func (db *DB) PinsOf(ctx context.Context, ids []int64) ([]dedupe.Pin, error) {
	var out []dedupe.Pin
	err := inChunks(ctx, db, `SELECT article_id, decision_id FROM pinned WHERE article_id IN (%s)`, ids, func(r *sql.Rows) error {
		var p dedupe.Pin
		err := r.Scan(&p.ID, &p.Decision)
		out = append(out, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pins: %w", err)
	}
	return out, nil
}
