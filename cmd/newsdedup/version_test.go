package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, c := range []struct {
		info *debug.BuildInfo
		want string
	}{
		{nil, "unknown"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "1b6ddf9a0c0ffee0123456789abcdef012345678", "vcs.modified", "true")},
			"devel 1b6ddf9a0c0f (modified)"},
		{&debug.BuildInfo{Settings: settings("vcs.revision", "1b6ddf9", "vcs.modified", "false")}, "devel 1b6ddf9"},
	} {
		if got := buildVersion(c.info); got != c.want {
			t.Errorf("buildVersion(%+v) = %q, want %q", c.info, got, c.want)
		}
	}
}

// TestVersion checks --version and the version command: the same two
// lines, the build's features among them as the build tag says.
func TestVersion(t *testing.T) {
	code, flag, errOut := runMain(t, "--version")
	if code != 0 || errOut != "" {
		t.Fatalf("--version: exit %d, stderr %q", code, errOut)
	}
	if code, cmd, _ := runMain(t, "version"); code != 0 || cmd != flag {
		t.Errorf("version printed %q (exit %d), --version %q", cmd, code, flag)
	}
	if code, after, _ := runMain(t, "stats", "--version"); code != 0 || after != flag {
		t.Errorf("stats --version printed %q (exit %d), want the version", after, code)
	}
	lines := strings.Split(strings.TrimSuffix(flag, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "newsdedup ") || !strings.Contains(lines[1], "SQLite 3.") {
		t.Fatalf("--version printed %q, want the version, the Go and SQLite versions and the features", flag)
	}
	if hasFTS5 := lines[2] == "features: fts5"; hasFTS5 != builtWithFTS5 {
		t.Errorf("features line %q, but the build tag sqlite_fts5 is %v", lines[2], builtWithFTS5)
	}
}
