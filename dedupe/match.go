package dedupe

import (
	"cmp"
	"fmt"
	"math/bits"
	"runtime"
	"slices"
	"sync"
)

// Doc is an article as dedupe sees it.
type Doc struct {
	ID       int64
	Shingles *Set     // from Fingerprint, or NewSet(Shingles(...))
	Sig      []uint64 // from Params.Sign
	Passages []uint64 // from Passages
}

// MaxPassageFanout caps how many documents one passage may point at before
// it counts as boilerplate (a site's standard paragraph) and is ignored.
const MaxPassageFanout = 32

// Matcher finds the verified duplicate pairs of new documents among
// themselves and among every document matched before. It owns an Index and
// is not safe for concurrent use.
type Matcher struct {
	p  Params
	ix *Index
	// Lookup returns the shingle sets of earlier documents by id. The
	// matcher keeps only signatures, so verifying a candidate from an
	// earlier batch asks for its shingles again (a store recomputes them
	// from the cleaned text).
	Lookup func(ids []int64) (map[int64][]uint64, error)
	// Scored, when set, is told every candidate pair that was verified,
	// duplicate or not (Relation empty), with the shingle counts of its
	// smaller and larger text: where the rejected pairs lie shows whether a threshold
	// sits in the valley between the two kinds, and the pairs let other
	// thresholds be tried without matching again.
	Scored func(p Pair, shorter, longer int)
	// scans counts the scans of the preloaded documents.
	scans int
	// passages holds the passages of every document matched, and of the
	// preloaded ones once they are indexed.
	passages passageTable
	stored   storedPassages
	recent   recentDocs
	// flushing is how many of the first recent documents the index is
	// building a level of, in the background.
	flushing int
	last     bool // see Last
}

// CandidateFloor is the score (the larger of Jaccard and containment) a
// verified candidate pair must reach to be kept as evidence: below it a
// pair is noise that no threshold worth trying would count.
const CandidateFloor = 0.1

// Last tells the matcher that the next Match is the last of its run. No
// batch will query the index after it, so it gives the index no recent
// documents to build a level of: the largest level of an import, which
// nothing would search.
func (m *Matcher) Last() { m.last = true }

// maxScans is how many batches or probes scan the stored signatures before
// they are indexed. A scan of a million costs about a fortieth of indexing
// them; a few scans keep small imports and single probes cheap, and a
// long import soon pays for the index once.
const maxScans = 8

// storedCandidates returns, for each of sigs, the preloaded documents
// that share an LSH band with it, and for each of the passage hashes the
// preloaded documents holding it: what Query and the passage table do
// not find while the preloaded documents are not indexed; nil once they
// are.
func (m *Matcher) storedCandidates(sigs [][]uint64, passages []uint64) ([][]int64, map[uint64][]int64) {
	if !m.ix.HasStored() && len(m.stored.ids) == 0 {
		return nil, nil
	}
	if m.scans < maxScans {
		m.scans++
		return m.ix.ScanStored(sigs), m.stored.scan(passages)
	}
	m.ix.IndexStored()
	m.stored.load(&m.passages)
	return nil, nil
}

// NewMatcher returns a Matcher with an empty index.
func NewMatcher(p Params) *Matcher {
	return &Matcher{p: p, ix: NewIndex(p)}
}

// Index returns the matcher's index.
func (m *Matcher) Index() *Index { return m.ix }

// Preload adds a stored document, matched by an earlier run: its
// signature to the index (as Index.Preload) and its passages.
func (m *Matcher) Preload(id int64, sig, passages []uint64) {
	m.ix.Preload(id, sig)
	m.stored.add(id, passages)
}

// Reserve makes room for n preloaded documents.
func (m *Matcher) Reserve(n int) {
	m.ix.reserveStored(n)
	m.stored.ids = slices.Grow(m.stored.ids, n)
	m.stored.ends = slices.Grow(m.stored.ends, n)
}

// passageHolders appends to dst the documents holding passage h, from the
// table and from scanned (preloaded ones), unless there are more than
// MaxPassageFanout of them.
func (m *Matcher) passageHolders(dst []int64, h uint64, scanned map[uint64][]int64) []int64 {
	start := len(dst)
	dst = m.passages.appendKept(dst, h)
	dst = append(dst, scanned[h]...)
	if len(dst)-start > MaxPassageFanout {
		return dst[:start]
	}
	return dst
}

// Match indexes a batch of new documents and returns their verified pairs
// with each other and with every earlier document, sorted by (A, B). Every
// document's ID must be larger than the IDs of all earlier documents.
func (m *Matcher) Match(batch []Doc) ([]Pair, error) {
	// Check the whole batch first: a refused batch must leave the index
	// as it was.
	for _, d := range batch {
		if len(d.Sig) < m.p.NumHash {
			return nil, fmt.Errorf("dedupe: document %d has %d hash values, want %d", d.ID, len(d.Sig), m.p.NumHash)
		}
	}
	// The recent documents are indexed when the next batch comes, not
	// when they fill up: after an import's last batch no one queries the
	// index, and building its level would only delay the end.
	m.indexRecent()
	inBatch := make(map[int64]*Doc, len(batch))
	for i := range batch {
		d := &batch[i]
		inBatch[d.ID] = d
	}
	sigs := make([][]uint64, len(batch))
	for i, d := range batch {
		sigs[i] = d.Sig
	}
	var hashes []uint64
	for _, d := range batch {
		hashes = append(hashes, d.Passages...)
	}
	fromStored, scanned := m.storedCandidates(sigs, hashes)
	for _, d := range batch {
		for _, h := range d.Passages {
			m.passages.add(h, d.ID)
		}
	}
	// Querying is read-only: the documents' candidates are found on
	// every core, then gathered in batch order. The index holds neither
	// the batch nor the last batches: candidates among those come from
	// band keys (sameBands), and most queries then need no binary search
	// at all, their keys being in no level's filter.
	found := make([][]int64, len(batch))
	parallel(len(batch), func(i int) {
		d := &batch[i]
		ids := m.ix.Query(d.Sig)
		if fromStored != nil {
			ids = append(ids, fromStored[i]...)
		}
		for _, h := range d.Passages {
			ids = m.passageHolders(ids, h, scanned)
		}
		found[i] = ids
	})
	m.sameBands(batch, found)
	parallel(len(batch), func(i int) {
		slices.Sort(found[i])
		found[i] = slices.Compact(found[i])
		if len(found[i]) > MaxCandidates {
			found[i] = m.closest(&batch[i], found[i], inBatch)
		}
	})
	type cand struct{ a, b int64 }
	var cands []cand
	var earlier []int64
	for i, d := range batch {
		for _, c := range found[i] {
			// Each pair once, from its later member.
			if c >= d.ID {
				continue
			}
			cands = append(cands, cand{c, d.ID})
			if inBatch[c] == nil {
				earlier = append(earlier, c)
			}
		}
	}
	stored := map[int64][]uint64{}
	if len(earlier) > 0 {
		slices.Sort(earlier)
		earlier = slices.Compact(earlier)
		if m.Lookup == nil {
			return nil, fmt.Errorf("dedupe: %d candidates from earlier batches and no Lookup", len(earlier))
		}
		var err error
		if stored, err = m.Lookup(earlier); err != nil {
			return nil, err
		}
	}
	shingles := func(id int64) []uint64 {
		if d := inBatch[id]; d != nil {
			return d.Shingles.Sorted()
		}
		return stored[id]
	}

	scored := make([]Pair, len(cands))
	dup := make([]bool, len(cands))
	shorter := make([]int, len(cands))
	longer := make([]int, len(cands))
	parallel(len(cands), func(i int) {
		c := cands[i]
		sa, sb := shingles(c.a), shingles(c.b)
		scored[i], dup[i] = m.score(c.a, c.b, sa, sb)
		shorter[i], longer[i] = min(len(sa), len(sb)), max(len(sa), len(sb))
	})
	var pairs []Pair
	for i, p := range scored {
		if m.Scored != nil {
			m.Scored(p, shorter[i], longer[i])
		}
		if dup[i] {
			pairs = append(pairs, p)
		}
	}
	slices.SortFunc(pairs, func(x, y Pair) int {
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return pairs, nil
}

// MaxCandidates bounds the candidates one document is verified against.
// Text that every article of a corpus carries (a site's navigation the
// cleaning rules do not know) makes every pair a candidate, and the
// verified pairs grow with the square of the corpus: past the bound a
// document is verified against the MaxCandidates its signature is
// closest to. Below it, which is every corpus measured, nothing changes.
var MaxCandidates = 1000 // a variable for tests

// closest returns the MaxCandidates of ids whose signatures agree with
// d's in the most values (the estimated Jaccard), the smaller id first
// among equals; an id whose signature is not at hand counts as closest.
func (m *Matcher) closest(d *Doc, ids []int64, inBatch map[int64]*Doc) []int64 {
	agree := make([]int, len(ids))
	for k, id := range ids {
		switch {
		case inBatch[id] != nil:
			for j, v := range inBatch[id].Sig[:m.p.NumHash] {
				if uint16(v) == uint16(d.Sig[j]) {
					agree[k]++
				}
			}
		default:
			s := m.recentSig(id)
			if s == nil {
				s = m.ix.sig16(id)
			}
			if s == nil {
				agree[k] = m.p.NumHash + 1
				continue
			}
			for j, v := range s {
				if v == uint16(d.Sig[j]) {
					agree[k]++
				}
			}
		}
	}
	order := make([]int, len(ids))
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(x, y int) int { return cmp.Or(cmp.Compare(agree[y], agree[x]), cmp.Compare(ids[x], ids[y])) })
	out := make([]int64, MaxCandidates)
	for k := range out {
		out[k] = ids[order[k]]
	}
	slices.Sort(out)
	return out
}

// recentSig returns the 16-bit signature of recent document id, nil when
// it is not recent.
func (m *Matcher) recentSig(id int64) []uint16 {
	i, ok := slices.BinarySearch(m.recent.ids, id)
	if !ok {
		return nil
	}
	s := make([]uint16, m.p.NumHash)
	for j, v := range m.recent.sigs[i][:m.p.NumHash] {
		s[j] = uint16(v)
	}
	return s
}

// recentDocs are the documents of the last batches, matched but not yet
// in the index: a batch finds them by band keys, as it finds its own
// members (sameBands), and they go into the index together. One level
// built of recentMax documents instead of one a batch saves the index
// the first merges (about two of every signature's five rebuilds with
// batches of 5,000), and a batch's Flush, on the matcher's goroutine.
type recentDocs struct {
	ids  []int64
	sigs [][]uint64
	keys []uint64 // bands per document: bandKeys mixed with the band number
}

// recentMax is how many documents wait in recentDocs before they are
// indexed; sorting their keys with each batch's costs little.
var recentMax = 20000 // a variable for tests

// indexRecent hands the recent documents to the index when there are
// recentMax of them, and lets go of the ones it has indexed. The index
// builds their level in the background, and until it is in place they
// stay recent, where sameBands finds them.
func (m *Matcher) indexRecent() {
	if m.flushing > 0 && m.ix.Flushed() {
		m.recent.drop(m.flushing, m.ix.bands)
		m.flushing = 0
	}
	if m.flushing == 0 && !m.last && len(m.recent.ids) >= recentMax {
		for i, id := range m.recent.ids {
			m.ix.Add(id, m.recent.sigs[i])
		}
		m.ix.FlushBackground()
		m.flushing = len(m.recent.ids)
	}
}

// flushRecent puts every recent document into the index now.
func (m *Matcher) flushRecent() {
	for i, id := range m.recent.ids[m.flushing:] {
		m.ix.Add(id, m.recent.sigs[m.flushing+i])
	}
	m.ix.Flush() // waits for the flush in the background, if any
	m.recent = recentDocs{}
	m.flushing = 0
}

// drop forgets the first n documents.
func (r *recentDocs) drop(n, bands int) {
	r.ids = slices.Clone(r.ids[n:])
	r.sigs = slices.Clone(r.sigs[n:])
	r.keys = slices.Clone(r.keys[n*bands:])
}

// sameBands appends to found[i] the other documents of the batch, and the
// recent documents, that share an LSH band with batch[i]: what a query of
// the index would find of them once it holds them (the keys of a band are
// equal exactly when minhash-lsh puts two signatures in the same bucket; a
// collision of the 64-bit keys only adds a candidate, which is verified).
// It then adds the batch to the recent documents, which Match indexes
// when it finds recentMax of them.
func (m *Matcher) sameBands(batch []Doc, found [][]int64) {
	// One sortable value a (document, band): the bucket's key, with the
	// band mixed in (keys of different bands may be equal; the filters do
	// not mind), in the high bits and the document's place in the low
	// ones, recent documents first. Cutting the key to 64-idxBits bits
	// only adds candidates, and rarely: about once in 30,000 batches with
	// 20,000 recent documents.
	r := &m.recent
	nRecent := len(r.ids)
	idxBits := bits.Len(uint(nRecent + len(batch)))
	q := make([]uint16, m.p.NumHash)
	var keys []uint64
	for _, d := range batch {
		for j := range q {
			q[j] = uint16(d.Sig[j])
		}
		keys = m.ix.bandKeys(keys[:0], q)
		for b, k := range keys {
			r.keys = append(r.keys, mix64(k+uint64(b)))
		}
		r.ids = append(r.ids, d.ID)
		r.sigs = append(r.sigs, d.Sig)
	}
	members := make([]uint64, len(r.keys))
	for i, k := range r.keys {
		members[i] = k>>idxBits<<idxBits | uint64(i/m.ix.bands)
	}
	// Uniform high bits, no two values equal: what sortHashes is for (a
	// bucket crowded by many copies falls back to sorting).
	members = sortHashes(members)
	mask := uint64(1)<<idxBits - 1
	for start := 0; start < len(members); {
		end := start + 1
		for end < len(members) && members[end]&^mask == members[start]&^mask {
			end++
		}
		if end-start > 1 {
			for _, a := range members[start:end] {
				if int(a&mask) < nRecent {
					continue // pairs of recent documents were found before
				}
				for _, b := range members[start:end] {
					if a != b {
						found[int(a&mask)-nRecent] = append(found[int(a&mask)-nRecent], r.ids[b&mask])
					}
				}
			}
		}
		start = end
	}
}

// parallel calls f(0) to f(n-1) on every core, in chunks.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+63)/64)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * n / workers; i < (w+1)*n/workers; i++ {
				f(i)
			}
		})
	}
	wg.Wait()
}

// verify scores a candidate pair on its shingle sets and classifies it.
func (m *Matcher) verify(a, b int64, sa, sb []uint64) (Pair, bool) {
	p, ok := m.score(a, b, sa, sb)
	if m.Scored != nil {
		m.Scored(p, min(len(sa), len(sb)), max(len(sa), len(sb)))
	}
	return p, ok
}

// score is verify without telling Scored, safe to run on many goroutines.
func (m *Matcher) score(a, b int64, sa, sb []uint64) (Pair, bool) {
	j, ct := Compare(sa, sb)
	rel, ok := m.p.Classify(j, ct, min(len(sa), len(sb)), max(len(sa), len(sb)))
	return Pair{A: a, B: b, Relation: rel, Jaccard: j, Containment: ct}, ok
}

// Probe returns the verified pairs of d with the documents matched before,
// without adding d to anything: the question "what does this text
// duplicate?". Pair.B is d.ID, which needs no other meaning.
func (m *Matcher) Probe(d Doc) ([]Pair, error) {
	if len(d.Sig) < m.p.NumHash {
		return nil, fmt.Errorf("dedupe: document has %d hash values, want %d", len(d.Sig), m.p.NumHash)
	}
	// First: it may index the stored signatures, which Query then finds.
	m.flushRecent()
	fromStored, scanned := m.storedCandidates([][]uint64{d.Sig}, d.Passages)
	ids := m.ix.Query(d.Sig)
	if fromStored != nil {
		ids = append(ids, fromStored[0]...)
	}
	for _, h := range d.Passages {
		ids = m.passageHolders(ids, h, scanned)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	if m.Lookup == nil {
		return nil, fmt.Errorf("dedupe: %d candidates and no Lookup", len(ids))
	}
	stored, err := m.Lookup(ids)
	if err != nil {
		return nil, err
	}
	var pairs []Pair
	for _, id := range ids {
		if p, ok := m.verify(id, d.ID, stored[id], d.Shingles.Sorted()); ok {
			pairs = append(pairs, p)
		}
	}
	return pairs, nil
}
