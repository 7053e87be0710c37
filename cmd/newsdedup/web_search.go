package main

import "net/http"

// Search needs store.DB.Search (store/search.go, FTS5), which is not in
// this build yet; until then the page and the API say so. The full
// handlers are ready to replace these once it lands.

type searchData struct {
	Query string
	Hits  []struct {
		ID, ClusterID, ClusterSize, CanonicalID int64
		Ref, Title, Source, Published, Snippet  string
	}
	Offset           int
	Error            string
	PrevURL, NextURL string
}

func (s *webServer) search(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotImplemented, "search", searchData{
		Query: r.URL.Query().Get("q"),
		Error: "Search is not available in this build yet.",
	})
}

func (s *webServer) apiSearch(w http.ResponseWriter, r *http.Request) {
	writeJSONError(w, http.StatusNotImplemented, "search is not available in this build yet")
}
