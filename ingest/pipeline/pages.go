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
	page := func(p *prepared) string { return store.PageKey(p.art.Source, p.art.URL) }
	// Most candidates join two pages, seen at once where both articles are
	// in the batch; a stored one's page is read only when the batch's
	// article has a URL.
	var need []int64
	for _, c := range im.cands {
		pa, pb := batch[c.A], batch[c.B]
		switch {
		case pa != nil && pb == nil && pa.art.URL != "":
			need = append(need, c.B)
		case pb != nil && pa == nil && pb.art.URL != "":
			need = append(need, c.A)
		}
	}
	var stored map[int64]store.Member
	if len(need) > 0 {
		var err error
		if stored, err = im.db.Members(ctx, compact(need)); err != nil {
			return nil, err
		}
	}
	pageOf := func(id int64) string {
		if p := batch[id]; p != nil {
			return page(p)
		}
		return stored[id].Page
	}
	var index map[[2]int64]int
	for _, c := range im.cands {
		pa, pb := batch[c.A], batch[c.B]
		if pa == nil && pb == nil {
			continue
		}
		if pa != nil && pb != nil && (pa.art.URL == "" || pa.art.URL != pb.art.URL || pa.art.Source != pb.art.Source) {
			continue
		}
		if a := pageOf(c.A); a == "" || a != pageOf(c.B) {
			continue
		}
		rel, ok := im.params.ClassifyPage(c.Jaccard, c.Containment, c.Shorter, c.Longer)
		if !ok || rel != dedupe.Version {
			continue
		}
		if index == nil {
			index = make(map[[2]int64]int, len(pairs))
			for i, p := range pairs {
				index[[2]int64{p.A, p.B}] = i
			}
		}
		if i, ok := index[[2]int64{c.A, c.B}]; ok {
			pairs[i].Relation = dedupe.Version
			continue
		}
		pairs = append(pairs, dedupe.Pair{A: c.A, B: c.B, Relation: dedupe.Version, Jaccard: c.Jaccard, Containment: c.Containment})
	}
	return pairs, nil
}
