package store

import (
	"context"
	"database/sql"
	"testing"
)

// SetSignatureRange sets how many ids EachSignature reads in one query,
// until the returned function restores it.
func SetSignatureRange(n int64) (restore func()) {
	old := idsPerRange
	idsPerRange = n
	return func() { idsPerRange = old }
}

// SetMaxOpenConns limits db's pool.
func (db *DB) SetMaxOpenConns(n int) { db.db.SetMaxOpenConns(n) }

// ForeignKeys reports whether a connection from db's pool checks
// foreign keys.
func (db *DB) ForeignKeys(ctx context.Context) (bool, error) {
	var on bool
	err := db.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on)
	return on, err
}

// ExecForTest runs a statement on db.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := db.db.ExecContext(ctx, q, args...)
	return err
}

// QueryRowForTest scans the one row of q into dst.
func (db *DB) QueryRowForTest(ctx context.Context, q string, dst ...any) error {
	return db.db.QueryRowContext(ctx, q).Scan(dst...)
}

// SetSearchChunk makes indexing for search take n articles a transaction
// and call after each, until the returned function restores both.
func SetSearchChunk(n int64, after func()) (restore func()) {
	old := searchChunk
	searchChunk, afterSearchChunk = n, after
	return func() { searchChunk, afterSearchChunk = old, nil }
}

// OpenNoWait opens path on a connection that fails at once on a lock
// another connection holds.
func OpenNoWait(tb testing.TB, path string) *sql.DB {
	db, err := sql.Open(driverName, "file:"+path+"?_busy_timeout=0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// SetScanAllAboveForTest sets the id count above which CandidatesTouching
// scans the table, and returns what puts it back.
func SetScanAllAboveForTest(n int) func() {
	old := scanAllAbove
	scanAllAbove = n
	return func() { scanAllAbove = old }
}
