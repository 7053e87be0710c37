package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenReadOnly checks that a database opened read-only is read, not
// written, and that one whose schema is not this version's is refused.
func TestOpenReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMeta(t.Context(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro, err := OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !ro.ReadOnly() {
		t.Error("ReadOnly() = false")
	}
	if v, ok, err := ro.Meta(t.Context(), "k"); err != nil || !ok || v != "v" {
		t.Errorf("Meta = %q, %v, %v", v, ok, err)
	}
	if err := ro.SetMeta(t.Context(), "k", "w"); !IsReadOnly(err) {
		t.Errorf("a write on a read-only database: %v, want a read-only error", err)
	}
	if _, err := ro.Search(t.Context(), "harbour", 10, 0); !IsReadOnly(err) || !strings.Contains(err.Error(), "no search index") {
		t.Errorf("search without an index on a read-only database: %v", err)
	}
	ro.Close()

	for _, tc := range []struct {
		sql, want string
	}{
		{`DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`, "older"},
		{`INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', '')`, "newer"},
	} {
		path := filepath.Join(t.TempDir(), "t.db")
		db, err := Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(tc.sql); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if _, err := OpenReadOnly(t.Context(), path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("after %s: OpenReadOnly = %v, want %q", tc.sql, err, tc.want)
		}
	}
}

// TestOpenWhileWriting opens an up-to-date database while another
// connection holds the write lock, as an import does for each batch: a
// reader's Open has nothing to migrate and does not wait for the lock,
// nor take it from the writer.
func TestOpenWhileWriting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.db.BeginTx(t.Context(), nil) // _txlock=immediate: the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('writing', '1')`); err != nil {
		t.Fatal(err)
	}
	reader, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open while another connection writes: %v", err)
	}
	defer reader.Close()
	if _, ok, err := reader.Meta(t.Context(), "writing"); err != nil || ok {
		t.Errorf("the reader sees an uncommitted write (%v) or fails: %v", ok, err)
	}
	if err := tx.Commit(); err != nil {
		t.Errorf("the writer's commit after a reader opened: %v", err)
	}
}

// TestOpenWaitsBounded creates a database while another connection holds
// its write lock past the busy timeout: Open fails after about that wait,
// not after fifty of them.
func TestOpenWaitsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the busy timeout")
	}
	path := filepath.Join(t.TempDir(), "t.db")
	lock, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	tx, err := lock.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`CREATE TABLE held (x)`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*busyTimeout)
	defer cancel()
	db, err := Open(ctx, path)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded while another connection held the write lock")
	}
	if !IsBusy(err) {
		t.Errorf("Open = %v, want a busy error once the busy timeout has passed", err)
	}
}
