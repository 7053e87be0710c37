// Package pipelinetest writes small invented corpora with known clusters
// and describes a database's clusters by ref, for the tests of the
// packages that import articles.
package pipelinetest

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/store"
)

// words is a vocabulary for generated articles; generated text has no
// meaning but has the statistics that matter here: distinct sentences.
var words = strings.Fields(`the a council river harbour minister said on tuesday after report
	water level rose across town residents were moved to school hall while engineers checked
	bridge north east road closed police warned drivers avoid centre until further notice
	mayor promised funds repair damage insurers estimate cost million pounds farmers fields
	flooded crops lost weather service expects more rain weekend volunteers filled sandbags`)

// Article returns paras paragraphs of generated sentences from a seeded
// source: the same seed gives the same text.
func Article(seed int64, paras int) []string {
	r := rand.New(rand.NewSource(seed))
	out := make([]string, paras)
	for i := range out {
		var b strings.Builder
		for s := 0; s < 3; s++ {
			n := 10 + r.Intn(8)
			for w := 0; w < n; w++ {
				word := words[r.Intn(len(words))]
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				}
				b.WriteString(word)
				if w < n-1 {
					b.WriteByte(' ')
				}
			}
			b.WriteString(". ")
		}
		out[i] = strings.TrimSpace(b.String())
	}
	return out
}

// WriteFile writes content to path, making its folders.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// SmallCorpus writes a folder of generated articles with known duplicates
// and returns its path: full/teaser/copy of story 1, an edited version of
// story 2, and three unrelated singletons. SmallCorpusClusters are its
// clusters.
func SmallCorpus(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	one := Article(1, 12)
	two := Article(2, 10)
	WriteFile(t, filepath.Join(dir, "s1_full.txt"), "Story one headline\n\n"+strings.Join(one, "\n\n"))
	WriteFile(t, filepath.Join(dir, "s1_teaser.txt"), "Story one headline\n\n"+strings.Join(one[:4], "\n\n")+"\n\nPrevious ArticleNext Article")
	WriteFile(t, filepath.Join(dir, "sub", "s1_copy.txt"), "Story one headline\n\n"+strings.Join(one, "\n\n"))
	edited := slices.Clone(two)
	edited[3] += " Officials later corrected the figure."
	WriteFile(t, filepath.Join(dir, "s2_v1.txt"), strings.Join(two, "\n"))
	WriteFile(t, filepath.Join(dir, "s2_v2.txt"), "An update was issued tonight by the regional office.\n"+strings.Join(edited, "\n"))
	for i := int64(3); i <= 5; i++ {
		WriteFile(t, filepath.Join(dir, fmt.Sprintf("other%d.txt", i)), strings.Join(Article(100+i, 8), "\n\n"))
	}
	return dir
}

// SmallCorpusClusters are SmallCorpus's clusters, as Clusters gives them.
var SmallCorpusClusters = []string{
	"s1_full.txt <- s1_copy.txt(exact), s1_teaser.txt(excerpt)",
	"s2_v2.txt <- s2_v1.txt(near)",
}

// Clusters describes db's clusters of two or more by the base names of
// their refs, independent of ids: one line per cluster, "canonical <-
// variant(relation), ...", sorted.
func Clusters(t testing.TB, db *store.DB) []string {
	t.Helper()
	var lines []string
	err := db.EachCluster(context.Background(), 2, func(c store.Cluster) error {
		var vs []string
		for _, v := range c.Variants {
			vs = append(vs, filepath.Base(v.Ref)+"("+string(v.Relation)+")")
		}
		slices.Sort(vs)
		lines = append(lines, filepath.Base(c.Canonical.Ref)+" <- "+strings.Join(vs, ", "))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return lines
}
