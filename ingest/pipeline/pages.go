package pipeline

import (
	"context"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// versions turns into version links the batch's verified candidates that
// join two versions of one text by their origins (dedupe.OriginOf,
// Params.ClassifyOrigin): one page crawled again as it changed, or one
// source's story filed again within hours. An excerpt link between them
// becomes a version, which chains as near duplicates do.
func (im *Importer) versions(ctx context.Context, pairs []dedupe.Pair, batch map[int64]*prepared) ([]dedupe.Pair, error) {
	// A stored article's origin is read only where the batch's article
	// in the pair has a source.
	var need []int64
	for _, c := range im.cands {
		pa, pb := batch[c.A], batch[c.B]
		switch {
		case pa != nil && pb == nil && pa.art.Source != "":
			need = append(need, c.B)
		case pb != nil && pa == nil && pb.art.Source != "":
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
	var index map[[2]int64]int
	for _, c := range im.cands {
		if batch[c.A] == nil && batch[c.B] == nil {
			continue
		}
		o := im.origin(batch, stored, c.A, c.B)
		if o == dedupe.Apart {
			continue
		}
		rel, ok := im.params.ClassifyOrigin(c.Jaccard, c.Containment, c.Shorter, c.Longer, o)
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

// origin says what the origins of articles a and b are, from the batch or
// from stored members.
func (im *Importer) origin(batch map[int64]*prepared, stored map[int64]store.Member, a, b int64) dedupe.Origin {
	of := func(id int64) (string, string, string) {
		if p := batch[id]; p != nil {
			return p.art.Source, p.art.URL, p.art.Published
		}
		m := stored[id]
		return m.Source, m.URL, m.Published
	}
	sa, ua, pa := of(a)
	sb, ub, pb := of(b)
	if sa == "" || sa != sb {
		return dedupe.Apart // most pairs: no need to read their dates
	}
	return dedupe.OriginOf(sa, ua, publishedTime(pa), sb, ub, publishedTime(pb))
}
