package main

import "net/http"

// editRoutes registers the curation endpoints. Every one is refused
// without --allow-edits, from another origin, or without the CSRF token.
func (s *webServer) editRoutes() {
	refuse := func(w http.ResponseWriter, r *http.Request) {
		if !s.checkEdit(w, r) {
			return
		}
		http.Error(w, "curation is not available in this build", http.StatusNotImplemented)
	}
	s.mux.HandleFunc("POST /clusters/{id}/split", refuse)
	s.mux.HandleFunc("POST /clusters/{id}/merge", refuse)
	s.mux.HandleFunc("POST /articles/{id}/canonical", refuse)
}
