package web

import (
	"net/http"
	"net/url"
	"os"
	"os/user"
	"strings"
)

// The name a reviewer's decisions are recorded with is remembered in a
// cookie, set when an edit succeeds and read to fill in the "by" field of
// every form, so that it is typed once and not in each form.

const (
	byCookie = "newsdedup_by"
	// maxByLen bounds a remembered name.
	maxByLen = 200
)

// reviewer is the name to fill the edit forms in with: the remembered
// one, else the server's default (Options.By).
func (s *Server) reviewer(r *http.Request) string {
	if r != nil {
		if c, err := r.Cookie(byCookie); err == nil {
			if by, err := url.QueryUnescape(c.Value); err == nil {
				if by = strings.TrimSpace(by); by != "" && len(by) <= maxByLen {
					return by
				}
			}
		}
	}
	return s.opts.By
}

// rememberReviewer asks the browser to keep the name for a year. The
// cookie is sent to this server only (SameSite=Strict) and read by no
// script (HttpOnly).
func rememberReviewer(w http.ResponseWriter, by string) {
	if len(by) > maxByLen {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: byCookie, Value: url.QueryEscape(by), Path: "/",
		MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteStrictMode,
	})
}

// osUser is the name of the user this process runs as, "" when it has
// none that can be found.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}
