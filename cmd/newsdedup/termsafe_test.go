package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
)

// hostileBody is an invented article long enough to be kept, and the
// terminal sequences its fields carry: clear the screen, set the window
// title, write the clipboard (OSC 52), a C1 CSI, a bell, a carriage
// return that would overwrite the line, and a byte that is not UTF-8.
const (
	hostileBody = "The ferry to Quillon will keep its winter timetable until the breakwater is finished, the harbour master said on Tuesday, and the council will meet again in the spring to argue about the cost of the work and the new timetable."
	hostileSeq  = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\u009b31m\r\xff"
)

// unsafeForTerminal reports the first control sequence byte a terminal
// would act on: C0 controls other than newline and tab, DEL, C1
// controls, and bytes that are not UTF-8.
func unsafeForTerminal(s string) (rune, bool) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return rune(s[i]), true
		}
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
			return r, true
		}
		i += n
	}
	return 0, false
}

// TestTerminalEscapes imports articles whose titles, ids, sources, text
// and file names hold terminal escape sequences: no text output passes
// one through, while export to standard output keeps every byte.
func TestTerminalEscapes(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.Mkdir(in, 0o755); err != nil {
		t.Fatal(err)
	}
	var jl bytes.Buffer
	for i, v := range []string{"one", "two"} {
		rec := map[string]string{"id": "id" + hostileSeq + v, "title": "Title" + hostileSeq, "source": "src" + hostileSeq,
			"text": hostileBody + " " + strings.Repeat(v+" ", i+1) + hostileSeq}
		b, _ := json.Marshal(rec)
		jl.Write(b)
		jl.WriteByte('\n')
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(in, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("feed.jsonl", jl.String())
	write("name"+hostileSeq+".txt", hostileBody+" from a file with a hostile name")
	write("empty"+hostileSeq+".txt", "")
	write("broken"+hostileSeq+".jsonl", "{\"text\": \"unterminated\x1b[2J\n")

	db := filepath.Join(dir, "t.db")
	stdout, stderr, err := runCLI(t, "", "--db", db, "import", in)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	outputs := map[string]string{"import": stdout + stderr}
	var ids []string
	for _, c := range jsonLines[output.Cluster](t, mustRun(t, "--db", db, "clusters", "--min-size", "1", "--json")) {
		ids = append(ids, itoa(c.Canonical.ID))
		for _, v := range c.Variants {
			ids = append(ids, itoa(v.ID))
		}
	}
	for _, args := range [][]string{{"clusters", "--min-size", "1"}, {"stats"}, {"imports"}, {"search", "ferry"}, {"similar", filepath.Join(in, "feed.jsonl")}} {
		out, errOut, err := runCLI(t, "", append([]string{"--db", db}, args...)...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, errOut)
		}
		outputs[strings.Join(args, " ")] = out + errOut
	}
	for _, id := range ids {
		outputs["show "+id] = mustRun(t, "--db", db, "show", id)
	}
	// main prints the error: run the binary itself.
	cmd := exec.Command(os.Args[0], "--db", db, "show", "--json", "x"+hostileSeq)
	cmd.Env = append(os.Environ(), "NEWSDEDUP_RUN_MAIN=1")
	var childErr bytes.Buffer
	cmd.Stderr = &childErr
	if err := cmd.Run(); err == nil {
		t.Fatal("show of a hostile id succeeded")
	}
	outputs["the error of a command"] = childErr.String()
	cmd = exec.Command(os.Args[0], "--db", db, "import", filepath.Join(in, "missing"+hostileSeq))
	cmd.Env = append(os.Environ(), "NEWSDEDUP_RUN_MAIN=1")
	childErr.Reset()
	cmd.Stderr = &childErr
	if err := cmd.Run(); err == nil {
		t.Fatal("import of a missing file succeeded")
	}
	outputs["import of a missing file"] = childErr.String()
	for name, out := range outputs {
		if r, bad := unsafeForTerminal(out); bad {
			t.Errorf("%s prints %U to the terminal:\n%q", name, r, out)
		}
	}
	if !strings.Contains(outputs["clusters --min-size 1"], `\x1b]0;pwned\a`) && !strings.Contains(outputs["clusters --min-size 1"], `\x1b]0;pwned\x07`) {
		t.Errorf("clusters does not show the escaped title:\n%s", outputs["clusters --min-size 1"])
	}

	// Exports keep every byte: the file's name has the byte that is not
	// UTF-8, and JSON carried it as U+FFFD.
	if out := mustRun(t, "--db", db, "export", "--variants", "--format", "csv"); !strings.Contains(out, "name"+hostileSeq+".txt") {
		t.Errorf("export --format csv alters the bytes of the fields:\n%q", out)
	}
	for _, e := range jsonLines[output.Export](t, mustRun(t, "--db", db, "export", "--variants")) {
		if e.Title != "" && e.Title != "Title"+strings.ToValidUTF8(hostileSeq, "\uFFFD") {
			t.Errorf("export --format jsonl alters a title: %q", e.Title)
		}
	}
}

func TestTermEscape(t *testing.T) {
	for _, c := range []struct{ in, line, text string }{
		{"plain text, ünïcode — ok", "plain text, ünïcode — ok", "plain text, ünïcode — ok"},
		{"a\nb\tc", `a\nb\tc`, "a\nb\tc"},
		{"\x1b[2J\x07\r\x00\x7f", `\x1b[2J\a\r\x00\x7f`, `\x1b[2J\a\r\x00\x7f`},
		{"csi \u009b31m nel \u0085 ok \u00a0", `csi \u009b31m nel \u0085 ok ` + "\u00a0", `csi \u009b31m nel \u0085 ok ` + "\u00a0"},
		{"bad \xff\xc2 byte, real \uFFFD", `bad \xff\xc2 byte, real ` + "\uFFFD", `bad \xff\xc2 byte, real ` + "\uFFFD"},
	} {
		if got := termLine(c.in); got != c.line {
			t.Errorf("termLine(%q) = %q, want %q", c.in, got, c.line)
		}
		if got := termText(c.in); got != c.text {
			t.Errorf("termText(%q) = %q, want %q", c.in, got, c.text)
		}
		if _, bad := unsafeForTerminal(termLine(c.in)); bad || strings.ContainsAny(termLine(c.in), "\n\t") {
			t.Errorf("termLine(%q) = %q is not safe on one line", c.in, termLine(c.in))
		}
	}
}
