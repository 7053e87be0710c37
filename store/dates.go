package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Dates are an article's dates: Published in RFC 3339 UTC (” when the
// input's date was not understood), PublishedRaw as the input wrote it,
// and Crawled, when a crawler fetched the page (RFC 3339 UTC), or ”.
type Dates struct {
	Published    string `json:"published"`
	PublishedRaw string `json:"published_raw"`
	Crawled      string `json:"crawled"`
}

// ArticleDates returns an article's dates, or ErrNotFound.
func (db *DB) ArticleDates(ctx context.Context, id int64) (Dates, error) {
	var d Dates
	err := db.db.QueryRowContext(ctx, `SELECT published, published_raw, crawled FROM articles WHERE id = ?`, id).
		Scan(&d.Published, &d.PublishedRaw, &d.Crawled)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("article %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("dates of article %d: %w", id, err)
	}
	return d, nil
}
