package pipeline

import (
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup/store"
)

func TestSeenDigests(t *testing.T) {
	var none *seenDigests
	keys := []store.Key{{Ref: "a", RawHash: "1"}, {Ref: "a", RawHash: "2"}, {Ref: "b", RawHash: "1"}}
	hashes := []string{"1", "2"}
	if got := none.keysSeen(keys); !slices.Equal(got, keys) {
		t.Errorf("nil: keys seen %v, want all", got)
	}
	if got := none.hashesSeen(hashes); !slices.Equal(got, hashes) {
		t.Errorf("nil: hashes seen %v, want all", got)
	}
	none.add(&store.Article{Ref: "a"}) // records nothing, and does not panic

	s := newSeenDigests()
	s.add(&store.Article{Ref: "a", RawHash: "2", ContentHash: "2"})
	if got, want := s.keysSeen(keys), keys[1:2]; !slices.Equal(got, want) {
		t.Errorf("keys seen %v, want %v", got, want)
	}
	if got, want := s.hashesSeen(hashes), hashes[1:]; !slices.Equal(got, want) {
		t.Errorf("hashes seen %v, want %v", got, want)
	}
}
