package main

import (
	"slices"
	"strings"
	"testing"
)

// TestCompletion checks the answers the shell scripts ask for: the words
// before the cursor, the word being typed, then --generate-bash-completion.
func TestCompletion(t *testing.T) {
	complete := func(words ...string) []string {
		t.Helper()
		code, out, errOut := runMain(t, append(words, "--generate-bash-completion")...)
		if code != 0 || errOut != "" {
			t.Fatalf("completing %q: exit %d, stderr %q", words, code, errOut)
		}
		return strings.Fields(out)
	}
	for _, c := range []struct {
		words []string
		want  []string // all of these, and nothing without their prefix
	}{
		{[]string{""}, []string{"import", "clusters", "cluster", "help", "version", "completion", "man"}},
		{[]string{"clu"}, []string{"clusters", "cluster"}},
		{[]string{"--db", "x", "cl"}, []string{"clusters", "cluster"}},
		{[]string{"cluster", ""}, []string{"split", "merge"}},
		{[]string{"cluster", "split", "--"}, []string{"--why", "--by", "--json", "--db", "--help"}},
		{[]string{"import", "--sh"}, []string{"--shingle"}},
		{[]string{"import", "x", "--d"}, []string{"--db", "--date-window"}},
		{[]string{"export", "-"}, []string{"-o", "--output", "--db"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}},
	} {
		got := complete(c.words...)
		prefix := c.words[len(c.words)-1]
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("completing %q: %q lacks %s", c.words, got, w)
			}
		}
		for _, w := range got {
			if !strings.HasPrefix(w, prefix) {
				t.Errorf("completing %q offers %s", c.words, w)
			}
		}
	}
	// A file name or a flag's value is the shell's to complete.
	for _, words := range [][]string{{"import", ""}, {"--db", ""}, {"import", "--format", ""}, {"show", "1", ""}} {
		if got := complete(words...); len(got) != 0 {
			t.Errorf("completing %q offers %q, want nothing (the shell completes files)", words, got)
		}
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, errOut := runMain(t, "completion", shell)
		if code != 0 || errOut != "" || !strings.Contains(out, "--generate-bash-completion") || !strings.Contains(out, "newsdedup") {
			t.Errorf("completion %s: exit %d, stderr %q, script:\n%s", shell, code, errOut, out)
		}
	}
	if code, _, errOut := runMain(t, "completion", "tcsh"); code != 2 || !strings.Contains(errOut, "bash, zsh or fish") {
		t.Errorf("completion tcsh: exit %d, stderr %q, want a usage error naming the shells", code, errOut)
	}
	if code, _, _ := runMain(t, "completion"); code != 2 {
		t.Errorf("completion without a shell: exit %d, want 2", code)
	}
}

func TestMan(t *testing.T) {
	code, out, errOut := runMain(t, "man")
	if code != 0 || errOut != "" {
		t.Fatalf("man: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{".TH newsdedup 1", ".SH NAME", "cluster split", "--db", "--shingle"} {
		if !strings.Contains(out, want) {
			t.Errorf("man page lacks %q", want)
		}
	}
}
