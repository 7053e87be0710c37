package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/newsdedup/newsdedup/migrations"
)

// ErrReadOnly is returned, wrapped in a message that names the file or
// folder in the way, by Open when the database cannot be written. A
// reader can open it with OpenReadOnly instead.
var ErrReadOnly = errors.New("store: the database cannot be written")

type readOnlyError struct{ msg string }

func (e *readOnlyError) Error() string        { return e.msg }
func (e *readOnlyError) Is(target error) bool { return target == ErrReadOnly }

// writeBlocker says why the database at path cannot be written, or "".
// SQLite finds out later and less clearly: a read-only database file
// opens, and its first write fails; a read-only -wal or -shm, which a
// read-only use leaves with the database's mode, fails every write with
// the same "attempt to write a readonly database".
func writeBlocker(path string) string {
	if !canWrite(path) {
		return path + " is read-only"
	}
	missing := false
	for _, suffix := range []string{"-wal", "-shm"} {
		p := path + suffix
		if _, err := os.Lstat(p); err != nil {
			missing = true
			continue
		}
		if !canWrite(p) {
			return fmt.Sprintf("%s is read-only while the database is not (a read-only use leaves it so): make it writable "+
				"(chmod u+w %s), or remove it while no process has the database open", p, p)
		}
	}
	if dir := filepath.Dir(path); missing && !canWrite(dir) {
		return fmt.Sprintf("its folder %s is read-only, and writing needs to create %s-wal and -shm there", dir, filepath.Base(path))
	}
	return ""
}

// OpenReadOnly opens an existing database for reading without writing
// anything: no migration, no search indexing (Search searches what is
// indexed), no journal mode set. It refuses a database whose schema needs
// migrating.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	db, err := openReadOnly(ctx, path, false)
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) || (se.Code != sqlite3.ErrReadonly && se.Code != sqlite3.ErrCantOpen) {
		return db, err
	}
	// SQLite reads a WAL database through its -shm file, which it cannot
	// create in a read-only folder. A database without a log to read is
	// all in its file: immutable=1 reads it without the -shm. That is
	// safe while nothing writes it, which a folder nobody can create the
	// -wal in makes likely; a write meanwhile would at worst make a read
	// fail, never the database.
	if fi, statErr := os.Stat(path + "-wal"); statErr == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("open %s read-only: its write-ahead log %s-wal holds changes, which reading needs a %s-shm for "+
			"that cannot be created here: open it once with write access to the folder: %w", path, path, path, err)
	}
	return openReadOnly(ctx, path, true)
}

func openReadOnly(ctx context.Context, path string, immutable bool) (*DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", "10000")
	if immutable {
		q.Set("immutable", "1")
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	// The plain driver: the connect hook of driverName writes.
	sdb, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{db: sdb, path: path, readOnly: true, Now: time.Now}
	if err := db.checkSchema(ctx); err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

// checkSchema refuses a read-only database whose schema is not this
// newsdedup's.
func (db *DB) checkSchema(ctx context.Context) error {
	known, err := latestMigration(migrations.FS)
	if err != nil {
		return err
	}
	var have int
	err = db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return fmt.Errorf("open %s: not a newsdedup database (it has no schema_migrations table)", db.path)
		}
		return fmt.Errorf("open %s read-only: %w", db.path, err)
	}
	switch {
	case have > known:
		return fmt.Errorf("open %s: database schema version %d is newer than this newsdedup supports (%d); upgrade newsdedup", db.path, have, known)
	case have < known:
		return fmt.Errorf("open %s: its schema (version %d) is older than this newsdedup's (%d) and needs migrating, "+
			"a write, but the database is read-only: run newsdedup once with write access to it", db.path, have, known)
	}
	return nil
}

// ReadOnly reports whether the database was opened with OpenReadOnly.
func (db *DB) ReadOnly() bool { return db.readOnly }

// IsReadOnly reports whether err is a write refused because the database
// is read-only.
func IsReadOnly(err error) bool {
	var se sqlite3.Error
	return errors.Is(err, ErrReadOnly) || errors.As(err, &se) && se.Code == sqlite3.ErrReadonly
}

// Unindexed returns how many articles the search index lacks, and
// whether there is an index at all: on a read-only database Search finds
// only what a search with write access indexed.
func (db *DB) Unindexed(ctx context.Context) (n int64, indexed bool, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'articles_fts')`).Scan(&indexed)
	if err != nil {
		return 0, false, err
	}
	upto, err := db.searchWatermark(ctx, db.db.QueryRowContext)
	if err != nil {
		return 0, false, err
	}
	if !indexed {
		upto = 0
	}
	err = db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE id > ?`, upto).Scan(&n)
	return n, indexed, err
}

// checkReadOnlyIndex is what Search does on a read-only database instead
// of indexing: it refuses when there is no index to search.
func (db *DB) checkReadOnlyIndex(ctx context.Context) error {
	_, indexed, err := db.Unindexed(ctx)
	if err != nil {
		return err
	}
	if !indexed {
		return &readOnlyError{db.path + " is read-only and has no search index yet: the first search builds it, which needs write access"}
	}
	return nil
}
