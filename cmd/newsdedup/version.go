package main

import (
	"database/sql"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	// The driver sqliteBuild asks; store registers it too.
	_ "github.com/mattn/go-sqlite3"
	"github.com/urfave/cli/v2"
)

func init() {
	// Without the -v alias urfave/cli gives it: -v reads as verbose to
	// many.
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version and the build's features"}
	cli.VersionPrinter = func(c *cli.Context) { printVersion(c.App.Writer, c.App.Version) }
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version, the Go and SQLite versions and the build's features (as --version does)",
		Action: func(c *cli.Context) error {
			printVersion(c.App.Writer, c.App.Version)
			return nil
		},
	}
}

// printVersion prints three lines: the version, what it was built with,
// and its features, which say what a bug report needs to know.
func printVersion(w io.Writer, version string) {
	fmt.Fprintln(w, "newsdedup", version)
	sqliteVersion, fts5, err := sqliteBuild()
	if err != nil {
		sqliteVersion = "SQLite unknown (" + err.Error() + ")"
	}
	fmt.Fprintf(w, "%s %s/%s, SQLite %s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, sqliteVersion)
	if fts5 {
		fmt.Fprintln(w, "features: fts5")
	} else {
		fmt.Fprintln(w, "features: none (search needs a build with -tags sqlite_fts5)")
	}
}

// sqliteBuild asks the SQLite compiled in for its version and whether it
// has FTS5, which the build tag sqlite_fts5 adds: what search needs is
// what SQLite says it has, not what a tag was meant to do.
func sqliteBuild() (version string, fts5 bool, err error) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return "", false, err
	}
	defer db.Close()
	err = db.QueryRow(`SELECT sqlite_version(), sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&version, &fts5)
	return version, fts5, err
}

func readBuildInfo() *debug.BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return info
}

// buildVersion is the version of the build info: the module's version
// for go install ...@version (or the pseudo-version go build stamps from
// the repository), else the commit it was built from, else "devel"; info
// is nil where the binary carries none.
func buildVersion(info *debug.BuildInfo) string {
	if info == nil {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "devel " + rev
	if modified == "true" {
		v += " (modified)"
	}
	return v
}
