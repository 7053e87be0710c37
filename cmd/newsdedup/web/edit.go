package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/newsdedup/newsdedup/store"
)

// editRoutes registers the curation endpoints. Every one is refused
// without --allow-edits, from another origin, or without the CSRF token
// (checkEdit). Each records the decision, as the CLI's do, and sends the
// browser to the cluster it left.
func (s *Server) editRoutes() {
	s.mux.HandleFunc("POST /clusters/{id}/split", s.edit(func(ctx context.Context, r *http.Request, c store.Curation) (store.Decision, error) {
		id, err := editID(r)
		if err != nil {
			return store.Decision{}, err
		}
		var articles []int64
		for _, v := range r.PostForm["article"] {
			a, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return store.Decision{}, badRequest("article " + v + " is not an id")
			}
			articles = append(articles, a)
		}
		return s.db.SplitCluster(ctx, id, articles, c)
	}))
	s.mux.HandleFunc("POST /clusters/{id}/merge", s.edit(func(ctx context.Context, r *http.Request, c store.Curation) (store.Decision, error) {
		id, err := editID(r)
		if err != nil {
			return store.Decision{}, err
		}
		other, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(r.PostForm.Get("other")), "#"), 10, 64)
		if err != nil {
			return store.Decision{}, badRequest("name the cluster to merge by its id")
		}
		return s.db.MergeClusters(ctx, id, other, c)
	}))
	s.mux.HandleFunc("POST /articles/{id}/canonical", s.edit(func(ctx context.Context, r *http.Request, c store.Curation) (store.Decision, error) {
		id, err := editID(r)
		if err != nil {
			return store.Decision{}, err
		}
		return s.db.SetCanonical(ctx, id, c)
	}))
}

type badRequest string

func (e badRequest) Error() string { return string(e) }

// editID is pathID for the edit handlers, as an error.
func editID(r *http.Request) (int64, error) {
	id, ok := pathID(r)
	if !ok {
		return 0, badRequest("not an id: " + r.PathValue("id"))
	}
	return id, nil
}

// edit wraps a curation: checks, the parameters the relations are named
// with, the decision, then a redirect to the first cluster it left.
func (s *Server) edit(do func(context.Context, *http.Request, store.Curation) (store.Decision, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.checkEdit(w, r) {
			return
		}
		ctx := r.Context()
		// The relations a decision names are those of the database's
		// settings, as for the CLI's decisions.
		st, _, err := s.db.Settings(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		by := strings.TrimSpace(r.PostForm.Get("by"))
		if by == "" {
			http.Error(w, "say who decides (the by field)", http.StatusBadRequest)
			return
		}
		d, err := do(ctx, r, store.Curation{By: by, Why: strings.TrimSpace(r.PostForm.Get("why")), Params: st.Params()})
		var br badRequest
		switch {
		case errors.As(err, &br), errors.Is(err, store.ErrRefused):
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		case errors.Is(err, store.ErrNotFound):
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		case err != nil:
			s.fail(w, r, err)
			return
		}
		rememberReviewer(w, by)
		target := "/clusters"
		if len(d.Clusters) > 0 {
			target = "/clusters/" + strconv.FormatInt(d.Clusters[0].ID, 10)
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	}
}
