package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
)

// ErrRefused is returned, wrapped, when a curation decision makes no sense
// for the clusters as they are: splitting off every member, merging a
// cluster with itself, moving an article that is not in the cluster.
var ErrRefused = errors.New("store: decision refused")

// Curation is who takes a decision and why, and the parameters that score
// the members of the clusters it changes against their canonical.
type Curation struct {
	By, Why string
	// Params gives the shingle size (the database's) and the near and
	// excerpt thresholds (the latest import's) that name each variant's
	// relation.
	Params dedupe.Params
}

// ClusterState is a cluster as a decision left it.
type ClusterState struct {
	ID          int64 `json:"id"`
	CanonicalID int64 `json:"canonical_id"`
	Size        int   `json:"size"`
}

// Decision is the record of one curation decision.
type Decision struct {
	ID         int64
	At         string
	By, Why    string
	Kind       string // split, merge or canonical
	ClusterID  int64  // the cluster acted on (merge: the first)
	OtherID    int64  // merge: the second cluster
	ArticleIDs []int64
	Clusters   []ClusterState // what the decision left
}

// SplitCluster moves articles out of cluster clusterID into a cluster of
// their own, and records that no import may join any of them with any
// remaining member again. Both parts get their canonical (a pinned one if
// a member is pinned, else the most complete) and their variant rows
// anew; a part keeps as id its smallest member's. Whether each part is
// still connected by verified pairs is the person's business.
func (db *DB) SplitCluster(ctx context.Context, clusterID int64, articles []int64, c Curation) (Decision, error) {
	d := Decision{Kind: "split", ClusterID: clusterID, ArticleIDs: sortedIDs(articles)}
	err := db.curate(ctx, c, &d, func(tx *sql.Tx) ([][]int64, error) {
		members, err := clusterMembers(ctx, tx, clusterID)
		if err != nil {
			return nil, err
		}
		if len(d.ArticleIDs) == 0 {
			return nil, fmt.Errorf("split cluster %d: no articles named: %w", clusterID, ErrRefused)
		}
		for _, id := range d.ArticleIDs {
			if !slices.Contains(members, id) {
				return nil, fmt.Errorf("split cluster %d: article %d is not in it: %w", clusterID, id, ErrRefused)
			}
		}
		rest := slices.DeleteFunc(slices.Clone(members), func(id int64) bool { return slices.Contains(d.ArticleIDs, id) })
		if len(rest) == 0 {
			return nil, fmt.Errorf("split cluster %d: every member would move, leaving nothing: %w", clusterID, ErrRefused)
		}
		var pairs [][]any
		for _, m := range d.ArticleIDs {
			for _, r := range rest {
				pairs = append(pairs, []any{min(m, r), max(m, r), d.ID})
			}
		}
		if err := insertRows(ctx, tx, `INSERT OR REPLACE INTO separations (a, b, decision_id) VALUES `, pairs); err != nil {
			return nil, fmt.Errorf("split cluster %d: record separations: %w", clusterID, err)
		}
		return [][]int64{rest, d.ArticleIDs}, nil
	})
	return d, err
}

// MergeClusters joins cluster b into cluster a, as one cluster with the
// smallest member id as its id. Separations a split recorded between the
// two clusters' members are lifted: the person changed their mind. When
// both clusters have a pinned canonical, a's stays pinned and b's is
// unpinned.
func (db *DB) MergeClusters(ctx context.Context, a, b int64, c Curation) (Decision, error) {
	d := Decision{Kind: "merge", ClusterID: a, OtherID: b}
	err := db.curate(ctx, c, &d, func(tx *sql.Tx) ([][]int64, error) {
		if a == b {
			return nil, fmt.Errorf("merge cluster %d with itself: %w", a, ErrRefused)
		}
		ma, err := clusterMembers(ctx, tx, a)
		if err != nil {
			return nil, err
		}
		mb, err := clusterMembers(ctx, tx, b)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM separations
			WHERE a IN (SELECT id FROM articles WHERE cluster_id IN (?, ?))
			AND b IN (SELECT id FROM articles WHERE cluster_id IN (?, ?))`, a, b, a, b); err != nil {
			return nil, fmt.Errorf("merge clusters %d and %d: lift separations: %w", a, b, err)
		}
		// An import that places these articles again keeps them together.
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO joins (a, b, decision_id) VALUES (?, ?, ?)`,
			min(ma[0], mb[0]), max(ma[0], mb[0]), d.ID); err != nil {
			return nil, fmt.Errorf("merge clusters %d and %d: record: %w", a, b, err)
		}
		if pa, err := pinsAmong(ctx, tx, ma); err != nil {
			return nil, err
		} else if len(pa) > 0 {
			for _, y := range mb {
				if _, err := tx.ExecContext(ctx, `DELETE FROM pinned WHERE article_id = ?`, y); err != nil {
					return nil, fmt.Errorf("merge clusters %d and %d: unpin: %w", a, b, err)
				}
			}
		}
		return [][]int64{append(ma, mb...)}, nil
	})
	return d, err
}

// SetCanonical makes an article the canonical of its cluster and pins it
// there: later imports and decisions keep it canonical (of whatever
// cluster it is in) however complete the other members are.
func (db *DB) SetCanonical(ctx context.Context, article int64, c Curation) (Decision, error) {
	d := Decision{Kind: "canonical", ArticleIDs: []int64{article}}
	err := db.curate(ctx, c, &d, func(tx *sql.Tx) ([][]int64, error) {
		if err := tx.QueryRowContext(ctx, `SELECT cluster_id FROM articles WHERE id = ?`, article).Scan(&d.ClusterID); errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("article %d: %w", article, ErrNotFound)
		} else if err != nil {
			return nil, fmt.Errorf("article %d: %w", article, err)
		}
		members, err := clusterMembers(ctx, tx, d.ClusterID)
		if err != nil {
			return nil, err
		}
		// One pin per cluster: the new one replaces the others.
		for _, id := range members {
			if _, err := tx.ExecContext(ctx, `DELETE FROM pinned WHERE article_id = ?`, id); err != nil {
				return nil, fmt.Errorf("pin %d: %w", article, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO pinned (article_id, decision_id) VALUES (?, ?)`, article, d.ID); err != nil {
			return nil, fmt.Errorf("pin %d: %w", article, err)
		}
		return [][]int64{members}, nil
	})
	return d, err
}

// curate runs one decision in a transaction: it records the decision,
// lets change do its part and return the member sets of the clusters to
// rebuild, rebuilds them and stores what they became.
func (db *DB) curate(ctx context.Context, c Curation, d *Decision, change func(*sql.Tx) ([][]int64, error)) error {
	if c.Params.ShingleSize < 1 {
		return fmt.Errorf("%s: no shingle size given", d.Kind)
	}
	d.At, d.By, d.Why = db.Now().UTC().Format(time.RFC3339), c.By, c.Why
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", d.Kind, err)
	}
	defer tx.Rollback()
	ids, _ := json.Marshal(nonNil(d.ArticleIDs))
	var other any
	if d.OtherID != 0 {
		other = d.OtherID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO decisions (at, "by", why, kind, cluster_id, other_id, article_ids) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.At, d.By, d.Why, d.Kind, d.ClusterID, other, string(ids))
	if err != nil {
		return fmt.Errorf("%s: record decision: %w", d.Kind, err)
	}
	if d.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if err := nextGeneration(ctx, tx, 0); err != nil {
		return fmt.Errorf("%s: %w", d.Kind, err)
	}
	parts, err := change(tx)
	if err != nil {
		return err
	}
	// The canonical (set) decision knows its cluster only now.
	if _, err := tx.ExecContext(ctx, `UPDATE decisions SET cluster_id = ? WHERE id = ?`, d.ClusterID, d.ID); err != nil {
		return fmt.Errorf("%s: %w", d.Kind, err)
	}
	d.Clusters, err = rebuild(ctx, tx, c.Params, parts)
	if err != nil {
		return fmt.Errorf("%s: %w", d.Kind, err)
	}
	out, _ := json.Marshal(d.Clusters)
	if _, err := tx.ExecContext(ctx, `UPDATE decisions SET result = ? WHERE id = ?`, string(out), d.ID); err != nil {
		return fmt.Errorf("%s: %w", d.Kind, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", d.Kind, err)
	}
	return nil
}

// clusterMembers returns a cluster's member ids in increasing order, or
// ErrNotFound.
func clusterMembers(ctx context.Context, tx *sql.Tx, clusterID int64) ([]int64, error) {
	ids, err := memberIDs(ctx, tx, clusterID)
	if err == nil && len(ids) == 0 {
		err = fmt.Errorf("cluster %d: %w", clusterID, ErrNotFound)
	}
	return ids, err
}

// pinsAmong returns the pins of those of ids that are pinned.
func pinsAmong(ctx context.Context, tx *sql.Tx, ids []int64) ([]dedupe.Pin, error) {
	var pins []dedupe.Pin
	for _, id := range ids {
		var d int64
		switch err := tx.QueryRowContext(ctx, `SELECT decision_id FROM pinned WHERE article_id = ?`, id).Scan(&d); {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, fmt.Errorf("pinned: %w", err)
		default:
			pins = append(pins, dedupe.Pin{ID: id, Decision: d})
		}
	}
	return pins, nil
}

// rebuild makes each member set one cluster: id, canonical, size and
// variant rows, the way an import would (exact by content hash, else near
// or excerpt by the scores against the canonical), replacing the clusters
// the members were in.
func rebuild(ctx context.Context, tx *sql.Tx, p dedupe.Params, parts [][]int64) ([]ClusterState, error) {
	var all []int64
	for _, part := range parts {
		all = append(all, part...)
	}
	type member struct {
		dedupe.Member
		hash, text string
	}
	info := make(map[int64]member, len(all))
	old := make(map[int64]bool) // the clusters the members are in now
	for _, id := range all {
		var m member
		var cluster int64
		err := tx.QueryRowContext(ctx, `SELECT id, length, published, ref, content_hash, text, cluster_id FROM articles WHERE id = ?`, id).
			Scan(&m.ID, &m.Length, &m.Published, &m.Ref, &m.hash, &m.text, &cluster)
		if err != nil {
			return nil, fmt.Errorf("article %d: %w", id, err)
		}
		info[id], old[cluster] = m, true
	}
	var importID int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM imports`).Scan(&importID); err != nil {
		return nil, err
	}
	// Variant rows point at clusters: they go first, the clusters next.
	for _, id := range all {
		if _, err := tx.ExecContext(ctx, `DELETE FROM variants WHERE article_id = ?`, id); err != nil {
			return nil, fmt.Errorf("variants of %d: %w", id, err)
		}
	}
	for c := range old {
		if _, err := tx.ExecContext(ctx, `DELETE FROM clusters WHERE id = ?`, c); err != nil {
			return nil, fmt.Errorf("cluster %d: %w", c, err)
		}
	}

	var out []ClusterState
	for _, part := range parts {
		part = sortedIDs(part)
		pins, err := pinsAmong(ctx, tx, part)
		if err != nil {
			return nil, err
		}
		ms := make([]dedupe.Member, len(part))
		for i, id := range part {
			ms[i] = info[id].Member
		}
		pin := dedupe.ChooseCanonical(ms, pins).ID
		st := ClusterState{ID: part[0], CanonicalID: pin, Size: len(part)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO clusters (id, canonical_id, size, updated_import) VALUES (?, ?, ?, ?)`,
			st.ID, st.CanonicalID, st.Size, importID); err != nil {
			return nil, fmt.Errorf("cluster %d: %w", st.ID, err)
		}
		canon := info[st.CanonicalID]
		cs := dedupe.Shingles(canon.text, p.ShingleSize)
		for _, id := range part {
			if _, err := tx.ExecContext(ctx, `UPDATE articles SET cluster_id = ? WHERE id = ?`, st.ID, id); err != nil {
				return nil, fmt.Errorf("article %d: %w", id, err)
			}
			if id == st.CanonicalID {
				continue
			}
			links, err := linksWithin(ctx, tx, id, part)
			if err != nil {
				return nil, err
			}
			v := p.Relate(id, st.CanonicalID, info[id].hash == canon.hash, dedupe.Shingles(info[id].text, p.ShingleSize), cs, dedupe.Evidence{Links: links})
			var via any
			if v.Via != 0 {
				via = v.Via
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO variants (article_id, cluster_id, canonical_id, relation, jaccard, containment, via_id)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, id, st.ID, st.CanonicalID, string(v.Relation), v.Jaccard, v.Containment, via); err != nil {
				return nil, fmt.Errorf("variant %d: %w", id, err)
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// linksWithin returns the verified links of article id with the other
// members of part.
func linksWithin(ctx context.Context, tx *sql.Tx, id int64, part []int64) ([]dedupe.Pair, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a, b, relation, jaccard, containment FROM links WHERE a = ? OR b = ?`, id, id)
	if err != nil {
		return nil, fmt.Errorf("links of %d: %w", id, err)
	}
	defer rows.Close()
	var out []dedupe.Pair
	for rows.Next() {
		var l dedupe.Pair
		if err := rows.Scan(&l.A, &l.B, &l.Relation, &l.Jaccard, &l.Containment); err != nil {
			return nil, err
		}
		if slices.Contains(part, l.A+l.B-id) {
			out = append(out, l)
		}
	}
	return out, rows.Err()
}

// Separated returns the pairs of articles, lower id first, that a split
// separated and of which at least one is among ids: pairs among ids and
// pairs of one of ids with any other article. An import must not put the
// two articles of a returned pair in one cluster.
func (db *DB) Separated(ctx context.Context, ids []int64) (map[[2]int64]bool, error) {
	out := make(map[[2]int64]bool)
	scan := func(r *sql.Rows) error {
		var p [2]int64
		err := r.Scan(&p[0], &p[1])
		out[p] = true
		return err
	}
	// Two lookups, each by an index: separations' key leads with a, and
	// separations_b covers b.
	for _, q := range []string{
		`SELECT a, b FROM separations WHERE a IN (%s)`,
		`SELECT a, b FROM separations WHERE b IN (%s)`,
	} {
		if err := inChunks(ctx, db, q, ids, scan); err != nil {
			return nil, fmt.Errorf("separated: %w", err)
		}
	}
	return out, nil
}

// Decisions returns every curation decision, newest first.
func (db *DB) Decisions(ctx context.Context) ([]Decision, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, at, "by", why, kind, cluster_id, COALESCE(other_id, 0), article_ids, result
		FROM decisions ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var ids, res string
		if err := rows.Scan(&d.ID, &d.At, &d.By, &d.Why, &d.Kind, &d.ClusterID, &d.OtherID, &ids, &res); err != nil {
			return nil, fmt.Errorf("decisions: %w", err)
		}
		if err := json.Unmarshal([]byte(ids), &d.ArticleIDs); err != nil {
			return nil, fmt.Errorf("decision %d: article ids: %w", d.ID, err)
		}
		if err := json.Unmarshal([]byte(res), &d.Clusters); err != nil {
			return nil, fmt.Errorf("decision %d: result: %w", d.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func sortedIDs(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
