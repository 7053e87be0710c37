package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3" // also registers the "sqlite3" driver

	"github.com/newsdedup/newsdedup/migrations"
)

// ErrNotFound is returned when an article or cluster does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConcurrentImport is returned by WriteBatch when another process added
// articles to the database during this import.
var ErrConcurrentImport = errors.New("store: another import changed the database; run this import again")

// ErrStaleClusters is returned, wrapped, by WriteBatch when clusters
// changed (a person's decision) since the batch's Generation was read:
// the batch must be placed again from the clusters as they are now.
var ErrStaleClusters = errors.New("store: clusters changed since the batch was placed")

// DB is a newsdedup database.
type DB struct {
	db    *sql.DB
	path  string
	mu    sync.Mutex
	stmts map[string]*sql.Stmt // prepared once, for queries run per batch
	// readOnly is set by OpenReadOnly: nothing is written.
	readOnly bool
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open opens the database at path, creating it if needed, and applies any
// pending migrations. It returns an error that is ErrReadOnly when the
// database, its folder or its -wal or -shm file cannot be written.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, migrations.FS)
}

// driverName is go-sqlite3 with a connect hook that sets the page size
// before the journal mode, which the DSN's options cannot: once a database
// is in WAL mode its page size is fixed.
const driverName = "sqlite3_newsdedup"

// pageSize is a new database's page size. A stored article is a few KB:
// with 4 KiB pages most rows spill into an overflow page of their own,
// partly empty, and each page is a write to the log and another to the
// database. 16 KiB pages store such an article with less overflow (a
// database of 100,000 articles 16% smaller, its import 6% faster). An
// existing database keeps its size.
const pageSize = 16384

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(fmt.Sprintf("PRAGMA page_size = %d; PRAGMA journal_mode = WAL", pageSize), nil)
		return err
	}})
}

// busyTimeout is how long a statement waits for a lock another
// connection holds.
const busyTimeout = 10 * time.Second

func open(ctx context.Context, path string, fsys fs.FS) (*DB, error) {
	if why := writeBlocker(path); why != "" {
		return nil, &readOnlyError{fmt.Sprintf("open %s: cannot write it: %s", path, why)}
	}
	// Options go in the DSN so that every pooled connection gets them.
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	q.Set("_busy_timeout", strconv.Itoa(int(busyTimeout.Milliseconds())))
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", "-65536") // KiB: index pages of a large import stay in memory
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	sdb, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{db: sdb, path: path, Now: time.Now}
	// Two processes creating the same database contend for it while its
	// journal mode changes, which SQLite reports as busy without waiting:
	// try again for a while. A lock held past the busy timeout is not
	// that race, and is not waited out fifty times over.
	start := time.Now()
	for attempt := 1; ; attempt++ {
		err = db.migrate(ctx, fsys)
		var se sqlite3.Error
		if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || attempt == 50 || time.Since(start) > busyTimeout {
			break
		}
		time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
	}
	if err != nil {
		sdb.Close()
		if IsReadOnly(err) {
			return nil, &readOnlyError{fmt.Sprintf("open %s: cannot write it: %v", path, err)}
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.mu.Lock()
	for _, st := range db.stmts {
		st.Close()
	}
	db.stmts = nil
	db.mu.Unlock()
	return db.db.Close()
}

// Path returns the file the database was opened from.
func (db *DB) Path() string { return db.path }

// migrate applies every migration newer than the database's version, each
// in its own transaction, and refuses a database made by a newer version.
func (db *DB) migrate(ctx context.Context, fsys fs.FS) error {
	// A database that is up to date needs no write, and a reader's Open
	// must neither wait for nor hold the write lock an import holds for
	// each of its batches.
	if current, err := db.upToDate(ctx, fsys); err != nil || current {
		return err
	}
	// In a write transaction from the start: in WAL mode a read that
	// turns into a write fails at once, without waiting, when another
	// process wrote in between.
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	_, err = tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	if err == nil {
		err = tx.Commit()
	}
	tx.Rollback()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	known, err := latestMigration(fsys)
	if err != nil {
		return err
	}
	var have int
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if have > known {
		return fmt.Errorf("database schema version %d is newer than this newsdedup supports (%d); upgrade newsdedup", have, known)
	}
	for _, name := range names {
		v, _ := migrationVersion(name)
		if v <= have {
			continue
		}
		if err := db.migrateFile(ctx, fsys, name, v); err != nil {
			return err
		}
	}
	return nil
}

// upToDate reports whether the database holds every migration of fsys,
// reading only.
func (db *DB) upToDate(ctx context.Context, fsys fs.FS) (bool, error) {
	known, err := latestMigration(fsys)
	if err != nil {
		return false, err
	}
	var have int
	err = db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have)
	if err != nil {
		// No table yet (a new database), or not readable: migrate
		// says which.
		return false, nil
	}
	return have == known, nil
}

// latestMigration returns the version of the newest migration of fsys.
func latestMigration(fsys fs.FS) (int, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return 0, err
	}
	known := 0
	for _, name := range names {
		v, err := migrationVersion(name)
		if err != nil {
			return 0, err
		}
		known = max(known, v)
	}
	return known, nil
}

func migrationVersion(name string) (int, error) {
	num, _, ok := strings.Cut(path.Base(name), "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 {
		return 0, fmt.Errorf("migration %s: name must start with a positive number and '_'", name)
	}
	return v, nil
}

func (db *DB) migrateFile(ctx context.Context, fsys fs.FS, name string, version int) error {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	// The transaction takes the write lock (_txlock=immediate); another
	// process opening the same new database may have applied this
	// migration while we waited for it.
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	defer tx.Rollback()
	var done bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)`, version).Scan(&done); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if done {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		version, name, db.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	return nil
}

// SchemaVersion returns the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// IntegrityCheck runs SQLite's integrity check and returns its verdict,
// "ok" for a sound database.
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var s string
	err := db.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&s)
	return s, err
}

// Meta returns the value stored under key, or "" and false.
func (db *DB) Meta(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

// SetMeta stores value under key.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
