package store_test

import (
	"database/sql"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/migrations"
	"github.com/newsdedup/newsdedup/store"
)

// MustOpenDB opens a fresh database in a temporary directory and closes it
// when the test ends.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	return mustOpenAt(tb, filepath.Join(tb.TempDir(), "test.db"))
}

func mustOpenAt(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(tb.Context(), path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// rawDB opens a second, plain connection to a store's file, for what the
// store's API does not show.
func rawDB(tb testing.TB, db *store.DB) *sql.DB {
	tb.Helper()
	u := url.URL{Path: db.Path()}
	r, err := sql.Open("sqlite3", "file:"+u.EscapedPath()+"?_busy_timeout=10000&_foreign_keys=on")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

func count(tb testing.TB, r *sql.DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := r.QueryRowContext(tb.Context(), query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

func migrationFiles(tb testing.TB) []string {
	tb.Helper()
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil || len(names) == 0 {
		tb.Fatalf("migration files: %v %v", names, err)
	}
	return names
}

func TestOpenAppliesMigrations(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(migrationFiles(t)); v != n {
		t.Errorf("SchemaVersion = %d, want %d (one per migration file)", v, n)
	}
	r := rawDB(t, db)
	for _, table := range []string{"meta", "imports", "articles", "clusters", "variants", "links", "rejections"} {
		if count(t, r, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table) != 1 {
			t.Errorf("table %s missing", table)
		}
	}
	if got := count(t, r, `SELECT COUNT(*) FROM schema_migrations`); got != len(migrationFiles(t)) {
		t.Errorf("schema_migrations has %d rows, want %d", got, len(migrationFiles(t)))
	}
	if s, err := db.IntegrityCheck(ctx); err != nil || s != "ok" {
		t.Errorf("IntegrityCheck = %q, %v", s, err)
	}
	if !strings.HasSuffix(db.Path(), "test.db") {
		t.Errorf("Path = %q", db.Path())
	}
}

func TestReopenIsNoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "re open.db") // a space, to check the DSN escaping
	ctx := t.Context()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v1, _ := db.SchemaVersion(ctx)
	if err := db.SetMeta(ctx, "scheme", "oph1"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db2 := mustOpenAt(t, path)
	v2, err := db2.SchemaVersion(ctx)
	if err != nil || v2 != v1 {
		t.Errorf("reopened version = %d, %v; want %d", v2, err, v1)
	}
	if v, ok, err := db2.Meta(ctx, "scheme"); v != "oph1" || !ok || err != nil {
		t.Errorf("Meta after reopen = %q, %v, %v", v, ok, err)
	}
	r := rawDB(t, db2)
	if got := count(t, r, `SELECT COUNT(*) FROM schema_migrations`); got != len(migrationFiles(t)) {
		t.Errorf("schema_migrations has %d rows after reopen, want %d", got, len(migrationFiles(t)))
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	ctx := t.Context()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	known, _ := db.SchemaVersion(ctx)
	r := rawDB(t, db)
	if _, err := r.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', '')`, known+1); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db2, err := store.Open(ctx, path)
	if err == nil {
		db2.Close()
		t.Fatal("Open of a database with a newer schema succeeded")
	}
	if !strings.Contains(err.Error(), "newer") {
		t.Errorf("error %q does not mention \"newer\"", err)
	}
}

func TestOpenFailsOnBadPath(t *testing.T) {
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"))
	if err == nil {
		db.Close()
		t.Fatal("Open in a missing directory succeeded")
	}
}

func TestMeta(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	if v, ok, err := db.Meta(ctx, "missing"); v != "" || ok || err != nil {
		t.Errorf("Meta(missing) = %q, %v, %v; want \"\", false, nil", v, ok, err)
	}
	steps := []struct{ key, value string }{
		{"scheme", "oph1"},
		{"params", `{"k":5}`},
		{"scheme", "oph2"}, // overwrite
		{"empty", ""},
		{"ünïcode", "日本語"},
	}
	want := map[string]string{}
	for _, s := range steps {
		if err := db.SetMeta(ctx, s.key, s.value); err != nil {
			t.Fatalf("SetMeta(%q): %v", s.key, err)
		}
		want[s.key] = s.value
		for k, w := range want {
			if v, ok, err := db.Meta(ctx, k); v != w || !ok || err != nil {
				t.Errorf("after SetMeta(%q): Meta(%q) = %q, %v, %v; want %q", s.key, k, v, ok, err, w)
			}
		}
	}
	if got := count(t, rawDB(t, db), `SELECT COUNT(*) FROM meta`); got != len(want) {
		t.Errorf("meta has %d rows, want %d", got, len(want))
	}
}

// TestConcurrentFirstOpen opens a new database from several goroutines at
// once, as two newsdedup processes started together would.
func TestConcurrentFirstOpen(t *testing.T) {
	for i := range 20 {
		path := filepath.Join(t.TempDir(), "race.db")
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for g := range errs {
			wg.Go(func() {
				db, err := store.Open(t.Context(), path)
				if err == nil {
					db.Close()
				}
				errs[g] = err
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: concurrent Open: %v", i, err)
			}
		}
	}
}

// TestPageSize checks that a new database gets large pages in WAL mode, and
// that one made with SQLite's default pages keeps them and still opens.
func TestPageSize(t *testing.T) {
	pragma := func(r *sql.DB, name string) string {
		t.Helper()
		var v string
		if err := r.QueryRowContext(t.Context(), "PRAGMA "+name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	db := MustOpenDB(t)
	r := rawDB(t, db)
	if got := pragma(r, "page_size"); got != "16384" {
		t.Errorf("new database: page_size = %s, want 16384", got)
	}
	if got := pragma(r, "journal_mode"); got != "wal" {
		t.Errorf("new database: journal_mode = %s, want wal", got)
	}

	old := filepath.Join(t.TempDir(), "old.db")
	o, err := sql.Open("sqlite3", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.ExecContext(t.Context(), "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE x (y)"); err != nil {
		t.Fatal(err)
	}
	o.Close()
	db = mustOpenAt(t, old)
	if _, err := db.NextID(t.Context()); err != nil {
		t.Fatal(err)
	}
	r = rawDB(t, db)
	if got := pragma(r, "page_size"); got != "4096" {
		t.Errorf("existing database: page_size = %s, want 4096 kept", got)
	}
}
