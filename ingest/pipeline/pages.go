package pipeline

import (
	"context"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// versions adds to the batch's pairs the verified candidates that join
// two articles of one page (the same source and URL) and are its versions
// (dedupe.Params.ClassifyPage): a page crawled again as it changed, such
// as a live blog whose older entries roll off. An excerpt link between
// them becomes a version, which chains as near duplicates do.
func (im *Importer) versions(ctx context.Context, pairs []dedupe.Pair, batch map[int64]*prepared) ([]dedupe.Pair, error) {
	page := map[int64]string{}
	var need []int64
	for _, c := range im.cands {
		pa, pb := batch[c.A], batch[c.B]
		if pa == nil && pb == nil {
			continue
		}
		for _, p := range []struct {
			id int64
			p  *prepared
		}{{c.A, pa}, {c.B, pb}} {
			if p.p != nil {
				page[p.id] = store.PageKey(p.p.art.Source, p.p.art.URL)
			} else if _, ok := page[p.id]; !ok {
				page[p.id] = ""
				need = append(need, p.id)
			}
		}
	}
	if len(need) > 0 {
		ms, err := im.db.Members(ctx, compact(need))
		if err != nil {
			return nil, err
		}
		for id, m := range ms {
			page[id] = m.Page
		}
	}
	index := make(map[[2]int64]int, len(pairs))
	for i, p := range pairs {
		index[[2]int64{p.A, p.B}] = i
	}
	for _, c := range im.cands {
		if pa := page[c.A]; pa == "" || pa != page[c.B] {
			continue
		}
		rel, ok := im.params.ClassifyPage(c.Jaccard, c.Containment, c.Shorter, c.Longer)
		if !ok || rel != dedupe.Version {
			continue
		}
		if i, ok := index[[2]int64{c.A, c.B}]; ok {
			pairs[i].Relation = dedupe.Version
			continue
		}
		pairs = append(pairs, dedupe.Pair{A: c.A, B: c.B, Relation: dedupe.Version, Jaccard: c.Jaccard, Containment: c.Containment})
	}
	return pairs, nil
}
