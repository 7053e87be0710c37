package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/mattn/go-sqlite3"

	"github.com/newsdedup/newsdedup/store"
)

// TestBusyIs503 checks that a database held by another connection past
// the wait is answered 503 with Retry-After, a condition to try again
// after, and not blamed on the request (400) or the server (500).
func TestBusyIs503(t *testing.T) {
	s := &Server{opts: Options{Logf: t.Logf}}
	for _, code := range []sqlite3.ErrNo{sqlite3.ErrBusy, sqlite3.ErrLocked} {
		err := fmt.Errorf("search index: %w", sqlite3.Error{Code: code})
		for _, path := range []string{"/clusters", "/api/clusters"} {
			w := httptest.NewRecorder()
			s.fail(w, httptest.NewRequest("GET", path, nil), err)
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
				t.Errorf("GET %s failing with %v: %d, Retry-After %q; want 503 with Retry-After",
					path, code, w.Code, w.Header().Get("Retry-After"))
			}
		}
		if got := searchStatus(err); got != http.StatusServiceUnavailable {
			t.Errorf("a search failing with %v: %d, want 503", code, got)
		}
	}
}

func TestSnippetParts(t *testing.T) {
	s, e := store.HitStart, store.HitEnd
	for _, c := range []struct {
		in   string
		want []snippetPart
	}{
		{"", nil},
		{"no hit", []snippetPart{{"no hit", false}}},
		{"a " + s + "hit" + e + " b", []snippetPart{{"a ", false}, {"hit", true}, {" b", false}}},
		{s + "x" + e + s + "y" + e, []snippetPart{{"x", true}, {"y", true}}},
		// Markup in the text stays text; the template escapes it.
		{"<b>" + s + "bold" + e, []snippetPart{{"<b>", false}, {"bold", true}}},
		// A marker without its pair: the rest is a hit, stray ends go.
		{"a " + s + "open", []snippetPart{{"a ", false}, {"open", true}}},
		{"a" + e + "b", []snippetPart{{"ab", false}}},
	} {
		if got := snippetParts(c.in); !slices.Equal(got, c.want) {
			t.Errorf("snippetParts(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestGroupHits(t *testing.T) {
	hits := []store.SearchHit{{ID: 1, ClusterID: 9}, {ID: 2, ClusterID: 4}, {ID: 3, ClusterID: 9}, {ID: 4, ClusterID: 4}, {ID: 5, ClusterID: 7}}
	var got [][]int64
	for _, g := range groupHits(hits) {
		ids := []int64{g.ClusterID}
		for _, h := range g.Hits {
			ids = append(ids, h.ID)
		}
		got = append(got, ids)
	}
	if want := [][]int64{{9, 1, 3}, {4, 2, 4}, {7, 5}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("groupHits = %v, want %v (cluster, then its hits, in the order of each cluster's best hit)", got, want)
	}
}
