package pipeline

import (
	"context"
	"maps"
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
// split of the imports. The source, cluster and date of an article are
// read only where learning needs them: for the holders of passages held
// often enough to be site text, and of the site text known.
type siteText struct {
	known  dedupe.SiteText
	ids    []int64 // in id order
	at     []int   // the passages of ids[i] are hashes[at[i]:at[i+1]]
	hashes []uint64
	info   map[int64]holderInfo
	intern map[string]string
	// anyKnown is every source's known site text, made on first use.
	anyKnown map[uint64]bool
}

// holderInfo is what learning reads of an article besides its passages.
type holderInfo struct {
	source    string
	cluster   int64
	published time.Time
}

func newSiteText() *siteText {
	return &siteText{at: []int{0}, info: map[int64]holderInfo{}, intern: map[string]string{}}
}

// add records an article and its passages, and the source of one of this
// import (a stored one's comes with load).
func (st *siteText) add(id int64, source string, passages []uint64) {
	st.ids = append(st.ids, id)
	st.hashes = append(st.hashes, passages...)
	st.at = append(st.at, len(st.hashes))
	if source != "" {
		st.info[id] = holderInfo{source: st.name(source)}
	}
}

func (st *siteText) name(s string) string {
	if n, ok := st.intern[s]; ok {
		return n
	}
	st.intern[s] = s
	return s
}

func (st *siteText) passages(i int) []uint64 { return st.hashes[st.at[i]:st.at[i+1]] }

// holdersOf returns the indexes (into ids) of the articles holding a
// passage that keep says to.
func (st *siteText) holdersOf(keep func(uint64) bool) []int {
	var out []int
	for i := range st.ids {
		if slices.ContainsFunc(st.passages(i), keep) {
			out = append(out, i)
		}
	}
	return out
}

// idsAt returns the ids at indexes is.
func (st *siteText) idsAt(is []int) []int64 {
	out := make([]int64, len(is))
	for k, i := range is {
		out[k] = st.ids[i]
	}
	return out
}

// read reads the source, cluster and date of ids.
func (st *siteText) read(ctx context.Context, db Store, ids []int64) error {
	hs, err := db.Holdings(ctx, ids)
	if err != nil {
		return err
	}
	for id, h := range hs {
		st.info[id] = holderInfo{source: st.name(h.Source), cluster: h.ClusterID, published: publishedTime(h.Published)}
	}
	return nil
}

// load reads the stored site text, and the sources of its holders.
func (st *siteText) load(ctx context.Context, db Store) error {
	var err error
	if st.known, err = db.SiteText(ctx); err != nil || len(st.known) == 0 {
		return err
	}
	return st.read(ctx, db, st.idsAt(st.holdersOf(st.isKnown)))
}

// isKnown reports whether h is site text of some source.
func (st *siteText) isKnown(h uint64) bool {
	if st.anyKnown == nil {
		st.anyKnown = map[uint64]bool{}
		for _, set := range st.known {
			maps.Copy(st.anyKnown, set)
		}
	}
	return st.anyKnown[h]
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
	h, ok := st.info[id]
	if !ok {
		return nil
	}
	i, ok := slices.BinarySearch(st.ids, id)
	if !ok {
		return nil
	}
	return drop(st.known, h.source, st.passages(i))
}

// candidates reads again, and returns, what learning needs of the
// articles that may hold site text: those holding a passage that at
// least dedupe.SiteTextStories articles hold, or site text known.
// Learning from them alone learns what it would from every article.
func (st *siteText) candidates(ctx context.Context, db Store) ([]dedupe.Holder, error) {
	frequent := often(st.hashes, dedupe.SiteTextStories)
	held := st.holdersOf(func(h uint64) bool { return frequent(h) || st.isKnown(h) })
	// Site text is a source's: a passage held often across sources (a
	// syndicated story) is no candidate. The sources of this import's
	// articles are known; the stored ones' are read.
	var unknown []int64
	for _, i := range held {
		if _, ok := st.info[st.ids[i]]; !ok {
			unknown = append(unknown, st.ids[i])
		}
	}
	if err := st.read(ctx, db, unknown); err != nil {
		return nil, err
	}
	type key struct {
		source string
		hash   uint64
	}
	count := map[key]int{}
	for _, i := range held {
		for _, h := range st.passages(i) {
			if frequent(h) {
				count[key{st.info[st.ids[i]].source, h}]++
			}
		}
	}
	held = slices.DeleteFunc(held, func(i int) bool {
		src := st.info[st.ids[i]].source
		return !slices.ContainsFunc(st.passages(i), func(h uint64) bool {
			return count[key{src, h}] >= dedupe.SiteTextStories || st.known[src][h]
		})
	})
	// Their clusters and dates as the import left them.
	if err := st.read(ctx, db, st.idsAt(held)); err != nil {
		return nil, err
	}
	out := make([]dedupe.Holder, 0, len(held))
	for _, i := range held {
		h := st.info[st.ids[i]]
		out = append(out, dedupe.Holder{Source: h.source, Cluster: h.cluster, Published: h.published, Passages: st.passages(i)})
	}
	return out, nil
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
		holders, err := im.st.candidates(ctx, im.db)
		if err != nil {
			return err
		}
		learned := dedupe.LearnSiteText(holders, im.params.DateWindow)
		if learned.Equal(im.st.known) && len(im.redate) == 0 {
			return nil
		}
		if err := im.verifyAgain(ctx, learned); err != nil {
			return err
		}
	}
	return nil
}

// verifyAgain makes learned the site text: it scores again the stored
// pairs whose articles hold what changed, and judges again by the date
// rules those of the texts this import brought copies of (im.redate),
// and places their clusters again, in one batch.
func (im *Importer) verifyAgain(ctx context.Context, learned dedupe.SiteText) error {
	st := im.st
	im.stored = nil // shingled with the site text before
	old := st.known
	st.known, st.anyKnown = learned, nil
	var affected []int64
	for i, id := range st.ids {
		h, ok := st.info[id] // every holder of what changed is
		if !ok {
			continue
		}
		src := h.source
		for _, p := range st.passages(i) {
			if old[src][p] != learned[src][p] {
				affected = append(affected, id)
				break
			}
		}
	}
	for id := range im.redate {
		affected = append(affected, id)
	}
	im.redate = nil
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
	first, err := im.db.EarliestCopies(ctx, compact(ids))
	if err != nil {
		return err
	}
	dated := func(id int64) dedupe.Dated { return dedupe.Dated{Published: publishedTime(first[id])} }
	figures := map[int64][]string{} // an article is in many pairs
	figuresOf := func(id int64) []string {
		f, ok := figures[id]
		if !ok {
			f = dedupe.Figures(texts[id])
			figures[id] = f
		}
		return f
	}
	for _, c := range cands {
		a, b2 := shingles[c.A], shingles[c.B]
		n := c
		n.Jaccard, n.Containment = dedupe.Compare(a, b2)
		n.Shorter, n.Longer = min(len(a), len(b2)), max(len(a), len(b2))
		rel, ok := im.params.ClassifyOrigin(n.Jaccard, n.Containment, n.Shorter, n.Longer, im.origin(nil, ms, c.A, c.B))
		n.SetAside = ""
		if ok {
			// The date rules, as the import applies them, by each text's
			// first publication.
			da, db := dated(c.A), dated(c.B)
			if im.params.NeedFigures(da.Published, db.Published) {
				da.Figures, db.Figures = figuresOf(c.A), figuresOf(c.B)
			}
			n.SetAside = im.params.SetAside(da, db)
		}
		if n.Jaccard == c.Jaccard && n.Containment == c.Containment && n.SetAside == c.SetAside {
			continue
		}
		b.Replace = append(b.Replace, [2]int64{c.A, c.B})
		if max(n.Jaccard, n.Containment) >= dedupe.CandidateFloor {
			b.Candidates = append(b.Candidates, n)
		}
		if ok && n.SetAside == "" {
			b.Links = append(b.Links, dedupe.Pair{A: c.A, B: c.B, Relation: rel, Jaccard: n.Jaccard, Containment: n.Containment})
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

// often returns a test of whether a hash occurs at least n times in
// hashes (n < 256), which may say yes of a few that occur less often: a
// count-min sketch of two byte counters per hash, four counters per hash
// counted. It answers in a few milliseconds where sorting the passages of
// every article took tens, and learning counts exactly what it is given.
func often(hashes []uint64, n int) func(uint64) bool {
	size := 1024
	for size < 4*len(hashes) {
		size *= 2
	}
	mask := uint64(size - 1)
	counts := make([]uint8, size)
	bump := func(i uint64) {
		if counts[i] < 255 {
			counts[i]++
		}
	}
	for _, h := range hashes {
		bump(h & mask)
		bump(h >> 32 & mask)
	}
	return func(h uint64) bool {
		return int(min(counts[h&mask], counts[h>>32&mask])) >= n
	}
}
