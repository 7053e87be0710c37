package pipeline

import "testing"

func TestGCPercent(t *testing.T) {
	const gib = 1 << 30
	for _, c := range []struct {
		live, headroom uint64
		want           int
	}{
		{gib / 4, gib, 400}, // a small heap may grow by the headroom
		{gib, gib, 100},     // at the headroom, the default
		{4 * gib, gib, 100}, // never below the default
		{0, gib, 10000},     // capped: an empty heap is not a reason to stop collecting
		{gib / 100, gib, 10000},
	} {
		if got := gcPercent(c.live, c.headroom); got != c.want {
			t.Errorf("gcPercent(%d, %d) = %d, want %d", c.live, c.headroom, got, c.want)
		}
	}
}
