package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestLookupsUseIndexes runs every per-batch lookup once, then asks SQLite
// how it plans each prepared query: none may scan a table, since an import
// runs them for every batch and a scan makes an import quadratic.
func TestLookupsUseIndexes(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids := []int64{1, 2}
	if _, err := db.Known(ctx, []Key{{"a", "h"}}); err != nil {
		t.Fatal(err)
	}
	db.FirstByContentHash(ctx, []string{"h"})
	db.Members(ctx, ids)
	db.ClusterHeads(ctx, ids)
	db.VariantsOf(ctx, ids)
	db.Texts(ctx, ids)
	if len(db.stmts) < 6 {
		t.Fatalf("%d prepared lookups, want at least 6", len(db.stmts))
	}
	for q := range db.stmts {
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = 0
		}
		rows, err := db.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			if strings.HasPrefix(detail, "SCAN") {
				t.Errorf("%.70s...: %s", q, detail)
			}
		}
		rows.Close()
	}
}
