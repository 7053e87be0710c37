package dedupe

import (
	"math/rand"
	"strings"
	"testing"
)

// applyOps checks that ops turn a into b.
func applyOps[T comparable](t *testing.T, a, b []T, ops []diffOp) {
	t.Helper()
	var got []T
	i, j := 0, 0
	for _, op := range ops {
		switch op {
		case opEqual:
			if a[i] != b[j] {
				t.Fatalf("equal step at a[%d]=%v, b[%d]=%v", i, a[i], j, b[j])
			}
			got = append(got, a[i])
			i++
			j++
		case opDelete:
			i++
		case opInsert:
			got = append(got, b[j])
			j++
		}
	}
	if i != len(a) || j != len(b) || len(got) != len(b) {
		t.Fatalf("script consumed a[:%d] of %d and b[:%d] of %d", i, len(a), j, len(b))
	}
}

// lcsLen is the textbook dynamic programme, to check that Myers' script is
// shortest.
func lcsLen(a, b []byte) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func TestDiffOpsShortest(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for range 500 {
		a := make([]byte, rng.Intn(30))
		b := make([]byte, rng.Intn(30))
		for i := range a {
			a[i] = "abc"[rng.Intn(3)]
		}
		for i := range b {
			b[i] = "abc"[rng.Intn(3)]
		}
		ops, ok := diffOps(a, b, 1000)
		if !ok {
			t.Fatalf("diffOps(%q, %q) gave up", a, b)
		}
		applyOps(t, a, b, ops)
		edits := 0
		for _, op := range ops {
			if op != opEqual {
				edits++
			}
		}
		if want := len(a) + len(b) - 2*lcsLen(a, b); edits != want {
			t.Errorf("diffOps(%q, %q): %d edits, want %d", a, b, edits, want)
		}
	}
}

func TestDiffOpsLimit(t *testing.T) {
	a := []byte(strings.Repeat("a", 100))
	b := []byte(strings.Repeat("b", 100))
	if _, ok := diffOps(a, b, 50); ok {
		t.Error("diffOps of 200 edits with a limit of 50 succeeded")
	}
	if ops, ok := diffOps(a, b, 200); !ok {
		t.Error("diffOps of 200 edits with a limit of 200 gave up")
	} else {
		applyOps(t, a, b, ops)
	}
}

// side renders one side of rows with [-del-] and {+ins+} marks and "|"
// between rows.
func side(rows []DiffRow, left bool) string {
	var parts []string
	for _, r := range rows {
		spans := r.Right
		if left {
			spans = r.Left
		}
		var b strings.Builder
		for _, s := range spans {
			switch s.Op {
			case "del":
				b.WriteString("[-" + s.Text + "-]")
			case "ins":
				b.WriteString("{+" + s.Text + "+}")
			default:
				b.WriteString(s.Text)
			}
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "|")
}

func TestWordDiff(t *testing.T) {
	for _, tc := range []struct {
		name, a, b        string
		left, right       string
		deleted, inserted int
	}{
		{
			name: "identical",
			a:    "One two.\n\nThree.", b: "One two.\n\nThree.",
			left: "One two.|Three.", right: "One two.|Three.",
		},
		{
			name: "a word changed",
			a:    "The rate rose to 4.5 percent on Tuesday.",
			b:    "The rate fell to 4.5 percent on Tuesday.",
			left: "The rate [-rose-] to 4.5 percent on Tuesday.", right: "The rate {+fell+} to 4.5 percent on Tuesday.",
			deleted: 1, inserted: 1,
		},
		{
			name: "paragraph added at the end",
			a:    "First.\n\nSecond.", b: "First.\n\nSecond.\n\nThird one.",
			left: "First.|Second.|", right: "First.|Second.|{+Third one.+}",
			inserted: 2,
		},
		{
			name: "teaser drops paragraphs",
			a:    "Lead.\n\nMiddle part.\n\nEnd.", b: "Lead.\n\nEnd.",
			left: "Lead.|[-Middle part.-]|End.", right: "Lead.||End.",
			deleted: 2,
		},
		{
			name: "non-English words stay whole",
			a:    "Die Brücke über den Fluss.", b: "Die Brücke unter den Fluss.",
			left: "Die Brücke [-über-] den Fluss.", right: "Die Brücke {+unter+} den Fluss.",
			deleted: 1, inserted: 1,
		},
		{
			name: "a stray common word does not chop a rewrite",
			a:    "Alpha beta gamma delta", b: "Epsilon zeta beta eta theta",
			left: "[-Alpha beta gamma delta-]", right: "{+Epsilon zeta beta eta theta+}",
			deleted: 4, inserted: 5,
		},
		{
			name: "markup is just text",
			a:    "Hello <b>world</b>", b: "Hello <i>world</i>",
			left: "Hello <[-b-]>world</[-b-]>", right: "Hello <{+i+}>world</{+i+}>",
			deleted: 2, inserted: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, st := WordDiff(tc.a, tc.b)
			if got := side(rows, true); got != tc.left {
				t.Errorf("left  = %q\nwant    %q", got, tc.left)
			}
			if got := side(rows, false); got != tc.right {
				t.Errorf("right = %q\nwant    %q", got, tc.right)
			}
			if st.Deleted != tc.deleted || st.Inserted != tc.inserted {
				t.Errorf("stats = %+v, want %d deleted, %d inserted", st, tc.deleted, tc.inserted)
			}
		})
	}
}

// TestWordDiffKeepsText checks that each side of the diff spells out its
// text exactly, paragraph by paragraph, whatever the edits.
func TestWordDiffKeepsText(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	words := []string{"alpha", "beta", "gamma", "délta", "4.5", "—", "<script>", "&amp;"}
	gen := func() string {
		var ps []string
		for range 1 + rng.Intn(6) {
			var ws []string
			for range 1 + rng.Intn(12) {
				ws = append(ws, words[rng.Intn(len(words))])
			}
			ps = append(ps, strings.Join(ws, " "))
		}
		return strings.Join(ps, "\n\n")
	}
	for range 300 {
		a, b := gen(), gen()
		rows, _ := WordDiff(a, b)
		var la, lb []string
		for _, r := range rows {
			for _, x := range []struct {
				spans []DiffSpan
				out   *[]string
				skip  string
			}{{r.Left, &la, "ins"}, {r.Right, &lb, "del"}} {
				if x.spans == nil {
					continue
				}
				var s strings.Builder
				for _, sp := range x.spans {
					if sp.Op == x.skip {
						t.Fatalf("%q on the wrong side", sp.Op)
					}
					s.WriteString(sp.Text)
				}
				*x.out = append(*x.out, s.String())
			}
		}
		if got := strings.Join(la, "\n\n"); got != a {
			t.Fatalf("left side %q\nwant %q", got, a)
		}
		if got := strings.Join(lb, "\n\n"); got != b {
			t.Fatalf("right side %q\nwant %q", got, b)
		}
	}
}

// TestWordDiffBounded checks that two long unrelated texts fall back to
// whole paragraphs instead of an expensive word diff.
func TestWordDiffBounded(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	gen := func(prefix string) string {
		var ps []string
		for p := range 400 {
			var ws []string
			for range 60 {
				ws = append(ws, prefix+string(rune('a'+rng.Intn(26))))
			}
			_ = p
			ps = append(ps, strings.Join(ws, " "))
		}
		return strings.Join(ps, "\n\n")
	}
	rows, st := WordDiff(gen("x"), gen("y"))
	if !st.Coarse {
		t.Error("expected a coarse diff")
	}
	if len(rows) != 400 {
		t.Errorf("%d rows, want 400", len(rows))
	}
}

func BenchmarkWordDiff(b *testing.B) {
	rng := rand.New(rand.NewSource(4))
	var ps []string
	for range 200 {
		var ws []string
		for range 40 {
			ws = append(ws, string(rune('a'+rng.Intn(26)))+"x")
		}
		ps = append(ps, strings.Join(ws, " "))
	}
	a := strings.Join(ps, "\n\n")
	// Edit a word in every fifth paragraph.
	for i := 0; i < len(ps); i += 5 {
		ps[i] = "changed " + ps[i]
	}
	c := strings.Join(ps, "\n\n")
	b.SetBytes(int64(len(a) + len(c)))
	b.ReportAllocs()
	for b.Loop() {
		WordDiff(a, c)
	}
}
