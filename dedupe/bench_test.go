package dedupe_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
)

// benchText returns about 5 KB of generated prose in paragraphs.
func benchText() string {
	g := newTextGen(42)
	var b strings.Builder
	for b.Len() < 5000 {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(g.paragraph(60))
	}
	return b.String()
}

// benchTexts returns 200 texts like benchText, all different: one text
// over and over lets the branch predictor learn its word lengths, which
// it cannot do in an import.
func benchTexts() (texts []string, size int) {
	g := newTextGen(7)
	for range 200 {
		var b strings.Builder
		for b.Len() < 5000 {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(g.paragraph(60))
		}
		texts = append(texts, b.String())
		size += b.Len()
	}
	return texts, size
}

// BenchmarkFingerprint is the shingling an import does for each article.
func BenchmarkFingerprint(b *testing.B) {
	texts, size := benchTexts()
	p := dedupe.DefaultParams()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			dedupe.Fingerprint(t, p.ShingleSize)
		}
	}
}

func BenchmarkShingles(b *testing.B) {
	text := benchText()
	p := dedupe.DefaultParams()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		dedupe.Shingles(text, p.ShingleSize)
	}
}

func BenchmarkSign(b *testing.B) {
	texts, size := benchTexts()
	p := dedupe.DefaultParams()
	// As an import signs them: in text order, before they are sorted.
	var sets [][]uint64
	n := 0
	for _, t := range texts {
		sh, _ := dedupe.Fingerprint(t, p.ShingleSize)
		sets = append(sets, sh.Hashes())
		n += len(sh.Hashes())
	}
	b.SetBytes(int64(size))
	b.ReportMetric(float64(n/len(sets)), "shingles")
	b.ReportAllocs()
	for b.Loop() {
		for _, sh := range sets {
			p.Sign(sh)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x, y := setsWithJaccard(r, 900, interFor(900, 0.5))
	b.SetBytes(int64(8 * (len(x) + len(y))))
	b.ReportAllocs()
	for b.Loop() {
		dedupe.Compare(x, y)
	}
}

func BenchmarkIndexQuery(b *testing.B) {
	p := dedupe.DefaultParams()
	r := rand.New(rand.NewPCG(3, 4))
	const n = 100_000
	ix := dedupe.NewIndex(p)
	sigs := make([][]uint64, n)
	for i := range sigs {
		s := make([]uint64, p.NumHash)
		for j := range s {
			s[j] = uint64(r.Uint32())
		}
		sigs[i] = s
		ix.Add(int64(i+1), s)
	}
	ix.Flush()
	// Queries are half-changed copies of indexed signatures (Jaccard
	// about 0.5), so that most find something.
	queries := make([][]uint64, 1024)
	for i := range queries {
		q := append([]uint64(nil), sigs[r.IntN(n)]...)
		for j := range q {
			if r.IntN(2) == 0 {
				q[j] = uint64(r.Uint32())
			}
		}
		queries[i] = q
	}
	b.ReportAllocs()
	found, i := 0, 0
	for b.Loop() {
		found += len(ix.Query(queries[i%len(queries)]))
		i++
	}
	b.ReportMetric(float64(found)/float64(i), "hits/op")
}

func BenchmarkMatch1000(b *testing.B) {
	p := dedupe.DefaultParams()
	g := newTextGen(7)
	docs := make([]dedupe.Doc, 1000)
	size := 0
	var prev string
	for i := range docs {
		text := strings.Join(g.paragraphs(4, 60), "\n\n")
		if i%5 == 4 { // every fifth a near copy of the one before
			text = g.replaceWords(prev, 6)
		}
		prev = text
		size += len(text)
		docs[i] = makeDoc(p, int64(i+1), text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	pairs := 0
	for b.Loop() {
		m := dedupe.NewMatcher(p)
		ps, err := m.Match(docs)
		if err != nil {
			b.Fatal(err)
		}
		pairs = len(ps)
	}
	if pairs < 200 {
		b.Fatalf("found %d pairs, want at least the 200 planted", pairs)
	}
	b.ReportMetric(float64(pairs), "pairs")
}
