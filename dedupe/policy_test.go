package dedupe_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
)

func TestChooseCanonical(t *testing.T) {
	long := dedupe.Member{ID: 1, Length: 900, Ref: "full"}
	short := dedupe.Member{ID: 2, Length: 300, Ref: "teaser"}
	mid := dedupe.Member{ID: 3, Length: 600, Ref: "print"}
	cands := []dedupe.Member{short, long, mid}
	for _, tc := range []struct {
		name string
		pins []dedupe.Pin
		want int64
	}{
		{"no pin: the most complete", nil, 1},
		{"a pin wins over completeness", []dedupe.Pin{{ID: 2, Decision: 4}}, 2},
		{"the most recent of two pins", []dedupe.Pin{{ID: 3, Decision: 9}, {ID: 2, Decision: 4}}, 3},
		{"a pin outside the candidates is no pin", []dedupe.Pin{{ID: 77, Decision: 99}}, 1},
	} {
		if got := dedupe.ChooseCanonical(cands, tc.pins).ID; got != tc.want {
			t.Errorf("%s: canonical %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestJoinSeparations: links chain nodes into groups, except across a
// person's split, whichever order the links come in; the strongest link
// of each article is kept either way.
func TestJoinSeparations(t *testing.T) {
	links := []dedupe.Pair{
		{A: 1, B: 2, Relation: dedupe.Near, Jaccard: 0.6},
		{A: 2, B: 3, Relation: dedupe.Near, Jaccard: 0.8},
		{A: 3, B: 4, Relation: dedupe.Excerpt, Jaccard: 0.2},
		{A: 5, B: 6, Relation: dedupe.Exact, Jaccard: 1},
	}
	self := func(id int64) int64 { return id }
	permutations(links, func(ls []dedupe.Pair) {
		groups, best := dedupe.Join(ls, self, nil)
		if got := fmt.Sprint(groups); got != "[[1 2 3 4] [5 6]]" {
			t.Errorf("groups %s, want [[1 2 3 4] [5 6]]", got)
		}
		if best[2].B != 3 || best[4].A != 3 || best[5].Relation != dedupe.Exact {
			t.Errorf("strongest links %v", best)
		}
		// Article 4 was split from 1: the weak link 3-4 must not join
		// them, whatever else chains.
		seps := dedupe.NewSeparations(map[int64][]int64{1: {1}, 2: {2}, 3: {3}, 4: {4}}, map[[2]int64]bool{{1, 4}: true})
		groups, _ = dedupe.Join(ls, self, seps)
		for _, g := range groups {
			if slices.Contains(g, 1) && slices.Contains(g, 4) {
				t.Errorf("order %v: 1 and 4 joined despite a split: %v", ls, groups)
			}
		}
	})
}

func TestRelate(t *testing.T) {
	p := dedupe.DefaultParams()
	canon := make([]uint64, 100)
	for i := range canon {
		canon[i] = uint64(i)
	}
	far := []uint64{500, 501, 502, 503} // shares nothing with canon
	half := canon[:30]                  // an excerpt: contained, Jaccard 0.3
	link := dedupe.Pair{A: 5, B: 9, Relation: dedupe.Near, Jaccard: 0.7, Containment: 0.8}
	for _, tc := range []struct {
		name    string
		same    bool
		sh      []uint64
		ev      dedupe.Evidence
		wantRel dedupe.Relation
		wantVia int64
	}{
		{"same text is exact", true, far, dedupe.Evidence{}, dedupe.Exact, 0},
		{"scores decide first", false, half, dedupe.Evidence{Links: []dedupe.Pair{link}}, dedupe.Excerpt, 0},
		{"below both: the strongest link", false, far, dedupe.Evidence{Links: []dedupe.Pair{
			{A: 5, B: 7, Relation: dedupe.Excerpt, Jaccard: 0.9}, link}}, dedupe.Near, 9},
		{"a link with the canonical explains nothing", false, far, dedupe.Evidence{Links: []dedupe.Pair{
			{A: 1, B: 5, Relation: dedupe.Near, Jaccard: 0.9}}}, dedupe.Near, 0},
		{"else the previous placement", false, far, dedupe.Evidence{Previous: &dedupe.Placement{Relation: dedupe.Excerpt, Via: 12}}, dedupe.Excerpt, 12},
	} {
		pl := p.Relate(5, 1, tc.same, tc.sh, canon, tc.ev)
		if pl.Relation != tc.wantRel || pl.Via != tc.wantVia {
			t.Errorf("%s: %+v, want %s via %d", tc.name, pl, tc.wantRel, tc.wantVia)
		}
	}
}

// TestPlace: near duplicates chain; an excerpt joins its best container
// only; a container holding unrelated excerpts (a live blog) takes none;
// the result does not depend on the order of the links.
func TestPlace(t *testing.T) {
	// 1-2-3: write-thrus of a story (near chain); 4: its teaser.
	// 5-6: a brief and its copy; 7-8: another brief and its copy.
	// 9: a live blog holding both briefs. 10: a post quoting brief 5,
	// contained in the brief and in the live blog that holds it.
	length := map[int64]int{1: 900, 2: 950, 3: 1000, 4: 300, 5: 200, 6: 200, 7: 180, 8: 180, 9: 2000, 10: 100}
	near := func(a, b int64, j float64) dedupe.Pair {
		return dedupe.Pair{A: a, B: b, Relation: dedupe.Near, Jaccard: j, Containment: j}
	}
	excerpt := func(a, b int64, c float64) dedupe.Pair {
		return dedupe.Pair{A: a, B: b, Relation: dedupe.Excerpt, Jaccard: 0.2, Containment: c}
	}
	links := []dedupe.Pair{
		near(1, 2, 0.6), near(2, 3, 0.5),
		excerpt(1, 4, 0.9), excerpt(3, 4, 0.95),
		near(5, 6, 1), near(7, 8, 1),
		excerpt(5, 9, 1), excerpt(7, 9, 1),
		excerpt(9, 10, 0.75), excerpt(5, 10, 0.8),
	}
	want := "[[1 2 3 4] [5 6 10] [7 8]]"
	permutations(links[:8], func(ls []dedupe.Pair) {
		all := append(slices.Clone(ls), links[8:]...)
		groups, best := dedupe.Place(all, nil, func(id int64) int { return length[id] }, nil)
		if got := fmt.Sprint(groups); got != want {
			t.Fatalf("groups %s, want %s (links %v)", got, want, all)
		}
		if best[4].A != 3 || best[10].A != 5 {
			t.Errorf("strongest links: teaser %+v, quote %+v", best[4], best[10])
		}
	})
	// An earlier snapshot of the live blog, holding both briefs too, is a
	// version of it: the live blog takes it, and still no brief.
	snap := append(slices.Clone(links), excerpt(5, 11, 1), excerpt(7, 11, 1), excerpt(9, 11, 0.95))
	length[11] = 1200
	groups, _ := dedupe.Place(snap, nil, func(id int64) int { return length[id] }, nil)
	if got := fmt.Sprint(groups); got != "[[1 2 3 4] [5 6 10] [7 8] [9 11]]" {
		t.Errorf("with a snapshot: %s", got)
	}
	delete(length, 11)
	// A person's merge joins what no link does; a person's split keeps
	// apart what links would join.
	groups, _ = dedupe.Place(links, [][2]int64{{7, 9}}, func(id int64) int { return length[id] }, nil)
	if got := fmt.Sprint(groups); got != "[[1 2 3 4] [5 6 10] [7 8 9]]" {
		t.Errorf("with a merge: %s", got)
	}
	ids := map[int64][]int64{}
	for id := range length {
		ids[id] = []int64{id}
	}
	seps := dedupe.NewSeparations(ids, map[[2]int64]bool{{3, 4}: true})
	groups, _ = dedupe.Place(links, nil, func(id int64) int { return length[id] }, seps)
	if got := fmt.Sprint(groups); got != "[[1 2 3] [5 6 10] [7 8]]" {
		t.Errorf("with the teaser split from 3: %s", got)
	}
}

func TestPlaceStoryWithAnotherBeside(t *testing.T) {
	// 1-2: a wire brief and its copy. 3: a story; 4: a page with brief 1
	// put before story 3, near it. 5: a story, 6: its update with a new
	// lead, 7: a teaser of 5 quoting the lead 6 rewrote.
	length := map[int64]int{1: 180, 2: 180, 3: 1000, 4: 1200, 5: 1000, 6: 1050, 7: 250}
	links := []dedupe.Pair{
		{A: 1, B: 2, Relation: dedupe.Near, Jaccard: 1, Containment: 1},
		{A: 3, B: 4, Relation: dedupe.Near, Jaccard: 0.7, Containment: 0.9},
		{A: 1, B: 4, Relation: dedupe.Excerpt, Jaccard: 0.15, Containment: 1},
		{A: 5, B: 6, Relation: dedupe.Near, Jaccard: 0.6, Containment: 0.75},
		{A: 5, B: 7, Relation: dedupe.Excerpt, Jaccard: 0.25, Containment: 1},
	}
	permutations(links, func(ls []dedupe.Pair) {
		groups, _ := dedupe.Place(ls, nil, func(id int64) int { return length[id] }, nil)
		if got, want := fmt.Sprint(groups), "[[1 2] [3 4] [5 6 7]]"; got != want {
			t.Fatalf("groups %s, want %s", got, want)
		}
	})
}

func TestPlaceVersions(t *testing.T) {
	// 1-2-3: snapshots of one live blog (versions of one page). 4: a brief
	// only the first holds; 5 and 6: briefs the later ones hold. The page
	// holds unrelated briefs, so it is a composite in every snapshot, and
	// takes none of them.
	length := map[int64]int{1: 800, 2: 1200, 3: 1500, 4: 150, 5: 160, 6: 170}
	version := func(a, b int64) dedupe.Pair {
		return dedupe.Pair{A: a, B: b, Relation: dedupe.Version, Jaccard: 0.35, Containment: 0.6}
	}
	excerpt := func(a, b int64) dedupe.Pair {
		return dedupe.Pair{A: a, B: b, Relation: dedupe.Excerpt, Jaccard: 0.1, Containment: 1}
	}
	links := []dedupe.Pair{version(1, 2), version(2, 3), excerpt(1, 4), excerpt(2, 5), excerpt(3, 5), excerpt(3, 6)}
	permutations(links, func(ls []dedupe.Pair) {
		groups, _ := dedupe.Place(ls, nil, func(id int64) int { return length[id] }, nil)
		if got, want := fmt.Sprint(groups), "[[1 2 3]]"; got != want {
			t.Fatalf("groups %s, want %s", got, want)
		}
	})
}

func TestClassifyOrigin(t *testing.T) {
	p := dedupe.DefaultParams()
	for _, c := range []struct {
		o               dedupe.Origin
		j, c            float64
		shorter, longer int
		want            dedupe.Relation
	}{
		{dedupe.SamePage, 0.6, 0.8, 100, 110, dedupe.Version},
		{dedupe.SameSource, 0.6, 0.8, 100, 110, dedupe.Near},
		{dedupe.SamePage, 0.35, 0.6, 100, 110, dedupe.Version},
		{dedupe.SamePage, 0.2, 0.95, 30, 110, dedupe.Version},
		{dedupe.SamePage, 0.2, 0.4, 100, 110, ""},
		{dedupe.SameSource, 0.4, 0.6, 100, 110, dedupe.Version}, // a write-thru
		{dedupe.SameSource, 0.2, 0.95, 30, 110, dedupe.Excerpt}, // a brief inside a longer page
		{dedupe.SameSource, 0.3, 0.5, 100, 110, ""},
		{dedupe.Apart, 0.4, 0.6, 100, 110, ""},
		{dedupe.Apart, 0.2, 0.95, 30, 110, dedupe.Excerpt},
	} {
		got, ok := p.ClassifyOrigin(c.j, c.c, c.shorter, c.longer, c.o)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("ClassifyOrigin(%.2f, %.2f, %d/%d, origin %d) = %q %v, want %q", c.j, c.c, c.shorter, c.longer, c.o, got, ok, c.want)
		}
	}
	at := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		sa, ua string
		ta     time.Time
		sb, ub string
		tb     time.Time
		want   dedupe.Origin
	}{
		{"wire", "u1", at, "wire", "u1", at.Add(100 * time.Hour), dedupe.SamePage},
		{"wire", "u1", at, "wire", "u2", at.Add(3 * time.Hour), dedupe.SameSource},
		{"wire", "", at, "wire", "", at.Add(13 * time.Hour), dedupe.Apart},
		{"wire", "", at, "wire", "", time.Time{}, dedupe.Apart},
		{"wire", "u1", at, "gazette", "u1", at, dedupe.Apart},
		{"", "", at, "", "", at, dedupe.Apart},
	} {
		if got := dedupe.OriginOf(c.sa, c.ua, c.ta, c.sb, c.ub, c.tb); got != c.want {
			t.Errorf("OriginOf(%q %q %v, %q %q %v) = %d, want %d", c.sa, c.ua, c.ta, c.sb, c.ub, c.tb, got, c.want)
		}
	}
}
