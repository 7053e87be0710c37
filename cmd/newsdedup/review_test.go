package main

import (
	"context"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/cmd/newsdedup/web"
)

// Tests of the web UI as a reviewer of clusters uses it, in headless
// Chromium (they skip without it, as the other end-to-end tests do).

// reviewCluster returns the corpus's Marrowby cluster (canonical
// a_copy.txt, with its exact copy a_full.txt) and the ids of its members
// by file name.
func reviewCluster(t *testing.T, f webFixture) (output.Cluster, map[string]int64) {
	t.Helper()
	for _, c := range jsonLines[output.Cluster](t, mustRun(t, "--db", f.db, "clusters", "--json")) {
		if filepath.Base(c.Canonical.Ref) != "a_copy.txt" {
			continue
		}
		ids := map[string]int64{"a_copy.txt": c.Canonical.ID}
		for _, v := range c.Variants {
			ids[filepath.Base(v.Ref)] = v.ID
		}
		if ids["a_full.txt"] == 0 || ids["a_teaser.txt"] == 0 {
			t.Fatalf("the Marrowby cluster lacks a_full.txt or a_teaser.txt: %+v", c)
		}
		return c, ids
	}
	t.Fatal("no cluster with canonical a_copy.txt")
	return output.Cluster{}, nil
}

func TestE2EReview(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end browser test")
	}
	ctx := browser(t)
	f := newWebFixture(t)
	cl, ids := reviewCluster(t, f)
	srv, _ := startWeb(t, f, web.Options{AllowEdits: true})
	base := srv.URL
	clusterURL := base + "/clusters/" + strconv.FormatInt(cl.ID, 10)
	id := func(name string) string { return strconv.FormatInt(ids[name], 10) }

	t.Run("an exact copy is said identical, its text shown once", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(clusterURL), chromedp.WaitVisible(chromedp.CSS("section.variant")))
		exact := `document.getElementById("v` + id("a_full.txt") + `")`
		identical := run(t, ctx, chromedp.Evaluate[string](exact+`.querySelector("p.identical")?.textContent ?? ""`))
		diffs := run(t, ctx, chromedp.Evaluate[int](exact+`.querySelectorAll(".diff").length`))
		if !strings.Contains(identical, "Identical") || diffs != 0 {
			t.Errorf("the exact copy a_full.txt: identical note %q, %d diffs; want the note and no diff", identical, diffs)
		}
		// The teaser still has its diff, and the canonical's text is on
		// the page once, outside the diffs.
		teaserDiffs := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#v`+id("a_teaser.txt")+` .diff").length`))
		canonText := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("details.canonical-text .text p").length`))
		if teaserDiffs != 1 || canonText == 0 {
			t.Errorf("teaser: %d diffs, want 1; canonical text: %d paragraphs, want some", teaserDiffs, canonText)
		}
	})

	t.Run("colours by meaning, with a legend", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(clusterURL), chromedp.WaitVisible(chromedp.CSS("section.variant .diff")))
		style := func(sel, prop string) string {
			return run(t, ctx, chromedp.Evaluate[string](`(() => { const e = document.querySelector(`+strconv.Quote(sel)+`);
				return e ? getComputedStyle(e)[`+strconv.Quote(prop)+`] : "missing" })()`))
		}
		// What only the canonical has is what is kept: not struck, not red.
		kept := style(".diff .side.left mark.kept", "textDecorationLine")
		keptColour := style(".diff .side.left mark.kept", "color")
		if kept == "missing" || strings.Contains(kept, "line-through") || isReddish(keptColour) {
			t.Errorf("canonical-only text: decoration %q, colour %q; want neither struck through nor red", kept, keptColour)
		}
		if bp := style("s.boilerplate", "textDecorationLine"); !strings.Contains(bp, "line-through") {
			t.Errorf("removed boilerplate: decoration %q, want struck through", bp)
		}
		if a, b := style(".diff mark.kept", "backgroundColor"), style("p.legend .key-kept", "backgroundColor"); a != b {
			t.Errorf("kept text has background %s, its legend key %s", a, b)
		}
		legend := run(t, ctx, chromedp.Evaluate[string](`document.querySelector("p.legend")?.textContent ?? ""`))
		for _, w := range []string{"kept", "only in the variant", "boilerplate"} {
			if !strings.Contains(legend, w) {
				t.Errorf("legend %q does not explain %q", legend, w)
			}
		}
	})

	t.Run("actions beside each variant, the name remembered", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(clusterURL), chromedp.WaitVisible(chromedp.CSS("section.variant form.actions")))
		// Every variant has its actions, in its own section, near its top.
		variants := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("section.variant").length`))
		actions := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("section.variant form.actions").length`))
		offset := run(t, ctx, chromedp.Evaluate[int](`(() => { const s = document.getElementById("v`+id("a_teaser.txt")+`");
			return Math.round(s.querySelector("form.actions").getBoundingClientRect().top - s.getBoundingClientRect().top) })()`))
		if variants == 0 || actions != variants || offset > 200 {
			t.Errorf("%d variants, %d with actions; the teaser's actions %d px below its heading", variants, actions, offset)
		}
		// The name starts as the server's user.
		if u, err := user.Current(); err == nil {
			got := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('section.variant form.actions input[name="by"]').value`))
			if got != u.Username {
				t.Errorf("the by field starts as %q, want the OS user %q", got, u.Username)
			}
		}
		// A name typed once fills every form; splitting the teaser out
		// records it, and the next page has it already.
		teaser := `#v` + id("a_teaser.txt") + ` form.actions`
		run(t, ctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(teaser+` input[name="by"]`)+`).value = ""`))
		do(t, ctx, chromedp.SendKeys(chromedp.CSS(teaser+` input[name="by"]`), "Rev Iewer"))
		names := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('input[name="by"]')].map(e => e.value)`))
		if len(names) < 2 || slices.ContainsFunc(names, func(n string) bool { return n != "Rev Iewer" }) {
			t.Errorf("by fields after typing in one: %q", names)
		}
		do(t, ctx, chromedp.SendKeys(chromedp.CSS(teaser+` input[name="why"]`), "a teaser, reviewed"))
		submit(t, ctx, teaser+` button[name="article"]`)
		ds := jsonLines[output.Decision](t, mustRun(t, "--db", f.db, "decisions", "--json"))
		if len(ds) != 1 || ds[0].Kind != "split" || ds[0].By != "Rev Iewer" || ds[0].Why != "a teaser, reviewed" ||
			!slices.Equal(ds[0].ArticleIDs, []int64{ids["a_teaser.txt"]}) {
			t.Errorf("decisions after splitting the teaser out: %+v", ds)
		}
		do(t, ctx, chromedp.Navigate(clusterURL), chromedp.WaitVisible(chromedp.CSS("section.variant form.actions")))
		names = run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('input[name="by"]')].map(e => e.value)`))
		if len(names) == 0 || slices.ContainsFunc(names, func(n string) bool { return n != "Rev Iewer" }) {
			t.Errorf("by fields on the next page: %q, want the remembered name", names)
		}
		// Pin the print version as canonical from beside it.
		submit(t, ctx, `#v`+id("a_full.txt")+` form.actions button[formaction]`)
		shown := jsonLines[output.Article](t, mustRun(t, "--db", f.db, "show", "--json", id("a_full.txt")))[0]
		if shown.Relation != "canonical" {
			t.Errorf("after pinning a_full.txt, its relation is %q", shown.Relation)
		}
	})
}

// TestE2EReviewLists checks the cluster listing, sorted by the weakest
// link, and the search page, grouped by cluster and highlighted.
func TestE2EReviewLists(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end browser test")
	}
	ctx := browser(t)
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	base := srv.URL

	// The weakest link of each cluster, from clusters --json: the lowest
	// score of its variants (Jaccard of a near duplicate, containment of
	// an excerpt, 1 of an exact copy).
	weakest := map[int64]float64{}
	for _, c := range jsonLines[output.Cluster](t, mustRun(t, "--db", f.db, "clusters", "--json")) {
		w := 2.0
		for _, v := range c.Variants {
			s := v.Jaccard
			switch v.Relation {
			case "exact":
				s = 1
			case "excerpt":
				s = v.Containment
			}
			w = min(w, s)
		}
		weakest[c.ID] = w
	}

	t.Run("clusters by their weakest link", func(t *testing.T) {
		type row struct {
			ID      int64   `json:"id"`
			Score   float64 `json:"score"`
			Size    int     `json:"size"`
			Sources string  `json:"sources"`
			Dates   string  `json:"dates"`
		}
		const rows = `[...document.querySelectorAll("table.clusters tbody tr")].map(tr => ({
			id: +tr.querySelector("td a").textContent.slice(1),
			score: +(tr.querySelector("td.weakest .score")?.textContent ?? "2"),
			size: +tr.children[1].textContent,
			sources: tr.querySelector("td.sources").textContent.trim(),
			dates: tr.querySelector("td.dates").textContent.trim()}))`
		do(t, ctx, chromedp.Navigate(base+"/clusters"), chromedp.WaitVisible(chromedp.CSS("table.clusters")))
		got := run(t, ctx, chromedp.Evaluate[[]row](rows))
		if len(got) != len(weakest) || len(got) < 3 {
			t.Fatalf("%d clusters listed, want %d", len(got), len(weakest))
		}
		for i, r := range got {
			if w := weakest[r.ID]; strconv.FormatFloat(w, 'f', 3, 64) != strconv.FormatFloat(r.Score, 'f', 3, 64) {
				t.Errorf("cluster #%d: weakest link %.3f, want %.3f", r.ID, r.Score, w)
			}
			if i > 0 && r.Score < got[i-1].Score {
				t.Errorf("cluster #%d (%.3f) listed after #%d (%.3f): want the weakest link first", r.ID, r.Score, got[i-1].ID, got[i-1].Score)
			}
		}
		// The corpus's wire story is dated and has a source.
		if !slices.ContainsFunc(got, func(r row) bool {
			return strings.Contains(r.Sources, "meridian-wire") && strings.Contains(r.Dates, "2024-")
		}) {
			t.Errorf("no cluster shows the source meridian-wire and a 2024 date: %+v", got)
		}
		// sort=size lists the largest first.
		do(t, ctx, chromedp.Navigate(base+"/clusters?sort=size"), chromedp.WaitVisible(chromedp.CSS("table.clusters")))
		got = run(t, ctx, chromedp.Evaluate[[]row](rows))
		if !slices.IsSortedFunc(got, func(a, b row) int { return b.Size - a.Size }) {
			t.Errorf("sort=size: sizes %v, want the largest first", got)
		}
		if sel := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('select[name="sort"]').value`)); sel != "size" {
			t.Errorf("sort=size: the sort control shows %q", sel)
		}
	})

	t.Run("search hits grouped by cluster and highlighted", func(t *testing.T) {
		if code, _, _ := get(t, srv, "/api/search?q=x"); code == 501 {
			t.Skip("search is not available in this build")
		}
		do(t, ctx, chromedp.Navigate(base+"/search?q=Marrowby+flood"), chromedp.WaitVisible(chromedp.CSS("li.hit")))
		type group struct {
			Cluster int64    `json:"cluster"`
			Hits    []string `json:"hits"`
			Marks   []string `json:"marks"`
		}
		groups := run(t, ctx, chromedp.Evaluate[[]group](`[...document.querySelectorAll("section.hit-group")].map(g => ({
			cluster: +g.querySelector(".group-head a").textContent.replace("Cluster #", ""),
			hits: [...g.querySelectorAll("li.hit .hit-title")].map(a => a.getAttribute("href")),
			marks: [...g.querySelectorAll(".snippet mark")].map(m => m.textContent)}))`))
		if len(groups) == 0 {
			t.Fatal("no groups of hits")
		}
		seen := map[int64]bool{}
		for _, g := range groups {
			if seen[g.Cluster] {
				t.Errorf("cluster #%d has two groups", g.Cluster)
			}
			seen[g.Cluster] = true
			for _, h := range g.Hits {
				a := jsonLines[output.Article](t, mustRun(t, "--db", f.db, "show", "--json", strings.TrimPrefix(h, "/articles/")))[0]
				if a.ClusterID != g.Cluster {
					t.Errorf("hit %s of cluster #%d is listed under cluster #%d", h, a.ClusterID, g.Cluster)
				}
			}
			if len(g.Marks) == 0 {
				t.Errorf("cluster #%d: no highlighted term in its snippets", g.Cluster)
			}
			for _, m := range g.Marks {
				if w := strings.ToLower(m); w != "marrowby" && w != "flood" {
					t.Errorf("cluster #%d: %q highlighted, want only the terms searched", g.Cluster, m)
				}
			}
		}
		// The Marrowby cluster's members are one group.
		if len(groups[0].Hits) < 2 {
			t.Errorf("the first group has %d hits, want the Marrowby cluster's copies together", len(groups[0].Hits))
		}
		// A snippet of the hostile article stays text.
		do(t, ctx, chromedp.Navigate(base+"/search?q=onerror"), chromedp.WaitVisible(chromedp.CSS("li.hit")))
		imgs := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("main img, main script").length`))
		snippet := run(t, ctx, chromedp.Evaluate[string](`document.querySelector(".snippet").textContent`))
		if imgs != 0 || !strings.Contains(snippet, "<img src=x onerror=alert(2)>") {
			t.Errorf("hostile snippet: %d img/script elements, text %q", imgs, snippet)
		}
	})
}

// TestServeOverviewCounts checks that the overview's stated counts are
// those its bars add up to.
func TestServeOverviewCounts(t *testing.T) {
	f := newWebFixture(t)
	srv, _ := startWeb(t, f, web.Options{})
	_, _, page := get(t, srv, "/")
	num := func(class string) int {
		m := regexp.MustCompile(`class="` + class + `">(\d+)<`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the overview has no %s", class)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	first, variants, bars := num("count-first"), num("count-variants"), num("count-bars")
	if first == 0 || variants == 0 || bars != first+variants {
		t.Errorf("the note says %d pairs and %d variants, bars adding up to %d", first, variants, bars)
	}
	figures := strings.Split(page, "<figure")[1:]
	if len(figures) != 2 {
		t.Fatalf("%d charts, want 2", len(figures))
	}
	tip := regexp.MustCompile(`class="(bar-links|bar-variants)"[^>]*><title>[^<]*?: (\d+) `)
	legend := regexp.MustCompile(`class="legend"[^>]*>[^<]*\((\d+)\)</text>`)
	for i, fig := range figures {
		sums := map[string]int{}
		for _, m := range tip.FindAllStringSubmatch(fig, -1) {
			n, _ := strconv.Atoi(m[2])
			sums[m[1]] += n
		}
		var labels []int
		for _, m := range legend.FindAllStringSubmatch(fig, -1) {
			n, _ := strconv.Atoi(m[1])
			labels = append(labels, n)
		}
		if sums["bar-links"] != first || sums["bar-variants"] != variants || !slices.Equal(labels, []int{first, variants}) {
			t.Errorf("chart %d: bars add up to %d and %d, legend says %v; the note says %d and %d",
				i, sums["bar-links"], sums["bar-variants"], labels, first, variants)
		}
	}
}

// submit clicks a form's button and waits for the page the server
// answers with: the old page's body is marked, so that the wait is for a
// body without the mark, which only the next document has.
func submit(t *testing.T, ctx context.Context, button string) {
	t.Helper()
	run(t, ctx, chromedp.Evaluate[string](`document.body.dataset.old = "1"`))
	do(t, ctx, chromedp.Click(chromedp.CSS(button)), chromedp.WaitReady(chromedp.CSS("body:not([data-old]) h1")))
}

// isReddish reports whether a CSS rgb() colour is mostly red.
func isReddish(rgb string) bool {
	m := regexp.MustCompile(`rgba?\((\d+), (\d+), (\d+)`).FindStringSubmatch(rgb)
	if m == nil {
		return false
	}
	r, _ := strconv.Atoi(m[1])
	g, _ := strconv.Atoi(m[2])
	b, _ := strconv.Atoi(m[3])
	return r > 120 && r > 2*g && r > 2*b
}
