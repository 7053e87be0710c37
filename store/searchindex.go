package store

import "context"

// IndexSearch indexes for search every article stored since the last
// search, as the first search after an import does, a chunk a
// transaction. progress, when set, is told after each chunk how many of
// the articles that need it are indexed. It returns ErrNoFTS5 from a
// build without FTS5.
func (db *DB) IndexSearch(ctx context.Context, progress func(done, total int64)) error {
	if db.ReadOnly() {
		return ErrReadOnly
	}
	total, _, err := db.Unindexed(ctx)
	if err != nil || total == 0 {
		return err
	}
	var last int64
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM articles`).Scan(&last); err != nil {
		return err
	}
	start := int64(-1)
	for {
		upto, err := db.searchWatermark(ctx, db.db.QueryRowContext)
		if err != nil {
			return err
		}
		if start < 0 {
			start = upto
		}
		if progress != nil && upto > start {
			// By id, which articles take in order: counting the rows
			// left would read the table once a chunk.
			progress(min(total, total*(upto-start)/max(1, last-start)), total)
		}
		if upto > 0 && last <= upto {
			return nil
		}
		if err := db.indexChunk(ctx, last); err != nil {
			return err
		}
	}
}
