package dedupe

import (
	"slices"
	"testing"
)

func TestPassageTable(t *testing.T) {
	var tab passageTable
	if got := tab.appendHolders(nil, 5); got != nil {
		t.Errorf("empty table: holders of 5 = %v", got)
	}
	// Enough entries to grow the table several times; hash 0 is a hash
	// like any other.
	const n = 5000
	for id := range int64(n) {
		tab.add(uint64(id)*0x9e3779b97f4a7c15, id)
		tab.add(uint64(id)*0x9e3779b97f4a7c15, id+n)
	}
	for id := range int64(n) {
		got := tab.appendHolders([]int64{-1}, uint64(id)*0x9e3779b97f4a7c15)
		slices.Sort(got)
		if want := []int64{-1, id, id + n}; !slices.Equal(got, want) {
			t.Fatalf("holders of hash %d = %v, want %v", id, got, want)
		}
	}
	if got := tab.appendHolders(nil, 12345); len(got) != 0 {
		t.Errorf("holders of an absent hash = %v", got)
	}

	// A passage held by MaxPassageFanout documents finds them; one more
	// and it is boilerplate, however many more come.
	const common = 0xfeedfacecafebeef
	for id := range int64(MaxPassageFanout) {
		tab.add(common, 100000+id)
	}
	if got := tab.appendHolders(nil, common); len(got) != MaxPassageFanout {
		t.Errorf("%d holders found, want %d", len(got), MaxPassageFanout)
	}
	before := tab.n
	for id := range int64(1000) {
		tab.add(common, 200000+id)
	}
	if got := tab.appendHolders([]int64{7}, common); !slices.Equal(got, []int64{7}) {
		t.Errorf("boilerplate passage found %d holders, want none", len(got)-1)
	}
	if tab.n != before+1 {
		t.Errorf("boilerplate passage took %d slots, want 1 more than the fanout", tab.n-before+MaxPassageFanout)
	}
}

// BenchmarkPassageTableLoad loads the passages of 100,000 articles (8.4
// each, as in generated corpora), as an import into such a database does.
func BenchmarkPassageTableLoad(b *testing.B) {
	const n = 840000
	hashes := make([]uint64, n)
	for i := range hashes {
		hashes[i] = mix64(uint64(i))
	}
	for b.Loop() {
		var tab passageTable
		tab.reserve(n)
		for i, h := range hashes {
			tab.add(h, int64(i/8))
		}
	}
}
