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
	Query  string
	Hits   []store.SearchHit
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
	hits, err := s.searchDB(r.Context(), q, searchPerPage+1, d.Offset)
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
	d.Hits = hits
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
	hits, err := s.searchDB(r.Context(), q, limit, intParam(qv, "offset", 0))
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

// searchDB runs a search when no other one of this server runs.
func (s *Server) searchDB(ctx context.Context, q string, limit, offset int) ([]store.SearchHit, error) {
	select {
	case s.searching <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.searching }()
	return s.db.Search(ctx, q, limit, offset)
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
