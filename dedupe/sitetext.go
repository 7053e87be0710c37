package dedupe

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
)

// Site text is what a source prints on the pages of unrelated stories:
// comment-policy footers, newsletter prompts, related-link blurbs. Left
// in, it makes two short articles of one site share more text than
// their stories do. It is learned from the corpus: a passage (a long
// paragraph, Passages) of a source is site text when it recurs in at
// least SiteTextStories articles of that source that are otherwise
// unrelated. Frequency alone is not enough: the versions of one story on
// one site (updates, re-crawls, snapshots of a live blog) share their
// story's paragraphs too. Two articles are related when they are in one
// cluster and were published within the date window of each other, or
// share a passage that fewer articles of the source hold than the one
// judged (text of their own, not the site's), so the versions of a story
// count once however many there are. The window matters where site text
// chained a site's articles into one cluster before it was learned: they
// are still many stories over the weeks. The clusters are those the
// import made; learning again after placing with what it learned settles
// (see pipeline), and the result depends only on the articles, not their
// order.

// SiteTextStories is the fewest unrelated stories of one source a
// passage must recur in to be site text.
const SiteTextStories = 4

// SiteText is the site text of each source, as passage hashes.
type SiteText map[string]map[uint64]bool

// Holder is what learning site text reads of an article: its source, its
// cluster, its publication time (zero when unknown) and its passages,
// sorted. Exact copies are one holder.
type Holder struct {
	Source    string
	Cluster   int64
	Published time.Time
	Passages  []uint64
}

// entry is a passage of an article (docs[doc]) of a source (sources[src])
// as LearnSiteText sorts them.
type entry struct {
	src  int32
	doc  int32
	hash uint64
}

// LearnSiteText returns the site text of the sources of docs, with window
// the date window (0: the articles of a cluster are one story whatever
// their dates). Articles with no source are left out: they may be any
// site's.
func LearnSiteText(docs []Holder, window time.Duration) SiteText {
	// Most passages are held by one article: only those held by enough
	// articles of any source are sorted by source.
	var all []uint64
	for _, h := range docs {
		if h.Source != "" {
			all = append(all, h.Passages...)
		}
	}
	slices.Sort(all)
	frequent := map[uint64]bool{}
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j] == all[i] {
			j++
		}
		if j-i >= SiteTextStories {
			frequent[all[i]] = true
		}
		i = j
	}
	all = nil
	var sources []string
	index := map[string]int32{}
	var entries []entry
	for d, h := range docs {
		if h.Source == "" {
			continue
		}
		s, ok := index[h.Source]
		if !ok {
			s = int32(len(sources))
			index[h.Source] = s
			sources = append(sources, h.Source)
		}
		for _, p := range h.Passages {
			if frequent[p] {
				entries = append(entries, entry{s, int32(d), p})
			}
		}
	}
	byKey := func(x, y entry) int {
		return cmp.Or(cmp.Compare(x.src, y.src), cmp.Compare(x.hash, y.hash), cmp.Compare(x.doc, y.doc))
	}
	slices.SortFunc(entries, byKey)
	// holders returns the run of entries of (src, hash).
	holders := func(src int32, hash uint64) []entry {
		i, _ := slices.BinarySearchFunc(entries, entry{src, -1, hash}, byKey)
		j := i
		for j < len(entries) && entries[j].src == src && entries[j].hash == hash {
			j++
		}
		return entries[i:j]
	}
	// Site text found is not a holder's own: a site-wide paragraph is
	// site text though the pages holding it share a footer that fewer
	// of them print. Each pass knows what the passes before found; more
	// site text only parts holders, so the passes end, and where they
	// end depends on the articles alone.
	site := map[entry]bool{}    // by source and hash
	parent := map[int64]int64{} // union-find over stories
	find := func(c int64) int64 {
		for parent[c] != c {
			parent[c] = parent[parent[c]]
			c = parent[c]
		}
		return c
	}
	own := map[uint64]int64{} // a holder's own passage: the story of the first holder seen with it
	for {
		var found []entry
		for i := 0; i < len(entries); {
			run := holders(entries[i].src, entries[i].hash)
			i += len(run)
			src, hash := run[0].src, run[0].hash
			if len(run) < SiteTextStories || site[entry{src: src, hash: hash}] {
				continue
			}
			clear(parent)
			clear(own)
			story := stories(docs, run, window)
			for _, c := range story {
				parent[c] = c
			}
			if len(parent) < SiteTextStories {
				continue
			}
			for k, e := range run {
				c := story[k]
				for _, p := range docs[e.doc].Passages {
					if site[entry{src: src, hash: p}] || len(holders(src, p)) >= len(run) {
						continue // the site's, or in this passage's block
					}
					if first, ok := own[p]; ok {
						parent[find(first)] = find(c)
					} else {
						own[p] = c
					}
				}
			}
			n := 0
			for c := range parent {
				if find(c) == c {
					n++
				}
			}
			if n >= SiteTextStories {
				found = append(found, entry{src: src, hash: hash})
			}
		}
		if len(found) == 0 {
			break
		}
		for _, e := range found {
			site[e] = true
		}
	}
	out := SiteText{}
	for e := range site {
		set := out[sources[e.src]]
		if set == nil {
			set = map[uint64]bool{}
			out[sources[e.src]] = set
		}
		set[e.hash] = true
	}
	return out
}

// stories returns the story of each holder of run: its cluster's first
// article (by time) within window before it, as a number, so that the
// articles of one cluster published weeks apart are several stories.
// Holders of unknown date are their cluster's first story.
func stories(docs []Holder, run []entry, window time.Duration) []int64 {
	order := make([]int, len(run))
	for k := range order {
		order[k] = k
	}
	at := func(k int) Holder { return docs[run[k].doc] }
	slices.SortFunc(order, func(x, y int) int {
		a, b := at(x), at(y)
		return cmp.Or(cmp.Compare(a.Cluster, b.Cluster), a.Published.Compare(b.Published), cmp.Compare(run[x].doc, run[y].doc))
	})
	out := make([]int64, len(run))
	var start time.Time
	var story int64
	for i, k := range order {
		h := at(k)
		if i == 0 || h.Cluster != at(order[i-1]).Cluster {
			story, start = int64(run[k].doc), h.Published
		} else if window > 0 && !start.IsZero() && h.Published.Sub(start) > window {
			story, start = int64(run[k].doc), h.Published
		} else if start.IsZero() {
			start = h.Published
		}
		out[k] = story
	}
	return out
}

// Equal reports whether s and t hold the same site text.
func (s SiteText) Equal(t SiteText) bool {
	if len(s) != len(t) {
		return false
	}
	for src, a := range s {
		if b := t[src]; len(a) != len(b) || !maps.Equal(a, b) {
			return false
		}
	}
	return true
}

// ShinglesWithout returns the shingles of text as Fingerprint makes them,
// but for the words of its paragraphs whose passage hash drop holds: the
// shingles that verify a pair and relate it, without its site text. It
// returns nil when nothing is dropped, or when the text is all site text
// (then it is judged by all of it).
func ShinglesWithout(text string, k int, drop map[uint64]bool) *Set {
	if len(drop) == 0 {
		return nil
	}
	toks, breaks := tokenize(withoutCaptions(text), true)
	kept := toks[:0:0]
	start := 0
	dropped := false
	for _, end := range append(breaks, len(toks)) {
		para := toks[start:end]
		start = end
		if len(para) >= MinPassageWords && drop[passageHash(para)] {
			dropped = true
			continue
		}
		kept = append(kept, para...)
	}
	if !dropped || len(kept) < k {
		return nil
	}
	return NewSet(shingleHashes(kept, k))
}

// LeftOut is a paragraph of a text that matching leaves out, and why.
type LeftOut struct {
	Text string
	Why  string // "site text" or "caption"
}

// LeftOutOf returns the paragraphs of a cleaned text that verification
// leaves out: its source's site text (site) and its photo captions (but
// on a gallery page, which is all captions).
func LeftOutOf(text string, site map[uint64]bool) []LeftOut {
	var out []LeftOut
	captions := withoutCaptions(text) != text
	for rest := text; rest != ""; {
		p, more, _ := strings.Cut(rest, "\n\n")
		rest = more
		if captions && IsCaption(p) {
			out = append(out, LeftOut{Text: p, Why: "caption"})
			continue
		}
		if len(site) == 0 {
			continue
		}
		if toks, _ := tokenize(p, true); len(toks) >= MinPassageWords && site[passageHash(toks)] {
			out = append(out, LeftOut{Text: p, Why: "site text"})
		}
	}
	return out
}
