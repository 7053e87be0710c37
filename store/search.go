package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/newsdedup/newsdedup/dedupe"
)

// ErrNoFTS5 is returned by Search when SQLite was compiled without FTS5.
var ErrNoFTS5 = errors.New("store: search needs SQLite's FTS5, and this newsdedup was built without it (build with -tags sqlite_fts5)")

// SearchHit is one article found by Search.
type SearchHit struct {
	ID          int64
	Ref         string
	Title       string
	Source      string
	Published   string
	ClusterID   int64
	ClusterSize int
	CanonicalID int64
	Snippet     string  // the best passage of the text, "…" where cut
	Rank        float64 // bm25: lower is better
}

// The full-text index is an external-content FTS5 table over the articles'
// titles and cleaned texts. It is filled lazily, before a search, from the
// articles above a watermark (articles are never changed or deleted), so
// imports pay nothing for it and a binary built without FTS5 still does
// everything but search.
const ftsTable = `CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
	title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`

const ftsWatermark = "fts_indexed_upto"

// searchChunk is how many articles one transaction of indexing takes.
// Each transaction holds the write lock: a first search after a large
// import indexed it in one transaction of many seconds, and an import
// running meanwhile timed out waiting. A chunk takes a fraction of a
// second.
var searchChunk int64 = 2000

// afterSearchChunk, when set (by tests), runs after each committed chunk.
var afterSearchChunk func()

// updateSearchIndex indexes the articles stored since the last search, a
// chunk of articles per transaction, each advancing the watermark, so an
// interrupted indexing is resumed by the next search.
func (db *DB) updateSearchIndex(ctx context.Context) error {
	var last int64
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM articles`).Scan(&last); err != nil {
		return err
	}
	for {
		upto, err := db.searchWatermark(ctx, db.db.QueryRowContext)
		if err != nil {
			return err
		}
		if upto > 0 && last <= upto {
			return nil
		}
		if err := db.indexChunk(ctx, last); err != nil {
			return err
		}
		if afterSearchChunk != nil {
			afterSearchChunk()
		}
	}
}

func (db *DB) searchWatermark(ctx context.Context, query func(context.Context, string, ...any) *sql.Row) (int64, error) {
	var v string
	switch err := query(ctx, `SELECT value FROM meta WHERE key = ?`, ftsWatermark).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// indexChunk indexes the next chunk of articles up to last in one
// transaction.
func (db *DB) indexChunk(ctx context.Context, last int64) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, ftsTable); err != nil {
		if strings.Contains(err.Error(), "no such module: fts5") {
			return ErrNoFTS5
		}
		return err
	}
	// Read the watermark again under the write lock: another search may
	// have indexed meanwhile.
	upto, err := db.searchWatermark(ctx, tx.QueryRowContext)
	if err != nil {
		return err
	}
	end := min(last, upto+searchChunk)
	if end <= upto {
		return tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, title, text)
		SELECT id, title, text FROM articles WHERE id > ? AND id <= ? ORDER BY id`, upto, end); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, ftsWatermark, strconv.FormatInt(end, 10)); err != nil {
		return err
	}
	return tx.Commit()
}

// IsBusy reports whether err is SQLite saying another connection holds
// the database (busy or locked) past the wait: worth trying again later.
func IsBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// Search returns the articles matching query, best first (bm25, with the
// title weighing five times the text), limit at a time from offset. The
// query is words, all of which must occur, and "quoted phrases"; any other
// punctuation is ignored, so no input is a syntax error.
func (db *DB) Search(ctx context.Context, query string, limit, offset int) ([]SearchHit, error) {
	return db.search(ctx, query, limit, offset, "", "")
}

func (db *DB) search(ctx context.Context, query string, limit, offset int, open, close string) ([]SearchHit, error) {
	match, err := ftsQuery(query)
	if err != nil {
		return nil, err
	}
	index := db.updateSearchIndex
	if db.readOnly {
		index = db.checkReadOnlyIndex // searches what is indexed
	}
	if err := index(ctx); err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT a.id, a.ref, a.title, a.source, a.published, a.cluster_id, c.size, c.canonical_id,
		snippet(articles_fts, 1, ?, ?, '…', 24), bm25(articles_fts, 5.0, 1.0) AS rank
		FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid JOIN clusters c ON c.id = a.cluster_id
		WHERE articles_fts MATCH ? ORDER BY rank, a.id LIMIT ? OFFSET ?`, open, close, match, limit, offset)
	if err != nil {
		if strings.Contains(err.Error(), "no such module: fts5") {
			return nil, ErrNoFTS5 // the index was made by a build with FTS5
		}
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	defer rows.Close()
	var hits []SearchHit
	for rows.Next() {
		var h SearchHit
		if err := rows.Scan(&h.ID, &h.Ref, &h.Title, &h.Source, &h.Published, &h.ClusterID, &h.ClusterSize,
			&h.CanonicalID, &h.Snippet, &h.Rank); err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// ftsQuery turns what a user typed into an FTS5 query: each word, and each
// "quoted phrase", becomes a quoted FTS5 string, so that FTS5 operators
// and punctuation in the input are taken as text.
func ftsQuery(q string) (string, error) {
	var terms []string
	for i, part := range strings.Split(q, `"`) {
		toks := dedupe.Tokens(part)
		if len(toks) == 0 {
			continue
		}
		if i%2 == 1 { // inside quotes: a phrase
			terms = append(terms, `"`+strings.Join(toks, " ")+`"`)
			continue
		}
		for _, t := range toks {
			terms = append(terms, `"`+t+`"`)
		}
	}
	if len(terms) == 0 {
		return "", fmt.Errorf("search: %q has no words to look for", q)
	}
	return strings.Join(terms, " "), nil
}
