package store

import (
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
