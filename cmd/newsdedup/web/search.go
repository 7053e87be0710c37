package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

type searchData struct {
	Query string
	// Hits counts the hits of the page; Groups holds them by cluster.
	Hits   int
	Groups []hitGroup
	Offset int
	Error  string
	// Note says how many articles a read-only database has not indexed.
	Note             string
	PrevURL, NextURL string
}

// maxQueryLen bounds a search query: FTS5 parses it on every request.
const maxQueryLen = 500

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := searchData{Query: q}
	if len(q) > maxQueryLen {
		d.Error = "The query is too long."
		s.render(w, r, http.StatusBadRequest, "search", d)
		return
	}
	if q == "" {
		s.render(w, r, http.StatusOK, "search", d)
		return
	}
	page := min(max(intParam(r.URL.Query(), "page", 1), 1), maxParam/searchPerPage)
	d.Offset = pageOffset(page, searchPerPage)
	// One more than a page says whether there is a next one.
	hits, err := s.searchDB(r.Context(), q, searchPerPage+1, d.Offset, true)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return
		}
		s.opts.Logf("search %q: %v", q, err)
		d.Error = "The search failed: " + err.Error()
		if store.IsBusy(err) {
			w.Header().Set("Retry-After", retryAfter)
			d.Error = "The database is busy (an import or another request is writing): try again in a few seconds."
		}
		s.render(w, r, searchStatus(err), "search", d)
		return
	}
	link := func(p int) string {
		return "/search?" + url.Values{"q": {q}, "page": {strconv.Itoa(p)}}.Encode()
	}
	if len(hits) > searchPerPage {
		hits = hits[:searchPerPage]
		d.NextURL = link(page + 1)
	}
	if page > 1 {
		d.PrevURL = link(page - 1)
	}
	d.Hits, d.Groups = len(hits), groupHits(hits)
	if s.db.ReadOnly() {
		if n, _, err := s.db.Unindexed(r.Context()); err == nil && n > 0 {
			count := fmt.Sprintf("%d articles are", n)
			if n == 1 {
				count = "1 article is"
			}
			d.Note = "The database is read-only, so its search index cannot be updated: " + count + " not indexed, and not searched."
		}
	}
	s.render(w, r, http.StatusOK, "search", d)
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	qv := r.URL.Query()
	q := strings.TrimSpace(qv.Get("q"))
	if q == "" || len(q) > maxQueryLen {
		writeJSONError(w, http.StatusBadRequest, "give a query q of at most 500 bytes")
		return
	}
	limit := min(intParam(qv, "limit", searchPerPage), apiMaxLimit)
	if limit == 0 {
		limit = searchPerPage
	}
	hits, err := s.searchDB(r.Context(), q, limit, intParam(qv, "offset", 0), false)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return
		}
		s.opts.Logf("search %q: %v", q, err)
		if store.IsBusy(err) {
			w.Header().Set("Retry-After", retryAfter)
		}
		writeJSONError(w, searchStatus(err), "search failed: "+err.Error())
		return
	}
	writeJSON(w, output.NewSearchHits(hits))
}

// searchDB runs a search when no other one of this server runs; marked
// asks for the snippets' matched terms between store.HitStart and HitEnd.
func (s *Server) searchDB(ctx context.Context, q string, limit, offset int, marked bool) ([]store.SearchHit, error) {
	select {
	case s.searching <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.searching }()
	if marked {
		return s.db.SearchHighlighted(ctx, q, limit, offset)
	}
	return s.db.Search(ctx, q, limit, offset)
}

// hitGroup is the hits of a page that belong to one cluster, in the
// order of their best hit: a reviewer sees a story once, with its copies
// under it, and not the copies scattered down the page.
type hitGroup struct {
	ClusterID   int64
	ClusterSize int
	CanonicalID int64
	Hits        []hitView
}

type hitView struct {
	store.SearchHit
	Snippet []snippetPart
}

// snippetPart is a run of a snippet, a matched term or not. The template
// marks up the matched ones and escapes every run.
type snippetPart struct {
	Text string
	Hit  bool
}

func groupHits(hits []store.SearchHit) []hitGroup {
	var groups []hitGroup
	at := map[int64]int{}
	for _, h := range hits {
		i, ok := at[h.ClusterID]
		if !ok {
			i = len(groups)
			at[h.ClusterID] = i
			groups = append(groups, hitGroup{ClusterID: h.ClusterID, ClusterSize: h.ClusterSize, CanonicalID: h.CanonicalID})
		}
		groups[i].Hits = append(groups[i].Hits, hitView{SearchHit: h, Snippet: snippetParts(h.Snippet)})
	}
	return groups
}

// snippetParts splits a snippet at store.HitStart and HitEnd. A marker
// without its pair ends or starts a hit all the same; the markers
// themselves are dropped.
func snippetParts(s string) []snippetPart {
	var parts []snippetPart
	hit := false
	for s != "" {
		mark := store.HitStart
		if hit {
			mark = store.HitEnd
		}
		text, rest, found := strings.Cut(s, mark)
		text = strings.NewReplacer(store.HitStart, "", store.HitEnd, "").Replace(text)
		if text != "" {
			parts = append(parts, snippetPart{Text: text, Hit: hit})
		}
		if !found {
			break
		}
		s, hit = rest, !hit
	}
	return parts
}

// searchStatus is 501 for a build without FTS5, 503 for a database busy
// past the wait (the index is built under the write lock), else 400: the
// other failures come from the query.
func searchStatus(err error) int {
	switch {
	case errors.Is(err, store.ErrNoFTS5):
		return http.StatusNotImplemented
	case store.IsBusy(err):
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}
