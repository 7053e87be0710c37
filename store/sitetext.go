package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/newsdedup/newsdedup/dedupe"
)

// SiteText returns the site text the last import learned.
func (db *DB) SiteText(ctx context.Context) (dedupe.SiteText, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT source, hash FROM site_text`)
	if err != nil {
		return nil, fmt.Errorf("site text: %w", err)
	}
	defer rows.Close()
	out := dedupe.SiteText{}
	for rows.Next() {
		var src string
		var h int64
		if err := rows.Scan(&src, &h); err != nil {
			return nil, fmt.Errorf("site text: %w", err)
		}
		if out[src] == nil {
			out[src] = map[uint64]bool{}
		}
		out[src][uint64(h)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("site text: %w", err)
	}
	return out, nil
}

// Holding is what learning site text reads of an article besides its
// passages.
type Holding struct {
	Source    string
	ClusterID int64
	Published string // RFC 3339, "" when unknown
}

// Holdings returns the source, cluster and publication date of the
// given articles, keyed by id.
func (db *DB) Holdings(ctx context.Context, ids []int64) (map[int64]Holding, error) {
	out := make(map[int64]Holding, len(ids))
	err := inChunks(ctx, db, `SELECT id, source, cluster_id, published FROM articles WHERE id IN (%s)`, ids, func(r *sql.Rows) error {
		var id int64
		var h Holding
		err := r.Scan(&id, &h.Source, &h.ClusterID, &h.Published)
		out[id] = h
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("holdings: %w", err)
	}
	return out, nil
}

// CandidatesTouching returns the verified candidate pairs of which at
// least one article is among ids, each once.
func (db *DB) CandidatesTouching(ctx context.Context, ids []int64) ([]Candidate, error) {
	seen := map[[2]int64]bool{}
	var out []Candidate
	scan := func(r *sql.Rows) error {
		var c Candidate
		if err := r.Scan(&c.A, &c.B, &c.Jaccard, &c.Containment, &c.Shorter, &c.Longer, &c.SetAside); err != nil {
			return err
		}
		if k := [2]int64{c.A, c.B}; !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
		return nil
	}
	if len(ids) > scanAllAbove {
		// Candidates are found by b without an index: past a few chunks,
		// one scan of the table costs less than a scan per chunk.
		want := make(map[int64]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
		rows, err := db.db.QueryContext(ctx, `SELECT a, b, jaccard, containment, shorter, longer, set_aside FROM candidates`)
		if err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c Candidate
			if err := rows.Scan(&c.A, &c.B, &c.Jaccard, &c.Containment, &c.Shorter, &c.Longer, &c.SetAside); err != nil {
				return nil, fmt.Errorf("candidates: %w", err)
			}
			if want[c.A] || want[c.B] {
				out = append(out, c)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		return out, nil
	}
	for _, q := range []string{
		`SELECT a, b, jaccard, containment, shorter, longer, set_aside FROM candidates WHERE a IN (%s)`,
		`SELECT a, b, jaccard, containment, shorter, longer, set_aside FROM candidates WHERE b IN (%s)`,
	} {
		if err := inChunks(ctx, db, q, ids, scan); err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
	}
	return out, nil
}

// scanAllAbove is how many ids CandidatesTouching looks up by chunks
// before it reads the whole table instead.
var scanAllAbove = 4 * chunk // a variable for tests

// writeSiteText replaces the stored site text with st in tx.
func writeSiteText(ctx context.Context, tx *sql.Tx, st dedupe.SiteText) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM site_text`); err != nil {
		return err
	}
	var rows [][]any
	for src, set := range st {
		for h := range set {
			rows = append(rows, []any{src, int64(h)})
		}
	}
	return insertRows(ctx, tx, `INSERT INTO site_text (source, hash) VALUES `, rows)
}

// replacePairs deletes the candidate and link rows of pairs in tx, which
// the batch then writes anew: their scores were computed again.
func replacePairs(ctx context.Context, tx *sql.Tx, pairs [][2]int64) error {
	for _, q := range []string{`DELETE FROM candidates WHERE a = ? AND b = ?`, `DELETE FROM links WHERE a = ? AND b = ?`} {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		for _, p := range pairs {
			if _, err := st.ExecContext(ctx, p[0], p[1]); err != nil {
				st.Close()
				return err
			}
		}
		st.Close()
	}
	return nil
}

// SiteTextOf returns the site text learned for source.
func (db *DB) SiteTextOf(ctx context.Context, source string) (map[uint64]bool, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT hash FROM site_text WHERE source = ?`, source)
	if err != nil {
		return nil, fmt.Errorf("site text: %w", err)
	}
	defer rows.Close()
	out := map[uint64]bool{}
	for rows.Next() {
		var h int64
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("site text: %w", err)
		}
		out[uint64(h)] = true
	}
	return out, rows.Err()
}

// SetAsideOf returns the verified pairs of article id that the date rules
// set aside, with why.
func (db *DB) SetAsideOf(ctx context.Context, id int64) ([]Candidate, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT a, b, jaccard, containment, shorter, longer, set_aside FROM candidates
		WHERE (a = ? OR b = ?) AND set_aside != '' ORDER BY a, b`, id, id)
	if err != nil {
		return nil, fmt.Errorf("set aside: %w", err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var c Candidate
		if err := rows.Scan(&c.A, &c.B, &c.Jaccard, &c.Containment, &c.Shorter, &c.Longer, &c.SetAside); err != nil {
			return nil, fmt.Errorf("set aside: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// EarliestCopies returns, for each of ids that has a publication date or
// exact copies with one, the earliest publication date (RFC 3339) among
// it and its exact copies (the same cleaned text): the date rules judge a
// text published again by its first publication.
func (db *DB) EarliestCopies(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	err := inChunks(ctx, db, `SELECT a.id, MIN(c.published) FROM articles a JOIN articles c ON c.content_hash = a.content_hash
		WHERE a.id IN (%s) AND c.published != '' GROUP BY a.id`, ids, func(r *sql.Rows) error {
		var id int64
		var p string
		err := r.Scan(&id, &p)
		out[id] = p
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("earliest copies: %w", err)
	}
	return out, nil
}
