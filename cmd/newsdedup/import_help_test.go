package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestImportHelpFormats checks that import --help names every input
// format and compression the README's import section names.
func TestImportHelpFormats(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n### import\n")
	_, section, _ = strings.Cut(section, "\nPATH is ")
	section, _, _ = strings.Cut(section, "\n\n")
	if section == "" {
		t.Fatal("README has no \"PATH is\" paragraph under ### import")
	}
	var want []string
	for _, m := range regexp.MustCompile("`(\\.[a-z0-9]+)`").FindAllStringSubmatch(section, -1) {
		want = append(want, m[1])
	}
	for _, name := range []string{"gzip", "deflate", "brotli", "zstd", "bzip2", "xz", "folder", "symbolic link", "standard input"} {
		if strings.Contains(section, name) {
			want = append(want, name)
		}
	}
	if len(want) < 8 {
		t.Fatalf("found only %q in the README's list of formats", want)
	}
	help := mustRun(t, "import", "--help")
	help = strings.Join(strings.Fields(help), " ")
	for _, w := range want {
		if !strings.Contains(help, w) {
			t.Errorf("import --help does not mention %s, which the README lists", w)
		}
	}
}
