package pipeline

import (
	"context"
	"slices"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// siteText is what an import knows of site text (dedupe.LearnSiteText):
// what the last import learned, which this one verifies with, and the
// passages of every article with a signature, stored or new, to learn it
// again once every batch is matched. Learning again at the end, from
// everything, and verifying again the pairs whose articles hold what
// changed, is what makes the result independent of the order and the
// split of the imports.
type siteText struct {
	known    dedupe.SiteText
	ids      []int64 // in id order
	sources  []string
	clusters []int64 // as last read: relearn reads them again
	dates    []time.Time
	at       []int // the passages of ids[i] are hashes[at[i]:at[i+1]]
	hashes   []uint64
	intern   map[string]string
}

func newSiteText() *siteText {
	return &siteText{at: []int{0}, intern: map[string]string{}}
}

// add records an article and its passages; the source and cluster of a
// stored one come with load.
func (st *siteText) add(id int64, source string, passages []uint64) {
	st.ids = append(st.ids, id)
	st.hashes = append(st.hashes, passages...)
	st.at = append(st.at, len(st.hashes))
	st.sources = append(st.sources, st.name(source))
	st.clusters = append(st.clusters, id)
	st.dates = append(st.dates, time.Time{})
}

func (st *siteText) name(s string) string {
	if n, ok := st.intern[s]; ok {
		return n
	}
	st.intern[s] = s
	return s
}

func (st *siteText) passages(i int) []uint64 { return st.hashes[st.at[i]:st.at[i+1]] }

// load reads the stored site text and the source and cluster of every
// holder.
func (st *siteText) load(ctx context.Context, db Store) error {
	var err error
	if st.known, err = db.SiteText(ctx); err != nil {
		return err
	}
	return st.readClusters(ctx, db)
}

func (st *siteText) readClusters(ctx context.Context, db Store) error {
	i := 0
	return db.EachSource(ctx, func(id int64, source string, cluster int64, published string) error {
		// Both are in id order; an article signed since is not yet here.
		for i < len(st.ids) && st.ids[i] < id {
			i++
		}
		if i < len(st.ids) && st.ids[i] == id {
			st.sources[i], st.clusters[i], st.dates[i] = st.name(source), cluster, publishedTime(published)
		}
		return nil
	})
}

// drop returns what to leave out of the shingles of an article of source
// holding passages: the source's site text, when it holds some of it.
func drop(known dedupe.SiteText, source string, passages []uint64) map[uint64]bool {
	set := known[source]
	if len(set) == 0 {
		return nil
	}
	for _, p := range passages {
		if set[p] {
			return set
		}
	}
	return nil
}

// dropOf returns what to leave out of the shingles of stored article id.
func (st *siteText) dropOf(id int64) map[uint64]bool {
	i, ok := slices.BinarySearch(st.ids, id)
	if !ok {
		return nil
	}
	return drop(st.known, st.sources[i], st.passages(i))
}

func (st *siteText) holders() []dedupe.Holder {
	out := make([]dedupe.Holder, len(st.ids))
	for i := range st.ids {
		out[i] = dedupe.Holder{Source: st.sources[i], Cluster: st.clusters[i], Published: st.dates[i], Passages: st.passages(i)}
	}
	return out
}

// maxRelearn bounds the rounds of relearn: site text learned from
// clusters that site text changed settles in one or two.
const maxRelearn = 4

// relearn learns site text again from every article, and while it
// changes, verifies again the stored pairs whose articles hold what
// changed and places their clusters again, in one batch with the new
// site text.
func (im *Importer) relearn(ctx context.Context) error {
	for range maxRelearn {
		if err := im.st.readClusters(ctx, im.db); err != nil {
			return err
		}
		learned := dedupe.LearnSiteText(im.st.holders(), im.params.DateWindow)
		if learned.Equal(im.st.known) {
			return nil
		}
		if err := im.verifyAgain(ctx, learned); err != nil {
			return err
		}
	}
	return nil
}

// verifyAgain makes learned the site text: it scores again the stored
// pairs whose articles hold what changed, and places their clusters
// again, in one batch.
func (im *Importer) verifyAgain(ctx context.Context, learned dedupe.SiteText) error {
	st := im.st
	im.stored = nil // shingled with the site text before
	old := st.known
	st.known = learned
	var affected []int64
	for i, id := range st.ids {
		src := st.sources[i]
		for _, p := range st.passages(i) {
			if old[src][p] != learned[src][p] {
				affected = append(affected, id)
				break
			}
		}
	}
	b := &store.Batch{ImportID: im.id, SiteText: learned}
	cands, err := im.db.CandidatesTouching(ctx, affected)
	if err != nil {
		return err
	}
	var ids []int64
	for _, c := range cands {
		ids = append(ids, c.A, c.B)
	}
	texts, err := im.db.Texts(ctx, compact(ids))
	if err != nil {
		return err
	}
	shingles := shingleTexts(texts, im.params.ShingleSize, st.dropOf)
	ms, err := im.db.Members(ctx, compact(ids))
	if err != nil {
		return err
	}
	for _, c := range cands {
		a, b2 := shingles[c.A], shingles[c.B]
		j, cont := dedupe.Compare(a, b2)
		if j == c.Jaccard && cont == c.Containment {
			continue
		}
		n := c
		n.Jaccard, n.Containment = j, cont
		n.Shorter, n.Longer = min(len(a), len(b2)), max(len(a), len(b2))
		b.Replace = append(b.Replace, [2]int64{c.A, c.B})
		if max(j, cont) >= dedupe.CandidateFloor {
			b.Candidates = append(b.Candidates, n)
		}
		if n.SetAside != "" {
			continue
		}
		classify := im.params.Classify
		if pa := ms[c.A].Page; pa != "" && pa == ms[c.B].Page {
			classify = im.params.ClassifyPage
		}
		if rel, ok := classify(j, cont, n.Shorter, n.Longer); ok {
			b.Links = append(b.Links, dedupe.Pair{A: c.A, B: c.B, Relation: rel, Jaccard: j, Containment: cont})
		}
	}
	if len(b.Replace) == 0 {
		return im.w.Write(ctx, b)
	}
	im.again = &again{replaced: map[[2]int64]bool{}}
	for _, p := range b.Replace {
		im.again.replaced[p] = true
		im.again.seeds = append(im.again.seeds, p[0], p[1])
	}
	defer func() { im.again = nil }()
	before := im.sum
	if b.Generation, err = im.db.ClusterGeneration(ctx); err != nil {
		return err
	}
	byID := map[int64]*prepared{}
	if b.Clusters, b.Dissolve, err = im.place(ctx, byID, b.Links); err != nil {
		return err
	}
	sum := im.sum.clone()
	b.Counts = sum.Counts
	im.write(ctx, &flight{b: b, byID: byID, placed: placedSince(before, im.sum), sum: sum})
	return im.wait()
}

// again is what placing clusters again after learning site text needs:
// the articles of the pairs scored anew, and those pairs, whose stored
// links are replaced.
type again struct {
	seeds    []int64
	replaced map[[2]int64]bool
}
