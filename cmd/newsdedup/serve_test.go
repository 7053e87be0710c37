package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/cmd/newsdedup/web"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

// hostileText is a scraped article full of markup that must show as text.
// Its second version differs in one word, so the two make a cluster and
// the diff is built from these tokens too.
const hostileText = `Breaking <script>alert(1)</script> news from the harbour town of Quillon

A paragraph with <img src=x onerror=alert(2)> inside it, and then a good many more ordinary words about the harbour, the ferry timetable, the new breakwater and the council meeting that argued about both until late in the evening.

<script>window.__pwned = 1; document.title = "pwned"</script>

The council agreed on Tuesday to spend four hundred thousand crowns on the breakwater, the harbour master said, and the ferry will keep its winter timetable until the work is finished in the spring.`

// webFixture is a database made by importing testdata/corpus and two
// hostile articles through the CLI.
type webFixture struct {
	db   string
	evil []int64 // ids of the hostile articles, the first one canonical
}

func newWebFixture(t *testing.T, extra ...string) webFixture {
	t.Helper()
	dir := t.TempDir()
	evilDir := filepath.Join(dir, "evil")
	if err := os.Mkdir(evilDir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(evilDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("evil1.txt", hostileText)
	write("evil2.txt", strings.Replace(hostileText, "four hundred", "five hundred", 1))
	f := webFixture{db: filepath.Join(dir, "web.db")}
	mustRun(t, append([]string{"--db", f.db, "import", "-q", corpusDir, evilDir}, extra...)...)
	for _, c := range jsonLines[output.Cluster](t, mustRun(t, "--db", f.db, "clusters", "--json")) {
		if strings.HasSuffix(c.Canonical.Ref, "evil1.txt") || strings.HasSuffix(c.Canonical.Ref, "evil2.txt") {
			f.evil = append(f.evil, c.Canonical.ID)
			for _, v := range c.Variants {
				f.evil = append(f.evil, v.ID)
			}
		}
	}
	if len(f.evil) != 2 {
		t.Fatalf("the hostile articles should make one cluster of 2: %v", f.evil)
	}
	return f
}

// startWeb serves the fixture with httptest. With edits allowed it also
// returns the form token, read from a cluster page as a browser reads it.
func startWeb(t *testing.T, f webFixture, opts web.Options) (*httptest.Server, string) {
	t.Helper()
	db, err := store.Open(t.Context(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	opts.Logf = t.Logf
	ws, err := web.New(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ws)
	t.Cleanup(srv.Close)
	if !opts.AllowEdits {
		return srv, ""
	}
	_, _, page := get(t, srv, "/clusters/"+strconv.FormatInt(f.evil[0], 10))
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the cluster page has no token in its edit forms")
	}
	return srv, m[1]
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// get fetches a path and returns the status, headers and body.
func get(t *testing.T, srv *httptest.Server, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func getJSON[T any](t *testing.T, srv *httptest.Server, path string) T {
	t.Helper()
	code, h, body := get(t, srv, path)
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("GET %s: %d %s\n%s", path, code, h.Get("Content-Type"), body)
	}
	var v T
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
	return v
}

func TestServePages(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	clusters := jsonLines[output.Cluster](t, mustRun(t, "--db", f.db, "clusters", "--json"))
	var teaser output.Cluster // the Marrowby cluster, with the teaser
	for _, c := range clusters {
		if strings.HasSuffix(c.Canonical.Ref, "a_copy.txt") {
			teaser = c
		}
	}
	if teaser.ID == 0 {
		t.Fatal("no cluster of a_copy.txt")
	}
	id := strconv.FormatInt(teaser.ID, 10)
	for _, tc := range []struct {
		path    string
		want    []string
		notWant []string
	}{
		{"/", []string{"Overview", "<svg", `class="bar-links"`, `class="threshold"`, "near threshold 0.50", "excerpt threshold 0.60", "meridian-wire"}, nil},
		{"/clusters", []string{"a_copy.txt", "b_outlet.txt", "c_v2.txt", "gannet", "5 clusters"}, []string{"d_unrelated"}},
		{"/clusters?relation=excerpt", []string{"a_copy.txt", "1 cluster,"}, []string{"b_outlet.txt"}},
		{"/clusters?source=meridian-wire", []string{"b_outlet.txt"}, []string{"a_copy.txt", "c_v2.txt"}},
		{"/clusters?min_size=1", []string{"d_unrelated.txt", "a_other.txt"}, nil},
		{"/clusters?min_size=1&page=2", []string{"page 2 of 1"}, nil},
		{"/clusters/" + id, []string{"Cluster #" + id, "a_teaser.txt", "excerpt", `class="kept"`, "Jaccard", "containment",
			`<s class="boilerplate">Previous ArticleNext Article</s>`, "rule: "}, nil},
		{"/articles/" + strconv.FormatInt(teaser.Variants[len(teaser.Variants)-1].ID, 10), []string{"Raw text", "Cleaned text", "Verified pairs", "Cluster members", "canonical"}, nil},
		{"/static/style.css", []string{"mark.kept"}, nil},
		{"/static/app.js", []string{"only-changes"}, nil},
	} {
		code, _, body := get(t, srv, tc.path)
		if tc.path == "/clusters?min_size=1&page=2" {
			// Fifteen-odd clusters fit on one page: the second is empty.
			if code != http.StatusOK || !strings.Contains(body, "No clusters match") {
				t.Errorf("GET %s: %d, want 200 and an empty page", tc.path, code)
			}
			continue
		}
		if code != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", tc.path, code)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q in the page", tc.path, w)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(body, w) {
				t.Errorf("GET %s: %q should not be in the page", tc.path, w)
			}
		}
	}
}

func TestServeClustersPaging(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	_, _, page1 := get(t, srv, "/clusters?min_size=1")
	if !strings.Contains(page1, `rel="next"`) && strings.Count(page1, `<tr>`) > 25 { // a page of the UI holds 25
		t.Errorf("no next link on a full page")
	}
	// 15 corpus articles + 2 hostile ones in 5 clusters + 3 singletons... a
	// page of 25 holds them all; ask the API for pages of 2 instead.
	all := getJSON[[]output.Cluster](t, srv, "/api/clusters?min_size=1&limit=1000")
	var paged []output.Cluster
	for off := 0; off < len(all); off += 2 {
		paged = append(paged, getJSON[[]output.Cluster](t, srv, "/api/clusters?min_size=1&limit=2&offset="+strconv.Itoa(off))...)
	}
	if !reflect.DeepEqual(all, paged) {
		t.Errorf("pages of 2 differ from one page")
	}
	resp, err := srv.Client().Get(srv.URL + "/api/clusters?min_size=2&limit=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Total-Count"); got != "5" {
		t.Errorf("X-Total-Count = %q, want 5", got)
	}
}

func TestServeNotFound(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	for _, p := range []string{"/clusters/99999", "/articles/99999", "/articles/abc", "/clusters/-1", "/articles/0",
		"/nothing", "/api/clusters/99999", "/api/articles/99999", "/api/articles/x", "/api/nothing", "/static/nothing.css"} {
		code, h, body := get(t, srv, p)
		if code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, code)
		}
		if strings.HasPrefix(p, "/api/") && !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: Content-Type %q, want JSON: %s", p, h.Get("Content-Type"), body)
		}
	}
}

// TestServeAPI checks that the API gives what the CLI's --json gives.
func TestServeAPI(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})

	cli := jsonLines[output.Cluster](t, mustRun(t, "--db", f.db, "clusters", "--json"))
	api := getJSON[[]output.Cluster](t, srv, "/api/clusters")
	if !reflect.DeepEqual(api, cli) {
		t.Errorf("/api/clusters:\n%+v\nclusters --json:\n%+v", api, cli)
	}
	if got := getJSON[[]output.Cluster](t, srv, "/api/clusters?min_size=2&offset=1&limit=2"); !reflect.DeepEqual(got, cli[1:3]) {
		t.Errorf("/api/clusters?offset=1&limit=2 = %+v, want %+v", got, cli[1:3])
	}
	if got := getJSON[[]output.Cluster](t, srv, "/api/clusters?min_size=100"); got == nil || len(got) != 0 {
		t.Errorf("no clusters should be [], got %#v", got)
	}
	for _, c := range cli {
		if got := getJSON[output.Cluster](t, srv, "/api/clusters/"+strconv.FormatInt(c.ID, 10)); !reflect.DeepEqual(got, c) {
			t.Errorf("/api/clusters/%d = %+v, want %+v", c.ID, got, c)
		}
		for _, id := range append([]int64{c.Canonical.ID}, c.Variants[0].ID) {
			sid := strconv.FormatInt(id, 10)
			var want output.Article
			if err := json.Unmarshal([]byte(mustRun(t, "--db", f.db, "show", "--json", sid)), &want); err != nil {
				t.Fatal(err)
			}
			if got := getJSON[output.Article](t, srv, "/api/articles/"+sid); !reflect.DeepEqual(got, want) {
				t.Errorf("/api/articles/%s = %+v\nshow --json: %+v", sid, got, want)
			}
		}
	}

	var wantStats output.Stats
	if err := json.Unmarshal([]byte(mustRun(t, "--db", f.db, "stats", "--json")), &wantStats); err != nil {
		t.Fatal(err)
	}
	if got := getJSON[output.Stats](t, srv, "/api/stats"); !reflect.DeepEqual(got, wantStats) {
		t.Errorf("/api/stats = %+v, want %+v", got, wantStats)
	}

	h := getJSON[output.Histogram](t, srv, "/api/histogram")
	sum := func(xs []int) (n int) {
		for _, x := range xs {
			n += x
		}
		return n
	}
	if h.Buckets != 20 || // the default
		len(h.Links.Jaccard) != h.Buckets || len(h.Variants.Containment) != h.Buckets {
		t.Errorf("histogram shape: %+v", h)
	}
	if h.Variants.Count != wantStats.Duplicates || sum(h.Variants.Jaccard) != h.Variants.Count || sum(h.Variants.Containment) != h.Variants.Count {
		t.Errorf("variants histogram %+v, want %d variants", h.Variants, wantStats.Duplicates)
	}
	if h.Links.Count == 0 || sum(h.Links.Jaccard) != h.Links.Count || sum(h.Links.Containment) != h.Links.Count {
		t.Errorf("links histogram %+v", h.Links)
	}
	if h.Thresholds == nil || h.Thresholds.NearJaccard != 0.5 || h.Thresholds.ExcerptContainment != 0.6 {
		t.Errorf("thresholds = %+v, want 0.5 and 0.6", h.Thresholds)
	}
	if h := getJSON[output.Histogram](t, srv, "/api/histogram?buckets=4"); h.Buckets != 4 || len(h.Links.Jaccard) != 4 {
		t.Errorf("buckets=4: %+v", h)
	}
}

// TestServeThresholdsOfLatestImport checks that the overview marks the
// thresholds the newest import used.
func TestServeThresholdsOfLatestImport(t *testing.T) {
	f := newWebFixture(t)
	mustRun(t, "--db", f.db, "import", "-q", "--near", "0.7", "--excerpt", "0.8", filepath.Join(corpusDir, "d_unrelated.txt"))
	srv, _ := startWeb(t, f, web.Options{})
	_, _, body := get(t, srv, "/")
	for _, w := range []string{"near threshold 0.70", "excerpt threshold 0.80"} {
		if !strings.Contains(body, w) {
			t.Errorf("overview lacks %q", w)
		}
	}
}

func TestServeEscapes(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	_, _, evil := get(t, srv, "/articles/"+strconv.FormatInt(f.evil[0], 10))
	_, _, cluster := get(t, srv, "/clusters/"+strconv.FormatInt(f.evil[0], 10))
	_, _, list := get(t, srv, "/clusters")
	for name, body := range map[string]string{"article": evil, "cluster": cluster, "clusters": list} {
		for _, raw := range []string{"<script>alert", "<img src=x", "<script>window", "onerror=alert(2)>"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s page contains raw %q", name, raw)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s page lacks the escaped script tag", name)
		}
		if name != "clusters" && !strings.Contains(body, "&lt;img src=x onerror=alert(2)&gt;") {
			t.Errorf("%s page lacks the escaped img tag", name)
		}
		if n := strings.Count(body, "<script"); n != 1 {
			t.Errorf("%s page has %d script elements, want only /static/app.js", name, n)
		}
	}
	// The query is echoed, escaped, whether or not search is in the build.
	_, _, body := get(t, srv, "/search?q="+url.QueryEscape(`<script>alert(3)</script>`))
	if strings.Contains(body, "<script>alert(3)") || !strings.Contains(body, "&lt;script&gt;alert(3)&lt;/script&gt;") {
		t.Errorf("the search page does not escape the query")
	}
	if !strings.Contains(cluster, `<mark class="kept">four</mark>`) || !strings.Contains(cluster, `<mark class="variant-only">five</mark>`) {
		t.Errorf("the hostile pair's diff should mark four/five")
	}
}

func TestServeHeaders(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	for _, p := range []string{"/", "/clusters/1", "/api/stats", "/nothing", "/static/style.css"} {
		_, h, _ := get(t, srv, p)
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: Content-Security-Policy %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", p, h.Get("X-Content-Type-Options"))
		}
		if h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: X-Frame-Options %q", p, h.Get("X-Frame-Options"))
		}
	}
	_, h, _ := get(t, srv, "/static/style.css")
	if !strings.HasPrefix(h.Get("Content-Type"), "text/css") {
		t.Errorf("style.css served as %q", h.Get("Content-Type"))
	}
}

// TestServeHostNames checks the defence against DNS rebinding: a page
// asked for under another host name is refused unless the server is public.
func TestServeHostNames(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	pub, _ := startWeb(t, f, web.Options{Public: true})
	for _, tc := range []struct {
		srv  *httptest.Server
		host string
		want int
	}{
		{srv, "attacker.example:8080", http.StatusMisdirectedRequest},
		{srv, "127.0.0.1.nip.io", http.StatusMisdirectedRequest},
		{srv, "localhost:8080", http.StatusOK},
		{srv, "[::1]:8080", http.StatusOK},
		{pub, "attacker.example:8080", http.StatusOK},
	} {
		req, _ := http.NewRequest("GET", tc.srv.URL+"/api/stats", nil)
		req.Host = tc.host
		resp, err := tc.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("Host %s: %d, want %d", tc.host, resp.StatusCode, tc.want)
		}
	}
}

func TestServeEditsRefused(t *testing.T) {
	f := newWebFixture(t)
	before := mustRun(t, "--db", f.db, "clusters", "--json", "--min-size", "1")
	ro, _ := startWeb(t, f, web.Options{})
	rw, tok := startWeb(t, f, web.Options{AllowEdits: true})
	// post sends a form with headers given as name, value, ...
	post := func(srv *httptest.Server, path string, form url.Values, headers ...string) int {
		t.Helper()
		form.Set("by", "attacker")
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, path := range editPaths(f) {
		// Read-only: refused even with the token and the right origin.
		if code := post(ro, path, url.Values{"csrf": {tok}}, "Origin", ro.URL, "Sec-Fetch-Site", "same-origin"); code != http.StatusForbidden {
			t.Errorf("POST %s read-only: %d, want 403", path, code)
		}
		if code := post(rw, path, url.Values{}, "Origin", rw.URL, "Sec-Fetch-Site", "same-origin"); code != http.StatusForbidden {
			t.Errorf("POST %s without a CSRF token: %d, want 403", path, code)
		}
		if code := post(rw, path, url.Values{"csrf": {wrongToken(tok)}}, "Origin", rw.URL); code != http.StatusForbidden {
			t.Errorf("POST %s with a wrong CSRF token: %d, want 403", path, code)
		}
		// What http.CrossOriginProtection refuses, even with the token:
		// a browser's word that the form is from another site, or an
		// Origin that is not this server's.
		for _, h := range [][]string{
			{"Sec-Fetch-Site", "cross-site"},
			{"Sec-Fetch-Site", "same-site", "Origin", "http://sub." + strings.TrimPrefix(rw.URL, "http://")},
			{"Sec-Fetch-Site", "cross-site", "Origin", rw.URL},
			{"Origin", "http://attacker.example"},
			{"Origin", "null"},
		} {
			if code := post(rw, path, url.Values{"csrf": {tok}}, h...); code != http.StatusForbidden {
				t.Errorf("POST %s with %q: %d, want 403", path, h, code)
			}
		}
		// A post with neither Sec-Fetch-Site nor Origin passes the
		// cross-origin check (no browser of today sends such a post);
		// without the page's token it is still refused.
		if code := post(rw, path, url.Values{}, "Referer", "http://attacker.example/"); code != http.StatusForbidden {
			t.Errorf("POST %s without Origin, Sec-Fetch-Site or token: %d, want 403", path, code)
		}
	}
	// Pages never show edit forms when read-only.
	_, _, body := get(t, ro, "/clusters/1")
	if strings.Contains(body, `name="csrf"`) || strings.Contains(body, `method="post"`) {
		t.Error("read-only cluster page has an edit form")
	}
	// Nothing changed.
	if after := mustRun(t, "--db", f.db, "clusters", "--json", "--min-size", "1"); after != before {
		t.Error("refused edits changed the clusters")
	}
}

func TestCheckServeAddr(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		public bool
		ok     bool
	}{
		{"127.0.0.1:8080", false, true},
		{"127.0.0.2:0", false, true},
		{"[::1]:8080", false, true},
		{"localhost:8080", false, true},
		{":8080", false, false},
		{"0.0.0.0:8080", false, false},
		{"192.168.1.5:8080", false, false},
		{"example.com:80", false, false},
		{"0.0.0.0:8080", true, true},
		{"no-port", false, false},
	} {
		err := checkServeAddr(tc.addr, tc.public)
		if (err == nil) != tc.ok {
			t.Errorf("checkServeAddr(%q, %v) = %v, want ok=%v", tc.addr, tc.public, err, tc.ok)
		}
	}
}

func TestServeCommandRefusesPublicAddr(t *testing.T) {
	f := newWebFixture(t)
	_, _, err := runCLI(t, "", "--db", f.db, "serve", "--addr", "0.0.0.0:0")
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--public") || exitCode(err) != 2 {
		t.Errorf("serve --addr 0.0.0.0:0 = %v, want a usage error naming --public", err)
	}
	missing := filepath.Join(t.TempDir(), "none.db")
	if _, _, err := runCLI(t, "", "--db", missing, "serve", "--addr", "127.0.0.1:0"); err == nil {
		t.Error("serve on a missing database succeeded")
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("serve created a database")
	}
}

// editPaths are the POST endpoints that must be refused.
func editPaths(f webFixture) []string {
	c, a := strconv.FormatInt(f.evil[0], 10), strconv.FormatInt(f.evil[1], 10)
	return []string{"/clusters/" + c + "/split", "/clusters/" + c + "/merge", "/articles/" + a + "/canonical"}
}

// TestServeEditsApplied: with --allow-edits, the token and this server's
// origin, a split and a canonical set take effect and are recorded.
func TestServeEditsApplied(t *testing.T) {
	f := newWebFixture(t)
	rw, tok := startWeb(t, f, web.Options{AllowEdits: true})
	post := func(path string, form url.Values) (int, string) {
		t.Helper()
		form.Set("csrf", tok)
		req, _ := http.NewRequest("POST", rw.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", rw.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		client := *rw.Client()
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Location")
	}
	_, _, page := get(t, rw, "/clusters/"+strconv.FormatInt(f.evil[0], 10))
	if !strings.Contains(page, `action="/clusters/`+strconv.FormatInt(f.evil[0], 10)+`/split"`) {
		t.Fatal("the cluster page has no split form with --allow-edits")
	}
	c, a := strconv.FormatInt(f.evil[0], 10), strconv.FormatInt(f.evil[1], 10)
	if code, _ := post("/clusters/"+c+"/split", url.Values{"article": {a}}); code != http.StatusBadRequest {
		t.Errorf("split without a name: %d, want 400", code)
	}
	code, loc := post("/clusters/"+c+"/split", url.Values{"article": {a}, "by": {"web tester"}, "why": {"different edits"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/clusters/") {
		t.Fatalf("split: %d to %q, want 303 to a cluster", code, loc)
	}
	var shown output.Article
	if err := json.Unmarshal([]byte(mustRun(t, "--db", f.db, "show", "--json", a)), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.ClusterID == f.evil[0] || shown.Relation != "canonical" {
		t.Errorf("after the split, article %s is in cluster %d as %s", a, shown.ClusterID, shown.Relation)
	}
	if code, _ := post("/clusters/"+c+"/merge", url.Values{"other": {strconv.FormatInt(shown.ClusterID, 10)}, "by": {"web tester"}}); code != http.StatusSeeOther {
		t.Errorf("merge back: %d, want 303", code)
	}
	if code, _ := post("/articles/"+a+"/canonical", url.Values{"by": {"web tester"}}); code != http.StatusSeeOther {
		t.Errorf("canonical set: %d, want 303", code)
	}
	if err := json.Unmarshal([]byte(mustRun(t, "--db", f.db, "show", "--json", a)), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.CanonicalID != f.evil[1] {
		t.Errorf("after canonical set, the canonical is %d, want %d", shown.CanonicalID, f.evil[1])
	}
	if code, _ := post("/clusters/999999/split", url.Values{"article": {a}, "by": {"x"}}); code != http.StatusNotFound {
		t.Errorf("split of an unknown cluster: %d, want 404", code)
	}
	// The three decisions are recorded, newest first, as decisions --json
	// lists them.
	ds := getJSON[[]output.Decision](t, rw, "/api/decisions")
	if len(ds) != 3 || ds[0].Kind != "canonical" || ds[2].Kind != "split" || ds[2].By != "web tester" || ds[2].Why != "different edits" {
		t.Errorf("/api/decisions = %+v", ds)
	}
	if cli := jsonLines[output.Decision](t, mustRun(t, "--db", f.db, "decisions", "--json")); !reflect.DeepEqual(cli, ds) {
		t.Errorf("decisions --json = %+v, /api/decisions = %+v", cli, ds)
	}
}

// wrongToken returns a token of the same length that differs from tok in
// its first character, whatever that character is.
func wrongToken(tok string) string {
	c := byte('0')
	if tok[0] == '0' {
		c = '1'
	}
	return string(c) + tok[1:]
}

// TestServeRecordedRules: without --rules the pages show what the rules
// the import recorded removed; the flags override them.
func TestServeRecordedRules(t *testing.T) {
	dir := t.TempDir()
	body := strings.Join(article(31, 4), "\n\n")
	writeFile(t, filepath.Join(dir, "in", "a.txt"), "Brought to you by Acme Widgets\n\n"+body+"\n\nleave a reply")
	rules := filepath.Join(dir, "site.rules")
	writeFile(t, rules, "drop acme-sponsor Brought to you by Acme Widgets\n")
	f := webFixture{db: filepath.Join(dir, "r.db")}
	mustRun(t, "--db", f.db, "import", "-q", "--rules", rules, filepath.Join(dir, "in"))
	sponsor := `<s class="boilerplate">Brought to you by Acme Widgets</s> <span class="rule">rule: acme-sponsor</span>`

	srv, _ := startWeb(t, f, web.Options{})
	_, _, page := get(t, srv, "/articles/1")
	if !strings.Contains(page, sponsor) || !strings.Contains(page, `<s class="boilerplate">leave a reply</s>`) {
		t.Errorf("recorded rules: the article page does not show both removals:\n%s", page)
	}
	// The built-in rules alone do not turn the raw text into the stored
	// one, so no removal is shown with them.
	srv, _ = startWeb(t, f, web.Options{Rules: ingest.DefaultRules()})
	if _, _, page := get(t, srv, "/articles/1"); strings.Contains(page, "boilerplate") {
		t.Errorf("with the built-in rules given: want no removals shown")
	}
}

// TestServeHugePage checks that a page number too large for an offset is
// not wrapped around into a negative one.
func TestServeHugePage(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	for _, p := range []string{"/search?q=harbour&page=461168601842738792", "/search?q=harbour&page=9223372036854775807",
		"/clusters?page=461168601842738792", "/clusters?page=9223372036854775807",
		"/api/search?q=harbour&offset=9223372036854775807", "/api/clusters?offset=9223372036854775807"} {
		code, _, body := get(t, srv, p)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d, want 200:\n%s", p, code, body)
		}
		if regexp.MustCompile(`start="-|page -|Results -`).MatchString(body) {
			t.Errorf("GET %s: a negative position in the page:\n%s", p, body)
		}
	}
}

// TestServeSearchBusy holds the database's write lock while the first
// search needs it to index: the answer is 503 with Retry-After, not 400.
func TestServeSearchBusy(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the busy timeout")
	}
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	lock, err := sql.Open("sqlite3", "file:"+f.db+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	tx, err := lock.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, p := range []string{"/api/search?q=harbour", "/search?q=harbour"} {
		code, h, body := get(t, srv, p)
		if code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" {
			t.Errorf("GET %s with the database locked: %d, Retry-After %q; want 503 with Retry-After:\n%s", p, code, h.Get("Retry-After"), body)
		}
	}
}

// TestServeReadOnly serves a database opened read-only: pages and search
// work, and edits are refused when the server starts, not when a person
// has filled in a form.
func TestServeReadOnly(t *testing.T) {
	f := newWebFixture(t)
	mustRun(t, "--db", f.db, "search", "harbour") // builds the index
	later := filepath.Join(t.TempDir(), "later.txt")
	if err := os.WriteFile(later, []byte(hostileBody+" A later article about the harbour, never indexed."), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--db", f.db, "import", "-q", later)
	db, err := store.OpenReadOnly(t.Context(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := web.New(db, web.Options{AllowEdits: true}); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("edits allowed on a read-only database: %v, want a read-only error", err)
	}
	ws, err := web.New(db, web.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ws)
	defer srv.Close()
	for _, p := range []string{"/", "/clusters", "/search?q=harbour", "/api/search?q=harbour"} {
		code, _, body := get(t, srv, p)
		if code != http.StatusOK {
			t.Errorf("GET %s on a read-only database: %d\n%s", p, code, body)
		}
		if p == "/search?q=harbour" && !strings.Contains(body, "1 article is not indexed") {
			t.Errorf("the search page does not say that an article is not searched:\n%s", body)
		}
	}
}

// TestServeSimultaneousFirstSearches sends three first searches at once,
// each of which finds the index to build: every one is answered.
func TestServeSimultaneousFirstSearches(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	codes := make(chan int, 3)
	for range 3 {
		go func() {
			resp, err := srv.Client().Get(srv.URL + "/api/search?q=harbour")
			if err != nil {
				codes <- 0
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	for range 3 {
		if code := <-codes; code != http.StatusOK {
			t.Errorf("one of three simultaneous first searches: %d, want 200", code)
		}
	}
}

// TestServeArticleAside: an article page says which paragraphs matching
// left out (a site's footer, learned from its unrelated articles) and
// which verified pairs the date rules kept apart.
func TestServeArticleAside(t *testing.T) {
	dir := t.TempDir()
	footer := "Comments are moderated and appear once approved; keep them civil and on topic, and read our community rules first."
	var b strings.Builder
	for i := range 5 {
		text := strings.Join(article(int64(200+i), 1), "\n\n") + "\n\n" + footer
		fmt.Fprintf(&b, `{"id":"brief%d","source":"ledger","published":"2024-03-%02dT09:00:00Z","text":%q}`+"\n", i, 1+3*i, text)
	}
	report := "The central bank sold %s billion in seven-day repos at 1.8 percent on Monday, dealers said, as demand held steady."
	fmt.Fprintf(&b, `{"id":"rep1","source":"wire","published":"2024-03-04T09:00:00Z","text":%q}`+"\n", fmt.Sprintf(report, "2.5"))
	fmt.Fprintf(&b, `{"id":"rep2","source":"wire","published":"2024-03-11T09:00:00Z","text":%q}`+"\n", fmt.Sprintf(report, "3.1"))
	in := filepath.Join(dir, "in.jsonl")
	writeFile(t, in, b.String())
	f := webFixture{db: filepath.Join(dir, "a.db")}
	mustRun(t, "--db", f.db, "import", "-q", in)
	srv, _ := startWeb(t, f, web.Options{})
	_, _, page := get(t, srv, "/articles/1")
	if !strings.Contains(page, "left out of matching") || !strings.Contains(page, "site text") || !strings.Contains(page, "Comments are moderated") {
		t.Errorf("the footer is not shown as left out:\n%s", page)
	}
	_, _, page = get(t, srv, "/articles/6")
	if !strings.Contains(page, "Set aside by the date rules") || !strings.Contains(page, "figures that disagree") {
		t.Errorf("the report filed again is not shown as set aside:\n%s", page)
	}
}
