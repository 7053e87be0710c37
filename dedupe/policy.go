package dedupe

import (
	"cmp"
	"maps"
	"slices"
	"time"
)

// This file is the clustering policy: which verified pairs join clusters,
// which member is a cluster's canonical, and how every other member
// relates to it. The import and a person's decisions both call it; the
// store only persists what it decides.

// Classify names the relation of a verified pair with the given scores,
// where shorter and longer are the shingle counts of its two texts (longer
// 0 when unknown, which passes the length rule). It reports false when the
// pair is not a duplicate. An excerpt is mostly contained in the longer
// text and markedly shorter than it.
func (p Params) Classify(jaccard, containment float64, shorter, longer int) (Relation, bool) {
	switch {
	case jaccard >= p.NearJaccard:
		return Near, true
	case containment >= p.ExcerptContainment && shorter >= p.MinExcerptShingles &&
		(longer == 0 || float64(shorter) <= p.ExcerptMaxRatio*float64(longer)):
		return Excerpt, true
	}
	return "", false
}

// Origin is what two articles' origins say of a verified pair: whether
// they are one page (the same source and URL), or one source's articles
// published within hours of each other.
type Origin int

const (
	Apart      Origin = iota // different sources, far apart, or unknown
	SameSource               // one source, published within VersionWindow
	SamePage                 // one source and URL
)

// VersionWindow is how close in time two articles of one source must be
// published for one to be a version of the other: a wire story's
// write-thrus follow each other by hours.
const VersionWindow = 12 * time.Hour

// OriginOf says what the origins of two articles are: source, URL and
// publication time (zero when unknown) of each.
func OriginOf(sourceA, urlA string, atA time.Time, sourceB, urlB string, atB time.Time) Origin {
	switch {
	case sourceA != sourceB:
		return Apart
	case urlA != "" && urlA == urlB:
		return SamePage
	case sourceA != "" && !atA.IsZero() && !atB.IsZero() && atA.Sub(atB).Abs() <= VersionWindow:
		return SameSource
	}
	return Apart
}

// Scores at which two articles of one origin are versions of one text.
const (
	pageVersionScore         = 0.5  // the larger of Jaccard and containment, one page
	sourceVersionContainment = 0.55 // containment, one source within hours
)

// ClassifyOrigin is Classify for a pair whose origins say o. One page
// crawled again is a version of itself when much of it stays (a live
// blog whose older entries roll off, an article rewritten in place); one
// source's story filed again within hours at about its length, keeping
// most of its text, is a version too (successive write-thrus, whose
// neighbours may share a third of their shingles and no more). Between
// two pages such a pair is nothing, or an excerpt, which does not chain;
// versions chain as near duplicates do. Two near duplicates of one page
// are its versions too, so that a page is one page (a composite when one
// of its versions is); of one source, they are near duplicates.
func (p Params) ClassifyOrigin(jaccard, containment float64, shorter, longer int, o Origin) (Relation, bool) {
	if o == SamePage {
		if max(jaccard, containment) >= pageVersionScore {
			return Version, true
		}
		return "", false
	}
	if jaccard >= p.NearJaccard {
		return Near, true
	}
	switch o {
	case SameSource:
		if containment >= sourceVersionContainment && float64(shorter) >= p.ExcerptMaxRatio*float64(longer) {
			return Version, true
		}
	}
	return p.Classify(jaccard, containment, shorter, longer)
}

// Member is what choosing a canonical needs to know of an article.
type Member struct {
	ID        int64
	Length    int    // runes of cleaned text
	Published string // RFC 3339 or empty when unknown
	Ref       string
}

// MoreComplete reports whether a is a better canonical than b: the longer
// cleaned text, then the earlier publication (known before unknown), then
// the smaller ref, then the smaller id.
func MoreComplete(a, b Member) bool {
	return compareMembers(a, b) < 0
}

func compareMembers(a, b Member) int {
	if c := cmp.Compare(b.Length, a.Length); c != 0 {
		return c
	}
	switch {
	case a.Published != "" && b.Published == "":
		return -1
	case a.Published == "" && b.Published != "":
		return 1
	}
	if c := cmp.Compare(a.Published, b.Published); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Ref, b.Ref); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// Canonical returns the most complete of members, which must not be empty.
func Canonical(members []Member) Member {
	return slices.MinFunc(members, compareMembers)
}

// Pin is a canonical a person set (canonical set), with the decision that
// set it: decisions are numbered in the order they were taken.
type Pin struct {
	ID       int64 // the pinned article
	Decision int64
}

// ChooseCanonical returns the canonical of a cluster whose candidates are
// cands (which must not be empty): a pinned one if any of pins is among
// them, the most recently pinned of several (a person's latest word wins),
// else the most complete candidate.
func ChooseCanonical(cands []Member, pins []Pin) Member {
	var best Pin
	for _, p := range pins {
		if p.Decision > best.Decision && slices.ContainsFunc(cands, func(m Member) bool { return m.ID == p.ID }) {
			best = p
		}
	}
	if best.ID != 0 {
		i := slices.IndexFunc(cands, func(m Member) bool { return m.ID == best.ID })
		return cands[i]
	}
	return Canonical(cands)
}

// Stronger reports whether link a explains a duplicate better than b:
// exact before near before version before excerpt, then the higher
// Jaccard.
func Stronger(a, b Pair) bool {
	if ra, rb := relationRank(a.Relation), relationRank(b.Relation); ra != rb {
		return ra > rb
	}
	return a.Jaccard > b.Jaccard
}

func relationRank(r Relation) int {
	switch r {
	case Exact:
		return 4
	case Near:
		return 3
	case Version:
		return 2
	case Excerpt:
		return 1
	}
	return 0
}

// Separations are the splits a person made, as they concern the groups
// being joined: the members of each group and the articles they were
// separated from, keyed by the group's node. A nil *Separations allows
// every join.
type Separations struct {
	members map[int64][]int64
	against map[int64]map[int64]bool
}

// NewSeparations returns the separations of groups: members holds each
// group's member ids by node, and apart the separated pairs of articles.
func NewSeparations(members map[int64][]int64, apart map[[2]int64]bool) *Separations {
	s := &Separations{members: members, against: map[int64]map[int64]bool{}}
	groupOf := map[int64]int64{}
	for g, ms := range members {
		for _, m := range ms {
			groupOf[m] = g
		}
	}
	for p := range apart {
		for _, x := range [][2]int64{{p[0], p[1]}, {p[1], p[0]}} {
			if g, ok := groupOf[x[0]]; ok {
				if s.against[g] == nil {
					s.against[g] = map[int64]bool{}
				}
				s.against[g][x[1]] = true
			}
		}
	}
	return s
}

func (s *Separations) conflict(ra, rb int64) bool {
	if s == nil {
		return false
	}
	for _, m := range s.members[rb] {
		if s.against[ra][m] {
			return true
		}
	}
	return false
}

func (s *Separations) merge(ra, rb, root int64) {
	if s == nil || ra == rb {
		return
	}
	members := append(s.members[ra], s.members[rb]...)
	against := s.against[ra]
	if against == nil {
		against = make(map[int64]bool)
	}
	for id := range s.against[rb] {
		against[id] = true
	}
	delete(s.members, ra)
	delete(s.members, rb)
	delete(s.against, ra)
	delete(s.against, rb)
	s.members[root], s.against[root] = members, against
}

// Join groups the nodes that links connect: node maps an article to the
// node that stands for it (a stored article stands for its cluster), and
// a link never joins two groups that seps keeps apart (the link stays
// evidence, the clusters stay separate). Every link joins: near duplicates
// chain, as successive versions of a story do. It returns the groups of
// two or more nodes, each sorted, ordered by smallest node, and the
// strongest link of every article.
func Join(links []Pair, node func(int64) int64, seps *Separations) (groups [][]int64, strongest map[int64]Pair) {
	uf := NewUnionFind()
	strongest = make(map[int64]Pair)
	for _, l := range links {
		ra, rb := uf.Find(node(l.A)), uf.Find(node(l.B))
		if ra != rb && seps.conflict(ra, rb) {
			continue
		}
		uf.Union(ra, rb)
		seps.merge(ra, rb, uf.Find(ra))
		for _, id := range []int64{l.A, l.B} {
			if Stronger(l, strongest[id]) {
				strongest[id] = l
			}
		}
	}
	return uf.Groups(), strongest
}

// Placement is how a member relates to its cluster's canonical.
type Placement struct {
	Relation    Relation
	Jaccard     float64
	Containment float64
	Via         int64 // the member it was matched with, when not the canonical
}

// Evidence is what explains a member that its scores against the
// canonical do not: the member's verified links with other members (the
// strongest is taken), else the placement it had before.
type Evidence struct {
	Links    []Pair
	Previous *Placement
}

// Relate places member id in the cluster of canonical canon: exact when
// their cleaned texts are the same (sameText), else named by its scores
// against the canonical (sh and cs are their sorted shingles). A member
// below both thresholds was joined through another member or by a
// person's merge: it takes the relation of its evidence, with Via naming
// that member, or with no evidence the relation whose threshold its scores
// come nearer to.
func (p Params) Relate(id, canon int64, sameText bool, sh, cs []uint64, ev Evidence) Placement {
	if sameText {
		return Placement{Relation: Exact, Jaccard: 1, Containment: 1}
	}
	var pl Placement
	pl.Jaccard, pl.Containment = Compare(sh, cs)
	if rel, ok := p.Classify(pl.Jaccard, pl.Containment, min(len(sh), len(cs)), max(len(sh), len(cs))); ok {
		pl.Relation = rel
		return pl
	}
	var best Pair
	for _, l := range ev.Links {
		// A version of the canonical's page is one by its link to it,
		// which its scores alone do not show.
		if other := l.A + l.B - id; (other != canon || l.Relation == Version) && (l.A == id || l.B == id) && Stronger(l, best) {
			best = l
		}
	}
	switch {
	case best.Relation != "":
		pl.Relation = best.Relation
		if via := best.A + best.B - id; via != canon {
			pl.Via = via
		}
	case ev.Previous != nil:
		pl.Relation, pl.Via = ev.Previous.Relation, ev.Previous.Via
	default:
		pl.Relation = Excerpt
		if pl.Jaccard/p.NearJaccard >= pl.Containment/p.ExcerptContainment {
			pl.Relation = Near
		}
	}
	return pl
}

// Verified is a verified pair as an import kept it: its scores, the
// shingle count of its smaller text, and whether the two texts are the
// same (found by content hash).
type Verified struct {
	A, B        int64
	Jaccard     float64
	Containment float64
	Shorter     int // shingles of the smaller text
	Longer      int // of the larger, 0 when unknown
	Same        bool
	SetAside    string // why the import kept it apart (Params.SetAside)
}

// Cluster returns the clusters this policy makes of the evidence under p,
// as the cluster (its smallest member) of every article in a cluster of
// two or more: the import's clusters when p is the import's parameters,
// leaving aside a person's decisions. It lets other thresholds be tried
// on stored evidence without importing again. origin says what the
// origins of two articles are (OriginOf).
func (p Params) Cluster(ev []Verified, length func(int64) int, origin func(a, b int64) Origin) map[int64]int64 {
	var links []Pair
	for _, e := range ev {
		if e.SetAside != "" {
			continue
		}
		if e.Same {
			links = append(links, Pair{A: e.A, B: e.B, Relation: Exact, Jaccard: 1, Containment: 1})
		} else if rel, ok := p.ClassifyOrigin(e.Jaccard, e.Containment, e.Shorter, e.Longer, origin(e.A, e.B)); ok {
			links = append(links, Pair{A: e.A, B: e.B, Relation: rel, Jaccard: e.Jaccard, Containment: e.Containment})
		}
	}
	groups, _ := Place(links, nil, length, nil)
	out := make(map[int64]int64)
	for _, g := range groups {
		for _, id := range g {
			out[id] = g[0]
		}
	}
	return out
}

// maxExcerptGroups is how many groups of excerpts one container may hold
// before it counts as a composite without looking further: a page that
// contains that many different texts is an aggregator.
const maxExcerptGroups = 64

// Place decides the clusters of a set of articles from the verified links
// among them. Near duplicates (and exact copies) chain: successive
// versions of a story are linked only through their neighbours. An
// excerpt does not chain: the group of near duplicates it belongs to
// joins the group of its best container only (highest containment, then
// Jaccard), so a short page contained in several unrelated articles (a
// quote, a brief, a gallery) bridges none of them. A container that holds
// excerpts of several groups with no link between them other than through
// it is not one article but a composite (a live blog, an aggregator, a
// topic page, a wire item placed before another story) and takes none of
// them, but for excerpts that are composites themselves: earlier
// snapshots of one live blog are versions of it. joins are pairs a person merged, joined first; seps
// keeps apart what a person split (its nodes are the articles); length
// tells which text of an excerpt link is the excerpt (the shorter).
//
// The result depends only on the links, not on their order: an import
// places again every cluster its new links touch, with all their links.
func Place(links []Pair, joins [][2]int64, length func(int64) int, seps *Separations) (groups [][]int64, strongest map[int64]Pair) {
	links = slices.Clone(links)
	slices.SortFunc(links, func(x, y Pair) int { return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B)) })
	uf := NewUnionFind()
	strongest = make(map[int64]Pair)
	note := func(l Pair) {
		for _, id := range []int64{l.A, l.B} {
			if Stronger(l, strongest[id]) {
				strongest[id] = l
			}
		}
	}
	union := func(a, b int64) bool {
		ra, rb := uf.Find(a), uf.Find(b)
		if ra == rb {
			return true
		}
		if seps.conflict(ra, rb) || seps.conflict(rb, ra) {
			return false // a person split these apart: the link stays evidence
		}
		uf.Union(ra, rb)
		seps.merge(ra, rb, uf.Find(ra))
		return true
	}
	for _, j := range joins {
		union(j[0], j[1])
	}
	var excerpts []Pair
	for _, l := range links {
		if l.Relation == Excerpt {
			excerpts = append(excerpts, l)
		} else if union(l.A, l.B) {
			note(l)
		}
	}
	// The links between the groups near duplicates made.
	between := map[[2]int64][]Pair{}
	for _, l := range links {
		if ga, gb := uf.Find(l.A), uf.Find(l.B); ga != gb {
			k := [2]int64{min(ga, gb), max(ga, gb)}
			between[k] = append(between[k], l)
		}
	}
	// related reports whether groups a and b are linked other than
	// through article c.
	related := func(a, b, c int64) bool {
		if a == b {
			return true
		}
		for _, l := range between[[2]int64{min(a, b), max(a, b)}] {
			if l.A != c && l.B != c {
				return true
			}
		}
		return false
	}
	type edge struct {
		excerpt, container int64 // the excerpt's group, the container article
		link               Pair
	}
	var edges []edge
	held := map[int64][]int64{} // container article: the groups of the excerpts it holds
	for _, l := range excerpts {
		e, c := l.A, l.B
		if length(e) > length(c) || length(e) == length(c) && e < c {
			e, c = c, e
		}
		if ge := uf.Find(e); !slices.Contains(held[c], ge) {
			held[c] = append(held[c], ge)
		}
		if uf.Find(e) == uf.Find(c) {
			note(l)
			continue
		}
		edges = append(edges, edge{uf.Find(e), c, l})
	}
	// A container holding excerpts of unrelated groups is a composite.
	composite := map[int64]bool{}
	// So is a story with another text put beside it (a wire item placed
	// before another outlet's story): a near duplicate of the container
	// lies nearly inside it and holds nothing of the excerpt's group, and
	// what the container has beyond it is mostly the excerpt. A version
	// that rewrote the lead a teaser quotes is no such thing: it has text
	// of its own.
	if len(edges) > 0 {
		nearOf := map[int64][]Pair{}
		touches := map[int64][]int64{} // article: the groups it links to
		for _, l := range links {
			if l.Relation != Excerpt {
				nearOf[l.A] = append(nearOf[l.A], l)
				nearOf[l.B] = append(nearOf[l.B], l)
			}
			touches[l.A] = append(touches[l.A], uf.Find(l.B))
			touches[l.B] = append(touches[l.B], uf.Find(l.A))
		}
		for _, ed := range edges {
			c := ed.container
			if composite[c] {
				continue
			}
			lc, le := float64(length(c)), float64(length(ed.link.A+ed.link.B-c))
			for _, l := range nearOf[c] {
				n := l.A + l.B - c
				if slices.Contains(touches[n], ed.excerpt) {
					continue
				}
				ln := float64(length(n))
				shared := l.Containment * min(lc, ln)
				if out := lc - shared; 2*(ln-shared) < out && 2*out >= le {
					composite[c] = true
					break
				}
			}
		}
	}
	for c, gs := range held {
		if len(gs) > maxExcerptGroups {
			composite[c] = true
			continue
		}
	pairs:
		for i, a := range gs {
			for _, b := range gs[i+1:] {
				if !related(a, b, c) {
					composite[c] = true
					break pairs
				}
			}
		}
	}
	// The versions of a page are one page: a composite when one is.
	pages := NewUnionFind()
	for _, l := range links {
		if l.Relation == Version {
			pages.Union(l.A, l.B)
		}
	}
	for _, g := range pages.Groups() {
		if slices.ContainsFunc(g, func(id int64) bool { return composite[id] }) {
			for _, id := range g {
				composite[id] = true
			}
		}
	}
	// Each group of excerpts joins its best container that is one article.
	// A composite takes only excerpts that are composites themselves: an
	// earlier snapshot of a live blog is a version of the later one.
	compositeGroup := map[int64]bool{}
	for c := range composite {
		compositeGroup[uf.Find(c)] = true
	}
	best := map[int64]edge{}
	for _, ed := range edges {
		if composite[ed.container] && !compositeGroup[ed.excerpt] {
			continue
		}
		b, ok := best[ed.excerpt]
		if !ok || ed.link.Containment > b.link.Containment ||
			ed.link.Containment == b.link.Containment && (ed.link.Jaccard > b.link.Jaccard ||
				ed.link.Jaccard == b.link.Jaccard && ed.container < b.container) {
			best[ed.excerpt] = ed
		}
	}
	for _, g := range slices.Sorted(maps.Keys(best)) {
		if ed := best[g]; union(ed.excerpt, ed.container) {
			note(ed.link)
		}
	}
	return uf.Groups(), strongest
}
