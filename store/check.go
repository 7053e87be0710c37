package store

import (
	"context"
	"fmt"
)

// Problem is one broken invariant that Check found.
type Problem struct {
	Invariant string `json:"invariant"`
	Detail    string `json:"detail"`
}

// maxProblems bounds what Check reports of each invariant: a broken
// database could otherwise list millions of rows.
const maxProblems = 20

// invariants are the project's own rules of a consistent database, each a
// query returning one line per violation. SQLite's integrity_check and
// foreign_key_check cannot see them.
var invariants = []struct{ name, query string }{
	{"every article is in a cluster", `SELECT 'article ' || a.id || ' names cluster ' || a.cluster_id
		FROM articles a LEFT JOIN clusters c ON c.id = a.cluster_id WHERE c.id IS NULL`},
	{"a cluster's size is its member count", `SELECT 'cluster ' || c.id || ' has size ' || c.size || ' and ' || COUNT(a.id) || ' members'
		FROM clusters c LEFT JOIN articles a ON a.cluster_id = c.id GROUP BY c.id HAVING COUNT(a.id) != c.size`},
	{"a cluster's id is its smallest member id", `SELECT 'cluster ' || c.id || ' has smallest member ' || MIN(a.id)
		FROM clusters c JOIN articles a ON a.cluster_id = c.id GROUP BY c.id HAVING MIN(a.id) != c.id`},
	{"the canonical is a member", `SELECT 'cluster ' || c.id || ' has canonical ' || c.canonical_id || ', a member of ' || COALESCE(a.cluster_id, 'nothing')
		FROM clusters c LEFT JOIN articles a ON a.id = c.canonical_id WHERE a.cluster_id IS NOT c.id`},
	{"one variants row per non-canonical member", `SELECT 'article ' || a.id || ' of cluster ' || a.cluster_id || ' has no variants row'
		FROM articles a JOIN clusters c ON c.id = a.cluster_id LEFT JOIN variants v ON v.article_id = a.id
		WHERE a.id != c.canonical_id AND v.article_id IS NULL`},
	{"no variants row for a canonical", `SELECT 'canonical ' || v.article_id || ' has a variants row'
		FROM variants v JOIN clusters c ON c.canonical_id = v.article_id`},
	{"a variants row agrees with its cluster", `SELECT 'variant ' || v.article_id || ' says cluster ' || v.cluster_id || ' canonical ' || v.canonical_id ||
		', the article is in cluster ' || a.cluster_id || ' canonical ' || COALESCE(c.canonical_id, 'none')
		FROM variants v JOIN articles a ON a.id = v.article_id LEFT JOIN clusters c ON c.id = a.cluster_id
		WHERE v.cluster_id != a.cluster_id OR v.canonical_id IS NOT c.canonical_id`},
	{"a via member is in the same cluster", `SELECT 'variant ' || v.article_id || ' comes via ' || v.via_id || ', which is not in cluster ' || v.cluster_id
		FROM variants v LEFT JOIN articles a ON a.id = v.via_id WHERE v.via_id IS NOT NULL AND a.cluster_id IS NOT v.cluster_id`},
	{"every link's articles exist", `SELECT 'link ' || l.a || '-' || l.b || ' names a missing article'
		FROM links l LEFT JOIN articles x ON x.id = l.a LEFT JOIN articles y ON y.id = l.b WHERE x.id IS NULL OR y.id IS NULL`},
}

// Check tests the invariants of the database's clusters, variants and
// links, and returns what is broken (nothing, when consistent). It reads
// in one transaction, so a concurrent writer cannot make it see a state
// halfway.
func (db *DB) Check(ctx context.Context) ([]Problem, error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	defer conn.Close()
	// A read transaction sees one snapshot of the WAL for all queries.
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	out := []Problem{}
	for _, inv := range invariants {
		rows, err := conn.QueryContext(ctx, inv.query+` LIMIT `+fmt.Sprint(maxProblems+1))
		if err != nil {
			return nil, fmt.Errorf("check %q: %w", inv.name, err)
		}
		n := 0
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				rows.Close()
				return nil, fmt.Errorf("check %q: %w", inv.name, err)
			}
			if n++; n > maxProblems {
				d = "and more"
			}
			out = append(out, Problem{Invariant: inv.name, Detail: d})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("check %q: %w", inv.name, err)
		}
	}
	return out, nil
}
