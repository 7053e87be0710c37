package pipeline

import (
	"context"
	"slices"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// maxComponent bounds how many stored articles placing a batch reads: the
// clusters its links touch and, link by link, every cluster linked to
// them. Past it the component is placed from what was read, which keeps a
// batch's cost bounded where weak links tie up a huge part of a corpus.
const maxComponent = 50000

// place computes the new state of every cluster the batch's links touch.
// The clusters are placed again as a whole, by dedupe.Place over every
// link among their articles: a new article may take a stored excerpt to a
// better container, or show that a stored page is a composite, so stored
// clusters may split as well as merge. It returns the new clusters (every
// member of a dissolved cluster is in one) and the stored clusters they
// replace.
func (im *Importer) place(ctx context.Context, batch map[int64]*prepared, links []dedupe.Pair) ([]store.ClusterUpdate, []int64, error) {
	if len(links) == 0 && im.again == nil {
		return nil, nil, nil
	}
	stored, all, err := im.component(ctx, batch, links)
	if err != nil {
		return nil, nil, err
	}
	var storedIDs []int64
	for id := range stored {
		storedIDs = append(storedIDs, id)
	}
	slices.Sort(storedIDs)
	info, err := im.db.Members(ctx, storedIDs)
	if err != nil {
		return nil, nil, err
	}
	member := func(id int64) dedupe.Member {
		if p := batch[id]; p != nil {
			return dedupe.Member{ID: id, Length: p.length, Published: p.art.Published, Ref: p.art.Ref}
		}
		return info[id].Member
	}
	// A person's decisions: separations, merges and pins.
	var seps *dedupe.Separations
	if none, err := im.db.NoSeparations(ctx); err != nil {
		return nil, nil, err
	} else if !none {
		apart, err := im.db.Separated(ctx, storedIDs)
		if err != nil {
			return nil, nil, err
		}
		nodes := make(map[int64][]int64, len(stored)+len(batch))
		for id := range stored {
			nodes[id] = []int64{id}
		}
		for id := range batch {
			nodes[id] = []int64{id}
		}
		seps = dedupe.NewSeparations(nodes, apart)
	}
	joins, err := im.db.Joins(ctx, storedIDs)
	if err != nil {
		return nil, nil, err
	}
	joins = slices.DeleteFunc(joins, func(j [2]int64) bool { return !stored[j[0]] || !stored[j[1]] })
	pins, err := im.db.PinsOf(ctx, storedIDs)
	if err != nil {
		return nil, nil, err
	}
	groups, strongest := dedupe.Place(all, joins, func(id int64) int { return member(id).Length }, seps)

	olds, err := im.db.VariantsOf(ctx, storedIDs)
	if err != nil {
		return nil, nil, err
	}
	oldCluster := func(id int64) int64 { return info[id].ClusterID }
	var oldIDs []int64
	for _, id := range storedIDs {
		oldIDs = append(oldIDs, oldCluster(id))
	}
	heads, err := im.db.ClusterHeads(ctx, compact(oldIDs))
	if err != nil {
		return nil, nil, err
	}
	type plan struct {
		group   []int64
		canon   int64
		rescore []int64
	}
	var plans []plan
	grouped := map[int64]bool{}
	var need []int64 // stored articles whose shingles scoring reads
	for _, g := range groups {
		cands := make([]dedupe.Member, len(g))
		for i, id := range g {
			cands[i] = member(id)
			grouped[id] = true
		}
		pl := plan{group: g, canon: dedupe.ChooseCanonical(cands, pins).ID}
		inGroup := func(id int64) bool { _, ok := slices.BinarySearch(g, id); return ok }
		for _, id := range g {
			if id == pl.canon {
				continue
			}
			// A stored member keeps its placement while its canonical and
			// the member it came via stay; the others are scored again,
			// and all of them after site text changed.
			if o, ok := olds[id]; ok && batch[id] == nil && im.again == nil && heads[oldCluster(id)].CanonicalID == pl.canon && (o.Via == 0 || inGroup(o.Via)) {
				continue
			}
			pl.rescore = append(pl.rescore, id)
		}
		if len(pl.rescore) > 0 {
			for _, id := range append(slices.Clone(pl.rescore), pl.canon) {
				if batch[id] == nil {
					need = append(need, id)
				}
			}
		}
		plans = append(plans, pl)
	}
	sd, err := im.storedForScoring(ctx, compact(need))
	if err != nil {
		return nil, nil, err
	}
	dissolve := map[int64]bool{}
	for id := range stored {
		dissolve[oldCluster(id)] = true
	}
	var updates []store.ClusterUpdate
	for _, pl := range plans {
		u := store.ClusterUpdate{ID: pl.group[0], CanonicalID: pl.canon, Size: len(pl.group)}
		inGroup := func(id int64) bool { _, ok := slices.BinarySearch(pl.group, id); return ok }
		scored := map[int64]store.Variant{}
		for _, v := range im.rescore(batch, sd, pl.canon, pl.rescore, strongest, olds, inGroup) {
			scored[v.ArticleID] = v
		}
		for _, id := range pl.group {
			if id == pl.canon {
				continue
			}
			v, ok := scored[id]
			if !ok {
				v = olds[id] // kept as it was
				v.ArticleID = id
			}
			u.Variants = append(u.Variants, v)
		}
		updates = append(updates, u)
	}
	// Stored articles that no group holds are singletons again.
	for _, id := range storedIDs {
		if !grouped[id] {
			updates = append(updates, store.ClusterUpdate{ID: id, CanonicalID: id, Size: 1})
		}
	}
	gone := slices.Sorted(func(yield func(int64) bool) {
		for c := range dissolve {
			if !yield(c) {
				return
			}
		}
	})
	im.count(updates, gone, olds)
	return updates, gone, nil
}

// rescore returns how each of ids relates to the canonical, by the policy
// (dedupe.Params.Relate). A member below both thresholds is explained by
// its evidence: its strongest link inside the group, else its previous
// placement while the member it came via is still in the group.
func (im *Importer) rescore(batch map[int64]*prepared, sd scoringData, canon int64, ids []int64, strongest map[int64]dedupe.Pair, olds map[int64]store.Variant, inGroup func(int64) bool) []store.Variant {
	if len(ids) == 0 {
		return nil
	}
	get := func(id int64) (sh []uint64, hash string) {
		if p := batch[id]; p != nil {
			return p.shingles.Sorted(), p.hash
		}
		return sd.shingles[id], sd.info[id].ContentHash
	}
	cs, ch := get(canon)
	vs := make([]store.Variant, 0, len(ids))
	for _, id := range ids {
		sh, h := get(id)
		var ev dedupe.Evidence
		if l, ok := strongest[id]; ok && inGroup(l.A) && inGroup(l.B) {
			ev.Links = []dedupe.Pair{l}
		}
		if o, ok := olds[id]; ok && o.Via != 0 && inGroup(o.Via) {
			ev.Previous = &dedupe.Placement{Relation: o.Relation, Via: o.Via}
		}
		pl := im.params.Relate(id, canon, h == ch, sh, cs, ev)
		vs = append(vs, store.Variant{ArticleID: id, Relation: pl.Relation, Jaccard: pl.Jaccard, Containment: pl.Containment, Via: pl.Via})
	}
	return vs
}

// component returns the stored articles of the clusters the links touch
// and of every cluster linked to those, transitively (up to maxComponent
// articles), and every link among them and the batch.
func (im *Importer) component(ctx context.Context, batch map[int64]*prepared, links []dedupe.Pair) (map[int64]bool, []dedupe.Pair, error) {
	stored := map[int64]bool{}
	var frontier []int64
	for _, l := range links {
		for _, id := range []int64{l.A, l.B} {
			if batch[id] == nil && !stored[id] {
				stored[id] = true
				frontier = append(frontier, id)
			}
		}
	}
	if im.again != nil {
		for _, id := range im.again.seeds {
			if !stored[id] {
				stored[id] = true
				frontier = append(frontier, id)
			}
		}
	}
	clusters := map[int64]bool{}
	for len(frontier) > 0 {
		if len(clusters) > 0 && len(stored) >= maxComponent {
			// Only whole clusters are placed: the articles reached last
			// stay where they are.
			for _, id := range frontier {
				delete(stored, id)
			}
			break
		}
		// The whole clusters of the frontier's articles.
		ms, err := im.db.Members(ctx, compact(frontier))
		if err != nil {
			return nil, nil, err
		}
		var newClusters []int64
		for _, m := range ms {
			if !clusters[m.ClusterID] {
				clusters[m.ClusterID] = true
				newClusters = append(newClusters, m.ClusterID)
			}
		}
		byCluster, err := im.db.ClusterMemberIDs(ctx, compact(newClusters))
		if err != nil {
			return nil, nil, err
		}
		var added []int64
		for _, ids := range byCluster {
			for _, id := range ids {
				if !stored[id] {
					stored[id] = true
					added = append(added, id)
				}
			}
		}
		// Then the articles their links reach.
		reach, err := im.db.LinksAmong(ctx, compact(append(added, frontier...)))
		if err != nil {
			return nil, nil, err
		}
		frontier = frontier[:0]
		for _, l := range reach {
			for _, id := range []int64{l.A, l.B} {
				if !stored[id] {
					stored[id] = true
					frontier = append(frontier, id)
				}
			}
		}
	}
	ids := make([]int64, 0, len(stored))
	for id := range stored {
		ids = append(ids, id)
	}
	storedLinks, err := im.db.LinksAmong(ctx, compact(ids))
	if err != nil {
		return nil, nil, err
	}
	all := slices.Clone(links)
	for _, l := range storedLinks {
		if im.again != nil && im.again.replaced[[2]int64{l.A, l.B}] {
			continue // scored anew: links holds what is left of it
		}
		if stored[l.A] && stored[l.B] {
			all = append(all, l)
		}
	}
	return stored, all, nil
}
