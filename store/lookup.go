package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/newsdedup/newsdedup/dedupe"
)

// chunk is how many values one IN (...) list takes. Shorter lists are
// padded to smallChunk or chunk values, so that only two statements per
// query are ever prepared, and they are prepared once.
const (
	chunk      = 500
	smallChunk = 16
)

// inChunks runs query, whose "%s" is replaced by placeholders, over vals in
// chunks, calling scan for each row.
func inChunks[T any](ctx context.Context, db *DB, query string, vals []T, scan func(*sql.Rows) error) error {
	for len(vals) > 0 {
		n := min(chunk, len(vals))
		size := chunk
		if n <= smallChunk {
			size = smallChunk
		}
		args := make([]any, size)
		for i := range args {
			args[i] = vals[min(i, n-1)] // padding repeats a value: IN ignores it
		}
		vals = vals[n:]
		st, err := db.stmt(ctx, fmt.Sprintf(query, placeholders(size)))
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// stmt returns the prepared statement for query, preparing it on first use.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if st, ok := db.stmts[query]; ok {
		return st, nil
	}
	st, err := db.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if db.stmts == nil {
		db.stmts = make(map[string]*sql.Stmt)
	}
	db.stmts[query] = st
	return st, nil
}

// Key identifies an imported input: the same ref with the same raw text.
type Key struct{ Ref, RawHash string }

// Known returns which keys are stored already.
func (db *DB) Known(ctx context.Context, keys []Key) (map[Key]bool, error) {
	// By ref, the leading column of the unique index: a search, where
	// raw_hash alone would scan the whole index for every chunk.
	refs := make([]string, len(keys))
	for i, k := range keys {
		refs[i] = k.Ref
	}
	known := make(map[Key]bool)
	err := inChunks(ctx, db, `SELECT ref, raw_hash FROM articles WHERE ref IN (%s)`, refs, func(r *sql.Rows) error {
		var k Key
		err := r.Scan(&k.Ref, &k.RawHash)
		known[k] = true
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("known: %w", err)
	}
	return known, nil
}

// FirstByContentHash returns, for each hash that is stored, the smallest
// article id with that cleaned text.
func (db *DB) FirstByContentHash(ctx context.Context, hashes []string) (map[string]int64, error) {
	out := make(map[string]int64)
	err := inChunks(ctx, db, `SELECT content_hash, MIN(id) FROM articles WHERE content_hash IN (%s) GROUP BY content_hash`, hashes,
		func(r *sql.Rows) error {
			var h string
			var id int64
			err := r.Scan(&h, &id)
			out[h] = id
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("content hashes: %w", err)
	}
	return out, nil
}

// Member is what the importer needs to know of a stored article to place it
// in a cluster.
type Member struct {
	dedupe.Member
	ContentHash string
	ClusterID   int64
	Source, URL string // where it came from (dedupe.OriginOf)
}

// Members returns the given articles, keyed by id.
func (db *DB) Members(ctx context.Context, ids []int64) (map[int64]Member, error) {
	out := make(map[int64]Member)
	err := inChunks(ctx, db, `SELECT id, length, published, ref, content_hash, cluster_id, source, url FROM articles WHERE id IN (%s)`, ids,
		func(r *sql.Rows) error {
			var m Member
			err := r.Scan(&m.ID, &m.Length, &m.Published, &m.Ref, &m.ContentHash, &m.ClusterID, &m.Source, &m.URL)
			out[m.ID] = m
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	return out, nil
}

// ClusterHead is a stored cluster's canonical and size.
type ClusterHead struct {
	ID          int64
	CanonicalID int64
	Size        int
}

// ClusterHeads returns the given clusters, keyed by id.
func (db *DB) ClusterHeads(ctx context.Context, ids []int64) (map[int64]ClusterHead, error) {
	out := make(map[int64]ClusterHead)
	err := inChunks(ctx, db, `SELECT id, canonical_id, size FROM clusters WHERE id IN (%s)`, ids, func(r *sql.Rows) error {
		var c ClusterHead
		err := r.Scan(&c.ID, &c.CanonicalID, &c.Size)
		out[c.ID] = c
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("clusters: %w", err)
	}
	return out, nil
}

// MemberIDs returns the ids of a cluster's members in increasing order.
func (db *DB) MemberIDs(ctx context.Context, clusterID int64) ([]int64, error) {
	return memberIDs(ctx, db.db, clusterID)
}

// ClusterMemberIDs returns the ids of the members of each of the given
// clusters, in increasing order: MemberIDs for many clusters at once.
func (db *DB) ClusterMemberIDs(ctx context.Context, clusterIDs []int64) (map[int64][]int64, error) {
	out := make(map[int64][]int64)
	// A cluster falls in one chunk, so its ids come out in order.
	err := inChunks(ctx, db, `SELECT cluster_id, id FROM articles WHERE cluster_id IN (%s) ORDER BY id`, clusterIDs,
		func(r *sql.Rows) error {
			var c, id int64
			err := r.Scan(&c, &id)
			out[c] = append(out[c], id)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("cluster members: %w", err)
	}
	return out, nil
}

// queryer is what *sql.DB and *sql.Tx share for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func memberIDs(ctx context.Context, q queryer, clusterID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM articles WHERE cluster_id = ? ORDER BY id`, clusterID)
	if err != nil {
		return nil, fmt.Errorf("members of %d: %w", clusterID, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// VariantsOf returns the stored variant rows of the given articles.
func (db *DB) VariantsOf(ctx context.Context, ids []int64) (map[int64]Variant, error) {
	out := make(map[int64]Variant)
	err := inChunks(ctx, db, `SELECT article_id, relation, jaccard, containment, COALESCE(via_id, 0) FROM variants WHERE article_id IN (%s)`, ids,
		func(r *sql.Rows) error {
			var v Variant
			err := r.Scan(&v.ArticleID, &v.Relation, &v.Jaccard, &v.Containment, &v.Via)
			out[v.ArticleID] = v
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("variants: %w", err)
	}
	return out, nil
}

// Texts returns the cleaned texts of the given articles, keyed by id.
func (db *DB) Texts(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string)
	err := inChunks(ctx, db, `SELECT id, text FROM articles WHERE id IN (%s)`, ids, func(r *sql.Rows) error {
		var id int64
		var s string
		err := r.Scan(&id, &s)
		out[id] = s
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("texts: %w", err)
	}
	return out, nil
}

// SignaturesAtMost returns a bound on the number of stored signatures,
// without counting them: the largest article id that has one.
func (db *DB) SignaturesAtMost(ctx context.Context) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(article_id), 0) FROM signatures`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("signatures: %w", err)
	}
	return n, nil
}

// EachSignature calls fn with every stored signature, and the article's
// passage hashes, in id order: what the matcher needs of the database,
// read without any text. sig and passages are valid only during the call:
// loading a million signatures allocated half a gigabyte of them.
//
// The rows are read in ranges of ids on several connections at once, and
// handed to fn in order: stepping through a million rows and copying them
// out of SQLite took most of the second that an import into a database of
// a million articles, or a `similar` against it, spent loading.
func (db *DB) EachSignature(ctx context.Context, fn func(id int64, sig, passages []uint64) error) error {
	var lo, hi sql.NullInt64
	if err := db.db.QueryRowContext(ctx, `SELECT min(article_id), max(article_id) FROM signatures`).Scan(&lo, &hi); err != nil {
		return fmt.Errorf("signatures: %w", err)
	}
	if !lo.Valid {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	step := idsPerRange
	n := int((hi.Int64-lo.Int64)/step + 1)
	// done[k] brings range k's rows; at most ahead ranges are read and
	// not yet handed on, which bounds the memory to a few ranges.
	ahead := 2 * runtime.GOMAXPROCS(0)
	done := make([]chan *signatureRows, n)
	for k := range done {
		done[k] = make(chan *signatureRows, 1)
	}
	// A slot is a range's memory, used again once fn has seen its rows.
	slots := make(chan *signatureRows, ahead)
	for range ahead {
		slots <- new(signatureRows)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel() // runs first: readers blocked on a slot give up
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for {
				var r *signatureRows
				select {
				case r = <-slots:
				case <-ctx.Done():
					return
				}
				k := int(next.Add(1) - 1)
				if k >= n {
					return
				}
				from := lo.Int64 + int64(k)*step
				db.signatureRange(ctx, r, from, from+step)
				done[k] <- r
			}
		})
	}
	for k := range n {
		var r *signatureRows
		select {
		case r = <-done[k]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			return r.err
		}
		for i, id := range r.ids {
			if err := fn(id, r.sigs[r.sigAt[i]:r.sigAt[i+1]], r.passages[r.passAt[i]:r.passAt[i+1]]); err != nil {
				return err
			}
		}
		slots <- r
	}
	return nil
}

// idsPerRange is how many ids EachSignature reads in one query.
var idsPerRange int64 = 8192 // a variable for tests

// signatureRows are the rows of a range of ids, decoded, with the values
// of row i at sigs[sigAt[i]:sigAt[i+1]] and passages[passAt[i]:passAt[i+1]].
type signatureRows struct {
	ids            []int64
	sigs, passages []uint64
	sigAt, passAt  []int
	err            error
}

// signatureRange reads the signatures of the ids from from to to, to
// excluded, into r's memory.
func (db *DB) signatureRange(ctx context.Context, r *signatureRows, from, to int64) {
	r.ids, r.sigs, r.passages = r.ids[:0], r.sigs[:0], r.passages[:0]
	r.sigAt, r.passAt, r.err = append(r.sigAt[:0], 0), append(r.passAt[:0], 0), nil
	rows, err := db.db.QueryContext(ctx, `SELECT article_id, signature, passages FROM signatures
		WHERE article_id >= ? AND article_id < ? ORDER BY article_id`, from, to)
	if err != nil {
		r.err = fmt.Errorf("signatures: %w", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var b, p sql.RawBytes
		if err := rows.Scan(&id, &b, &p); err != nil {
			r.err = fmt.Errorf("signatures: %w", err)
			return
		}
		if len(r.ids) == 0 {
			// Sized for a full range from its first row: growing the
			// slices row by row copied them more than the rows were read.
			n := int(to - from)
			r.sigs = slices.Grow(r.sigs, n*len(b)/4)
			r.passages = slices.Grow(r.passages, n*max(len(p)/8, 8))
			r.ids = slices.Grow(r.ids, n)
			r.sigAt = slices.Grow(r.sigAt, n)
			r.passAt = slices.Grow(r.passAt, n)
		}
		r.ids = append(r.ids, id)
		r.sigs = appendSignature(r.sigs, b)
		r.passages = appendPassages(r.passages, p)
		r.sigAt = append(r.sigAt, len(r.sigs))
		r.passAt = append(r.passAt, len(r.passages))
	}
	if err := rows.Err(); err != nil {
		r.err = fmt.Errorf("signatures: %w", err)
	}
}

// NoSeparations reports whether no split has ever separated articles, so
// that an import need not check each merge against them.
func (db *DB) NoSeparations(ctx context.Context) (bool, error) {
	var none bool
	err := db.db.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM separations)`).Scan(&none)
	return none, err
}
