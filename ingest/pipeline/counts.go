package pipeline

import (
	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// touched is the set of clusters of two or more articles that an import
// made or changed, by cluster id, with the change the batch in hand
// makes to it until that batch is written.
type touched struct {
	ids     map[int64]bool
	pending []int64 // clusters the batch in hand dissolves, then those it makes, after a 0
}

// count adds to the summary what placing a batch changes in the
// database: every relation the updates write less every relation of the
// stored variants they replace, and the clusters of two or more the
// import has touched. A later batch's article may join, split or take
// over clusters of earlier batches and change the relations of their
// members: counting only a batch's new members counted some duplicates
// twice and some as the wrong kind. Into an empty database the summary
// therefore says what stats says.
func (im *Importer) count(updates []store.ClusterUpdate, dissolve []int64, olds map[int64]store.Variant) {
	add := func(r dedupe.Relation, n int) {
		switch r {
		case dedupe.Exact:
			im.sum.Exact += n
		case dedupe.Near:
			im.sum.Near += n
		case dedupe.Excerpt:
			im.sum.Excerpts += n
		case dedupe.Version:
			im.sum.Versions += n
		}
	}
	for _, v := range olds {
		add(v.Relation, -1)
	}
	t := &im.touched
	if t.ids == nil {
		t.ids = map[int64]bool{}
	}
	n := len(t.ids)
	gone := make(map[int64]bool, len(dissolve))
	for _, c := range dissolve {
		gone[c] = true
		if t.ids[c] {
			n--
		}
	}
	t.pending = append(append(t.pending[:0], dissolve...), 0)
	for _, u := range updates {
		for _, v := range u.Variants {
			add(v.Relation, 1)
		}
		if u.Size < 2 {
			continue
		}
		if !t.ids[u.ID] || gone[u.ID] {
			n++
		}
		t.pending = append(t.pending, u.ID)
	}
	im.sum.ClustersTouched = n
}

// commit applies the change of the batch just written to the set.
func (t *touched) commit() {
	i := 0
	for ; i < len(t.pending) && t.pending[i] != 0; i++ {
		delete(t.ids, t.pending[i])
	}
	for _, c := range t.pending[min(i+1, len(t.pending)):] {
		t.ids[c] = true
	}
	t.pending = t.pending[:0]
}
