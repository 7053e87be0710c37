package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ArticleRef names an article in listings.
type ArticleRef struct {
	ID    int64
	Ref   string
	Title string
}

// VariantView is a non-canonical member in a listing.
type VariantView struct {
	ArticleRef
	Variant
}

// Cluster is a cluster with its canonical and variants.
type Cluster struct {
	ID        int64
	Size      int
	Canonical ArticleRef
	Variants  []VariantView
}

// EachCluster calls fn for every cluster of at least minSize members,
// largest first, then by id.
func (db *DB) EachCluster(ctx context.Context, minSize int, fn func(Cluster) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT c.id, c.size, a.id, a.ref, a.title
		FROM clusters c JOIN articles a ON a.id = c.canonical_id
		WHERE c.size >= ? ORDER BY c.size DESC, c.id`, minSize)
	if err != nil {
		return fmt.Errorf("clusters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Cluster
		if err := rows.Scan(&c.ID, &c.Size, &c.Canonical.ID, &c.Canonical.Ref, &c.Canonical.Title); err != nil {
			return fmt.Errorf("clusters: %w", err)
		}
		if c.Size > 1 {
			if c.Variants, err = db.variants(ctx, c.ID); err != nil {
				return err
			}
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (db *DB) variants(ctx context.Context, clusterID int64) ([]VariantView, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT a.id, a.ref, a.title, v.relation, v.jaccard, v.containment, COALESCE(v.via_id, 0)
		FROM variants v JOIN articles a ON a.id = v.article_id WHERE v.cluster_id = ? ORDER BY a.id`, clusterID)
	if err != nil {
		return nil, fmt.Errorf("variants of %d: %w", clusterID, err)
	}
	defer rows.Close()
	var vs []VariantView
	for rows.Next() {
		var v VariantView
		if err := rows.Scan(&v.ID, &v.Ref, &v.Title, &v.Relation, &v.Jaccard, &v.Containment, &v.Via); err != nil {
			return nil, err
		}
		v.ArticleID = v.ID
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// Cluster returns one cluster. It returns ErrNotFound if there is none.
func (db *DB) Cluster(ctx context.Context, id int64) (Cluster, error) {
	c := Cluster{ID: id}
	err := db.db.QueryRowContext(ctx, `SELECT c.size, a.id, a.ref, a.title
		FROM clusters c JOIN articles a ON a.id = c.canonical_id WHERE c.id = ?`, id).
		Scan(&c.Size, &c.Canonical.ID, &c.Canonical.Ref, &c.Canonical.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("cluster %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("cluster %d: %w", id, err)
	}
	c.Variants, err = db.variants(ctx, id)
	return c, err
}

// ArticleView is an article with its place in its cluster.
type ArticleView struct {
	Article
	CanonicalID int64
	// Relation is "canonical" for the canonical article (and singletons).
	Relation    string
	Jaccard     float64
	Containment float64
	Via         int64
}

const articleColumns = `a.id, a.import_id, a.ref, a.source, a.title, a.url, a.published, a.raw, a.text,
	a.raw_hash, a.content_hash, a.length, a.cluster_id, c.canonical_id,
	COALESCE(v.relation, 'canonical'), COALESCE(v.jaccard, 1), COALESCE(v.containment, 1), COALESCE(v.via_id, 0)`

const articleJoins = ` FROM articles a JOIN clusters c ON c.id = a.cluster_id LEFT JOIN variants v ON v.article_id = a.id `

// scanArticle scans articleColumns, then any extra columns into extra.
func scanArticle(s interface{ Scan(...any) error }, extra ...any) (ArticleView, error) {
	var a ArticleView
	err := s.Scan(append([]any{&a.ID, &a.ImportID, &a.Ref, &a.Source, &a.Title, &a.URL, &a.Published, &a.Raw, &a.Text,
		&a.RawHash, &a.ContentHash, &a.Length, &a.ClusterID, &a.CanonicalID,
		&a.Relation, &a.Jaccard, &a.Containment, &a.Via}, extra...)...)
	return a, err
}

// ArticleByID returns an article. It returns ErrNotFound if there is none.
func (db *DB) ArticleByID(ctx context.Context, id int64) (ArticleView, error) {
	a, err := scanArticle(db.db.QueryRowContext(ctx, `SELECT `+articleColumns+articleJoins+`WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("article %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("article %d: %w", id, err)
	}
	return a, nil
}

// ExportRow is one exported article.
type ExportRow struct {
	ArticleView
	ClusterSize int
	// Duplicates are the refs of the other members of a canonical's
	// cluster; empty when exporting variants.
	Duplicates []string
}

// ExportFilter chooses what Export writes.
type ExportFilter struct {
	Variants       bool   // every article, not just canonicals and singletons
	Source         string // only this source
	Since, Until   string // published on or after Since, on or before Until (RFC 3339 or a prefix of it such as 2024-03-01)
	MinClusterSize int    // only articles of clusters at least this large
}

// Export calls fn for every canonical article (singletons included) in id
// order, or, with f.Variants, for every article, as far as f lets them
// through. It streams: memory does not grow with the corpus.
func (db *DB) Export(ctx context.Context, f ExportFilter, fn func(ExportRow) error) error {
	var where []string
	var args []any
	if !f.Variants {
		where = append(where, `a.id = c.canonical_id`)
	}
	if f.Source != "" {
		where, args = append(where, `a.source = ?`), append(args, f.Source)
	}
	if f.Since != "" {
		where, args = append(where, `a.published != '' AND a.published >= ?`), append(args, f.Since)
	}
	if f.Until != "" {
		// A prefix compare includes the whole of the last day (or hour...).
		where, args = append(where, `a.published != '' AND substr(a.published, 1, length(?)) <= ?`), append(args, f.Until, f.Until)
	}
	if f.MinClusterSize > 1 {
		where, args = append(where, `c.size >= ?`), append(args, f.MinClusterSize)
	}
	q := `SELECT ` + articleColumns + `, c.size` + articleJoins
	if len(where) > 0 {
		q += `WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := db.db.QueryContext(ctx, q+` ORDER BY a.id`, args...)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ExportRow
		a, err := scanArticle(rows, &r.ClusterSize)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		r.ArticleView = a
		if !f.Variants && r.ClusterSize > 1 {
			if r.Duplicates, err = db.duplicateRefs(ctx, a.ClusterID, a.ID); err != nil {
				return err
			}
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Assignment says which cluster and canonical an article was given.
type Assignment struct {
	ArticleID    int64
	Ref          string
	ClusterID    int64
	CanonicalID  int64
	CanonicalRef string
	Relation     string // "canonical" for the canonical itself
	Jaccard      float64
	Containment  float64
}

// EachAssignment calls fn for every article in id order with its cluster
// and canonical: which kept article replaced this one.
func (db *DB) EachAssignment(ctx context.Context, fn func(Assignment) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT a.id, a.ref, a.cluster_id, c.canonical_id, k.ref,
		COALESCE(v.relation, 'canonical'), COALESCE(v.jaccard, 1), COALESCE(v.containment, 1)
		FROM articles a JOIN clusters c ON c.id = a.cluster_id JOIN articles k ON k.id = c.canonical_id
		LEFT JOIN variants v ON v.article_id = a.id ORDER BY a.id`)
	if err != nil {
		return fmt.Errorf("assignments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var as Assignment
		if err := rows.Scan(&as.ArticleID, &as.Ref, &as.ClusterID, &as.CanonicalID, &as.CanonicalRef,
			&as.Relation, &as.Jaccard, &as.Containment); err != nil {
			return fmt.Errorf("assignments: %w", err)
		}
		if err := fn(as); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (db *DB) duplicateRefs(ctx context.Context, clusterID, canonical int64) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT ref FROM articles WHERE cluster_id = ? AND id != ? ORDER BY id`, clusterID, canonical)
	if err != nil {
		return nil, fmt.Errorf("duplicates of %d: %w", clusterID, err)
	}
	defer rows.Close()
	var refs []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		refs = append(refs, ref)
	}
	return refs, rows.Err()
}

// Stats are database totals.
type Stats struct {
	Articles      int
	Clusters      int // including singletons
	MultiClusters int // clusters of two or more
	Duplicates    int // articles that are not their cluster's canonical
	ByRelation    map[string]int
	BySource      []SourceStats
	Imports       int
	Rejections    int
}

// SourceStats are totals for one source.
type SourceStats struct {
	Source     string
	Articles   int
	Duplicates int
}

// DuplicateRate is the share of articles that duplicate another.
func (s Stats) DuplicateRate() float64 {
	if s.Articles == 0 {
		return 0
	}
	return float64(s.Duplicates) / float64(s.Articles)
}

// Stats returns the database totals.
func (db *DB) Stats(ctx context.Context) (Stats, error) {
	s := Stats{ByRelation: map[string]int{}}
	err := db.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM clusters),
		(SELECT COUNT(*) FROM clusters WHERE size > 1), (SELECT COUNT(*) FROM variants),
		(SELECT COUNT(*) FROM imports), (SELECT COUNT(*) FROM rejections)`).
		Scan(&s.Articles, &s.Clusters, &s.MultiClusters, &s.Duplicates, &s.Imports, &s.Rejections)
	if err != nil {
		return s, fmt.Errorf("stats: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT relation, COUNT(*) FROM variants GROUP BY relation ORDER BY relation`)
	if err != nil {
		return s, fmt.Errorf("stats: %w", err)
	}
	for rows.Next() {
		var rel string
		var n int
		if err := rows.Scan(&rel, &n); err != nil {
			rows.Close()
			return s, err
		}
		s.ByRelation[rel] = n
	}
	rows.Close()
	rows, err = db.db.QueryContext(ctx, `SELECT a.source, COUNT(*), COUNT(v.article_id)
		FROM articles a LEFT JOIN variants v ON v.article_id = a.id GROUP BY a.source ORDER BY COUNT(*) DESC, a.source`)
	if err != nil {
		return s, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var src SourceStats
		if err := rows.Scan(&src.Source, &src.Articles, &src.Duplicates); err != nil {
			return s, err
		}
		s.BySource = append(s.BySource, src)
	}
	return s, rows.Err()
}

// Import is the record of one import.
type Import struct {
	ID         int64
	StartedAt  string
	FinishedAt string
	Status     string
	Inputs     []string
	Settings   Settings // without the rules' text
	Counts     Counts
	Rejections []Rejection
}

// Imports returns every import, newest first, with its rejections.
func (db *DB) Imports(ctx context.Context) ([]Import, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, started_at, COALESCE(finished_at, ''), status, inputs, params, counts
		FROM imports ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	var out []Import
	for rows.Next() {
		var im Import
		var inputs, params, counts string
		if err := rows.Scan(&im.ID, &im.StartedAt, &im.FinishedAt, &im.Status, &inputs, &params, &counts); err != nil {
			rows.Close()
			return nil, err
		}
		err := json.Unmarshal([]byte(inputs), &im.Inputs)
		if err == nil {
			im.Settings, err = decodeSettings(params)
		}
		if err == nil {
			// Counts recorded before Counts was typed carry the same keys
			// (and rejections, which are rows of their own).
			err = json.Unmarshal([]byte(counts), &im.Counts)
		}
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("import %d: %w", im.ID, err)
		}
		out = append(out, im)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		rs, err := db.db.QueryContext(ctx, `SELECT ref, reason FROM rejections WHERE import_id = ? ORDER BY rowid`, out[i].ID)
		if err != nil {
			return nil, err
		}
		for rs.Next() {
			var r Rejection
			if err := rs.Scan(&r.Ref, &r.Reason); err != nil {
				rs.Close()
				return nil, err
			}
			out[i].Rejections = append(out[i].Rejections, r)
		}
		rs.Close()
	}
	return out, nil
}
