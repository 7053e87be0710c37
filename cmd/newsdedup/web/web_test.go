package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mattn/go-sqlite3"
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
