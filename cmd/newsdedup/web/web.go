// Package web is the web UI of newsdedup serve: HTML pages rendered by
// html/template, which escapes every value it prints (article text is
// hostile: never wrap it in template.HTML), and a JSON API under /api/
// whose answers are the shapes of package output, those of the CLI's
// --json outputs. Assets are embedded; nothing is built for the front end.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

//go:embed templates/*.html static/*
var webFS embed.FS

// contentSecurityPolicy allows nothing but this server's own files: no
// inline script or style, no plugins, no framing, forms posted here only.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const (
	clustersPerPage = 25
	searchPerPage   = 20
	// maxDiffVariants is how many variants of a cluster the cluster page
	// diffs against the canonical; the rest are listed.
	maxDiffVariants = 30
	// histogramBuckets divide [0, 1] for the similarity histograms.
	histogramBuckets = 20
	apiMaxLimit      = 1000
	// maxParam bounds every integer parameter, offsets included, so that
	// a page number times a page's length, plus a page, stays an int.
	maxParam = 1 << 30
	// retryAfter is the seconds a client is asked to wait when the
	// database is busy: about a batch of an import.
	retryAfter = "5"
)

// Options configure the web UI.
type Options struct {
	// Rules, when set, are the cleaning rules the pages show the removals
	// of. Nil takes the rules the database's latest import cleaned with
	// (store.Settings), read again when a new import records others.
	Rules *ingest.Rules
	// AllowEdits enables the curation forms and POST endpoints.
	AllowEdits bool
	// By is the name the edit forms are filled in with until a reviewer
	// gives another, which the browser then remembers (a cookie). Empty
	// takes the name of the user the server runs as.
	By string
	// Public accepts requests for any host name. Without it only loopback
	// names are served, which defeats DNS rebinding.
	Public bool
	// Logf reports server errors; nil discards them.
	Logf func(format string, args ...any)
}

// Server serves the UI over one database.
type Server struct {
	db   *store.DB
	opts Options
	// csrf is a per-process token every edit form carries. The
	// cross-origin check (http.CrossOriginProtection) lets through a POST
	// that has neither Sec-Fetch-Site nor Origin, taking it for a
	// non-browser client; a browser old enough to send neither could then
	// be made to post a form from another site. The token, which only a
	// page of this server shows, refuses that post too.
	csrf  string
	cross *http.CrossOriginProtection
	pages map[string]*template.Template
	mux   *http.ServeMux
	rules recordedRules
	// searching lets one search at a time in: the first search after an
	// import indexes it under the write lock, and simultaneous ones would
	// wait on SQLite's lock, past its timeout on a large import, instead
	// of finding the index built.
	searching chan struct{}
}

// recordedRules caches the rules of the database's settings by digest:
// they are parsed once per rule set, not once per page.
type recordedRules struct {
	mu     sync.Mutex
	digest string
	rules  *ingest.Rules
}

// New returns the web UI over db.
func New(db *store.DB, opts Options) (*Server, error) {
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	if opts.By == "" {
		opts.By = osUser()
	}
	if opts.AllowEdits && db.ReadOnly() {
		return nil, fmt.Errorf("edits need to write %s, which is read-only (it, or its folder): serve it without --allow-edits", db.Path())
	}
	tok := make([]byte, 32)
	if _, err := rand.Read(tok); err != nil {
		return nil, err
	}
	s := &Server{db: db, opts: opts, csrf: hex.EncodeToString(tok), cross: http.NewCrossOriginProtection(),
		pages: map[string]*template.Template{}, mux: http.NewServeMux(), searching: make(chan struct{}, 1)}
	names, err := fs.Glob(webFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimPrefix(name, "templates/")
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Funcs(webFuncs).ParseFS(webFS, "templates/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		s.pages[strings.TrimSuffix(base, ".html")] = t
	}
	static, err := fs.Sub(webFS, "static")
	if err != nil {
		return nil, err
	}
	m := s.mux
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /{$}", s.overview)
	m.HandleFunc("GET /clusters", s.clusters)
	m.HandleFunc("GET /clusters/{id}", s.cluster)
	m.HandleFunc("GET /articles/{id}", s.article)
	m.HandleFunc("GET /search", s.search)
	m.HandleFunc("GET /api/clusters", s.apiClusters)
	m.HandleFunc("GET /api/clusters/{id}", s.apiCluster)
	m.HandleFunc("GET /api/articles/{id}", s.apiArticle)
	m.HandleFunc("GET /api/search", s.apiSearch)
	m.HandleFunc("GET /api/stats", s.apiStats)
	m.HandleFunc("GET /api/histogram", s.apiHistogram)
	m.HandleFunc("GET /api/decisions", s.apiDecisions)
	s.editRoutes()
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
	return s, nil
}

// cleanRules are the rules the pages show removals of: Options.Rules, or
// the database's recorded ones.
func (s *Server) cleanRules(ctx context.Context) (*ingest.Rules, error) {
	if s.opts.Rules != nil {
		return s.opts.Rules, nil
	}
	st, _, err := s.db.Settings(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.rules
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rules == nil || c.digest != st.RulesDigest {
		r, err := st.CleanRules()
		if err != nil {
			return nil, err
		}
		c.digest, c.rules = st.RulesDigest, r
	}
	return c.rules, nil
}

// ServeHTTP sets the security headers of every response and refuses host
// names other than loopback ones unless the server is public.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if !s.opts.Public && !loopbackHost(r.Host) {
		http.Error(w, "newsdedup serves loopback host names only (start it with --public to serve others)", http.StatusMisdirectedRequest)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// loopbackHost reports whether a Host header names this machine: a DNS
// rebinding attack sends the attacker's own host name instead.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

var webFuncs = template.FuncMap{
	"score": func(x float64) string { return strconv.FormatFloat(output.Round3(x), 'f', 3, 64) },
	"pct":   func(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" },
	"paras": dedupe.Paragraphs,
	"add":   func(a, b int) int { return a + b },
	"truncate": func(s string, n int) string {
		if len([]rune(s)) <= n {
			return s
		}
		return string([]rune(s)[:n]) + "…"
	},
	// day is the day of an RFC 3339 date, and a date stored as given
	// (one that did not parse) as it is.
	"day": func(d string) string {
		if len(d) > len("2006-01-02") && d[len("2006-01-02")] == 'T' {
			return d[:len("2006-01-02")]
		}
		return d
	},
	"display": func(ref store.ArticleRef) string {
		if ref.Title != "" {
			return ref.Title
		}
		return ref.Ref
	},
}

// render executes a page into a buffer first, so that a failure gives a
// clean error page and not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.fail(w, r, fmt.Errorf("no template %q", page))
		return
	}
	var buf bytes.Buffer
	pd := pageData{Page: page, Edits: s.opts.AllowEdits, CSRF: s.csrf, By: s.reviewer(r), Data: data}
	if err := t.ExecuteTemplate(&buf, "layout", pd); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageData is what every page's template gets.
type pageData struct {
	Page  string
	Edits bool
	CSRF  string
	// By fills in the "by" field of the edit forms.
	By   string
	Data any
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	s.opts.Logf("%s %s: %v", r.Method, r.URL.Path, err)
	if store.IsBusy(err) {
		w.Header().Set("Retry-After", retryAfter)
		const msg = "the database is busy (an import or another request is writing): try again in a few seconds"
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusServiceUnavailable, msg)
			return
		}
		http.Error(w, msg, http.StatusServiceUnavailable)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, http.StatusInternalServerError, "internal error")
		return
	}
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, http.StatusNotFound, "not found")
		return
	}
	s.render(w, r, http.StatusNotFound, "notfound", nil)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(output.Error{Error: msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// pathID reads the {id} of a route; ok is false for anything but a
// positive integer.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// intParam reads a non-negative integer query parameter, at most
// maxParam.
func intParam(q url.Values, name string, def int) int {
	n, err := strconv.Atoi(q.Get(name))
	if err != nil || n < 0 {
		return def
	}
	return min(n, maxParam)
}

// pageOffset is the offset of page p (from 1) of pages of n, at most
// maxParam.
func pageOffset(p, n int) int {
	return (min(max(p, 1), maxParam/n) - 1) * n
}

// ---- overview ----

type overviewData struct {
	Stats      store.Stats
	Thresholds thresholds
	Charts     []svgChart
	Histogram  store.Histogram
}

// thresholds are the near and excerpt thresholds of the newest import.
type thresholds struct {
	Known              bool
	NearJaccard        float64
	ExcerptContainment float64
}

func (s *Server) thresholds(ctx context.Context) (thresholds, error) {
	st, ok, err := s.db.Settings(ctx)
	if err != nil || !ok {
		return thresholds{}, err
	}
	return thresholds{Known: true, NearJaccard: st.NearJaccard, ExcerptContainment: st.ExcerptContainment}, nil
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := s.db.Stats(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	th, err := s.thresholds(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.db.SimilarityHistogram(ctx, histogramBuckets)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	near, excerpt := math.NaN(), math.NaN()
	if th.Known {
		near, excerpt = th.NearJaccard, th.ExcerptContainment
	}
	// Every verified pair, rejected ones included, shows the valley;
	// databases whose imports did not count them fall back to the stored
	// pairs.
	name, jac, con := "verified pairs (links)", h.LinkJaccard, h.LinkContainment
	if h.Candidates > 0 {
		name, jac, con = "all verified pairs", h.CandidateJaccard, h.CandidateContainment
	}
	charts := []svgChart{
		histogramChart("Jaccard", "near threshold", near, name, jac, h.VariantJaccard),
		histogramChart("Containment", "excerpt threshold", excerpt, name, con, h.VariantContainment),
	}
	s.render(w, r, http.StatusOK, "overview", overviewData{Stats: st, Thresholds: th, Charts: charts, Histogram: h})
}

// ---- clusters ----

type clustersData struct {
	Clusters         []store.ClusterSummary
	Total            int
	Filter           store.ClusterFilter
	Order            store.ClusterOrder
	Orders           []clusterOrder
	Sources          []string
	Relations        []string
	Page, Pages      int
	PrevURL, NextURL string
}

func (s *Server) clusterFilter(q url.Values, defLimit int) store.ClusterFilter {
	f := store.ClusterFilter{
		MinSize:  max(intParam(q, "min_size", 2), 1),
		Source:   q.Get("source"),
		Relation: q.Get("relation"),
		Offset:   intParam(q, "offset", 0),
		Limit:    min(intParam(q, "limit", defLimit), apiMaxLimit),
	}
	if f.Limit == 0 {
		f.Limit = defLimit
	}
	return f
}

// clusterOrder is a choice of the cluster listing's sort parameter.
type clusterOrder struct {
	Value store.ClusterOrder
	Label string
}

var clusterOrders = []clusterOrder{
	{store.ByWeakest, "weakest link first"},
	{store.BySize, "largest first"},
}

// orderParam reads the sort parameter: the weakest link first unless it
// names another order, so that a reviewer starts with the borderline
// clusters.
func orderParam(q url.Values) store.ClusterOrder {
	for _, o := range clusterOrders {
		if string(o.Value) == q.Get("sort") {
			return o.Value
		}
	}
	return store.ByWeakest
}

func (s *Server) clusters(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := s.clusterFilter(q, clustersPerPage)
	f.Limit = clustersPerPage
	if p := intParam(q, "page", 1); p > 1 {
		f.Offset = pageOffset(p, clustersPerPage)
	}
	order := orderParam(q)
	cs, total, err := s.db.ClusterReview(r.Context(), f, order)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sources, err := s.db.Sources(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := clustersData{Clusters: cs, Total: total, Filter: f, Order: order, Orders: clusterOrders, Sources: sources, Relations: []string{"exact", "near", "excerpt", "version"},
		Page: f.Offset/clustersPerPage + 1, Pages: max(1, (total+clustersPerPage-1)/clustersPerPage)}
	link := func(page int) string {
		v := url.Values{}
		v.Set("min_size", strconv.Itoa(f.MinSize))
		if f.Source != "" {
			v.Set("source", f.Source)
		}
		if f.Relation != "" {
			v.Set("relation", f.Relation)
		}
		v.Set("sort", string(order))
		v.Set("page", strconv.Itoa(page))
		return "/clusters?" + v.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = link(d.Page + 1)
	}
	s.render(w, r, http.StatusOK, "clusters", d)
}

// ---- one cluster ----

type clusterData struct {
	Cluster   store.Cluster
	Canonical articleText
	Variants  []variantDiff
	// Diffs says whether a variant has a diff: when none has, the
	// canonical's text is shown open, since no diff shows it.
	Diffs bool
	// More are the variants beyond maxDiffVariants, listed without a diff.
	More []store.VariantView
}

// articleText is an article with what its cleaning removed.
type articleText struct {
	store.ArticleView
	Removed []ingest.Removal
	// Reproduced is false when the rules do not turn the raw text into
	// the stored text (other rules, or text extracted from HTML), so the
	// removals cannot be shown.
	Reproduced bool
}

type variantDiff struct {
	View store.VariantView
	Text articleText
	// Identical is a variant whose cleaned text is the canonical's: it
	// gets no diff, which would show the one text twice.
	Identical bool
	Rows      []dedupe.DiffRow
	Stats     dedupe.DiffStats
}

func articleTextOf(rules *ingest.Rules, a store.ArticleView) articleText {
	at := articleText{ArticleView: a}
	if rules.Clean(a.Raw) == a.Text {
		at.Reproduced = true
		at.Removed = rules.Removed(a.Raw)
	}
	return at
}

func (s *Server) cluster(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	cl, err := s.db.Cluster(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	canon, err := s.db.ArticleByID(ctx, cl.Canonical.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rules, err := s.cleanRules(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := clusterData{Cluster: cl, Canonical: articleTextOf(rules, canon)}
	for i, v := range cl.Variants {
		if i >= maxDiffVariants {
			d.More = cl.Variants[i:]
			break
		}
		a, err := s.db.ArticleByID(ctx, v.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		vd := variantDiff{View: v, Text: articleTextOf(rules, a), Identical: a.Text == canon.Text}
		if !vd.Identical {
			vd.Rows, vd.Stats = dedupe.WordDiff(canon.Text, a.Text)
			d.Diffs = true
		}
		d.Variants = append(d.Variants, vd)
	}
	s.render(w, r, http.StatusOK, "cluster", d)
}

// ---- one article ----

type articleData struct {
	Article  articleText
	Cluster  store.Cluster
	Links    []store.Link
	LeftOut  []output.LeftOut  // left out of matching: site text, captions
	SetAside []output.SetAside // verified pairs the date rules keep apart
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, err := s.db.ArticleByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cl, err := s.db.Cluster(ctx, a.ClusterID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	links, err := s.db.LinksOf(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rules, err := s.cleanRules(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	left, aside, err := output.Aside(ctx, s.db, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "article", articleData{Article: articleTextOf(rules, a), Cluster: cl, Links: links, LeftOut: left, SetAside: aside})
}

// ---- JSON API ----

func (s *Server) apiClusters(w http.ResponseWriter, r *http.Request) {
	f := s.clusterFilter(r.URL.Query(), 100)
	cs, total, err := s.db.ClusterPage(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]output.Cluster, 0, len(cs))
	for _, c := range cs {
		out = append(out, output.NewCluster(c))
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	writeJSON(w, out)
}

func (s *Server) apiCluster(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	cl, err := s.db.Cluster(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, output.NewCluster(cl))
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	a, err := s.db.ArticleByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	j, _, err := output.NewArticle(r.Context(), s.db, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, j)
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.db.Stats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, output.NewStats(st))
}

// apiDecisions is an array of the objects of decisions --json, newest
// first.
func (s *Server) apiDecisions(w http.ResponseWriter, r *http.Request) {
	ds, err := s.db.Decisions(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, output.NewDecisions(ds))
}

// apiHistogram answers output.Histogram.
func (s *Server) apiHistogram(w http.ResponseWriter, r *http.Request) {
	n := intParam(r.URL.Query(), "buckets", histogramBuckets)
	n = min(max(n, 1), 1000)
	h, err := s.db.SimilarityHistogram(r.Context(), n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	th, err := s.thresholds(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var known *output.Thresholds
	if th.Known {
		known = &output.Thresholds{NearJaccard: th.NearJaccard, ExcerptContainment: th.ExcerptContainment}
	}
	writeJSON(w, output.NewHistogram(h, known))
}

// ---- edits ----

// checkEdit refuses a POST unless edits are allowed, it is not a
// cross-origin browser request (http.CrossOriginProtection: Sec-Fetch-Site,
// else Origin against Host) and it carries the process's token. It writes
// the refusal itself.
func (s *Server) checkEdit(w http.ResponseWriter, r *http.Request) bool {
	if !s.opts.AllowEdits {
		http.Error(w, "edits are disabled: start newsdedup serve with --allow-edits", http.StatusForbidden)
		return false
	}
	if err := s.cross.Check(r); err != nil {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
		return false
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return false
	}
	tok := r.PostForm.Get("csrf")
	if subtle.ConstantTimeCompare([]byte(tok), []byte(s.csrf)) != 1 {
		http.Error(w, "missing or wrong CSRF token: reload the page", http.StatusForbidden)
		return false
	}
	return true
}
