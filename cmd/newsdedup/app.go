package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/pprof"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/store"
)

// app is the command line: urfave/cli's App, run on its arguments in the
// order it parses (normalArgs), so that flags may come anywhere.
type app struct{ *cli.App }

// newApp builds the command line. Commands return plain errors; main maps
// them to exit codes, so the app runs in-process in tests.
func newApp(stdin io.Reader, stdout, stderr io.Writer) app {
	a := &cli.App{
		Name:  "newsdedup",
		Usage: "turn scraped news articles into a clean, deduplicated corpus",
		UsageText: "newsdedup [global options] command [command options] [arguments...]\n\n" +
			"Flags may come anywhere, global ones after the command too; -- ends them.\n" +
			"Run 'newsdedup help COMMAND' or 'newsdedup COMMAND --help' for a command's flags.",
		Version:   buildVersion(readBuildInfo()),
		Reader:    stdin,
		Writer:    stdout,
		ErrWriter: stderr,
		// Errors are printed once, by main; the help is printed by help
		// and --help only, never after a mistake.
		ExitErrHandler:  func(*cli.Context, error) {},
		OnUsageError:    parseError,
		HideHelpCommand: true,
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name:    "db",
				Value:   "newsdedup.db",
				Usage:   "SQLite database `PATH`, created on first use",
				EnvVars: []string{"NEWSDEDUP_DB"},
			},
			&cli.StringFlag{
				Name:  "cpuprofile",
				Usage: "write a CPU profile of the command to `FILE`, for go tool pprof",
			},
			// The app's own help command keeps urfave/cli from adding
			// its flag.
			cli.HelpFlag,
		},
		Before: startProfile,
		After:  stopProfile,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Sprintf("unknown command %q", c.Args().First())}
			}
			return cli.ShowAppHelp(c)
		},
		Commands: []*cli.Command{
			importCommand(),
			clustersCommand(),
			showCommand(),
			exportCommand(),
			statsCommand(),
			importsCommand(),
			searchCommand(),
			similarCommand(),
			generateCommand(),
			serveCommand(),
			clusterCommand(), canonicalCommand(), decisionsCommand(),
			checkCommand(), evalCommand(),
			helpCommand(), versionCommand(), completionCommand(), manCommand(),
		},
	}
	for _, cmd := range a.Commands {
		refuseStrayArgs(cmd)
	}
	return app{a}
}

// RunContext runs the command line args (the program name first).
func (a app) RunContext(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return a.App.RunContext(ctx, args)
	}
	if len(args) > 1 && args[len(args)-1] == completionFlag {
		complete(a.Writer, a.App, args[1:len(args)-1])
		return nil
	}
	normal, _ := normalArgs(a.App, args[1:])
	return a.App.RunContext(ctx, append([]string{args[0]}, normal...))
}

// Run is RunContext without a context.
func (a app) Run(args []string) error { return a.RunContext(context.Background(), args) }

// refuseStrayArgs makes cmd and its subcommands refuse what urfave/cli
// lets through: arguments to a command that takes none, and a subcommand
// that does not exist. Both are usage errors, not a help page.
func refuseStrayArgs(cmd *cli.Command) {
	cmd.OnUsageError = parseError
	switch {
	case len(cmd.Subcommands) > 0 && cmd.Action == nil:
		// help COMMAND SUBCOMMAND is the app's; COMMAND help is not.
		cmd.HideHelpCommand = true
		cmd.Action = func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Sprintf("%s: unknown command %q", cmd.Name, c.Args().First())}
			}
			return cli.ShowSubcommandHelp(c)
		}
	case len(cmd.Subcommands) == 0 && cmd.ArgsUsage == "":
		before := cmd.Before
		cmd.Before = func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Sprintf("%s takes no arguments (got %q)", commandName(c), c.Args().First())}
			}
			if before != nil {
				return before(c)
			}
			return nil
		}
	}
	for _, sub := range cmd.Subcommands {
		refuseStrayArgs(sub)
	}
}

// commandName is the running command's name after the program's, as
// "cluster split"; empty for the app itself.
func commandName(c *cli.Context) string {
	if c.Command == nil {
		return ""
	}
	_, name, _ := strings.Cut(c.Command.HelpName, " ")
	return name
}

// parseError turns what Go's flag package says about a command line into
// one line in the words of the rest of the CLI: "--name", not "-name".
func parseError(c *cli.Context, err error, _ bool) error {
	msg := err.Error()
	if m := flagErrors.FindStringSubmatch(msg); m != nil {
		switch {
		case m[1] != "":
			msg = "unknown flag " + dashes(m[1])
		case m[2] != "":
			msg = dashes(m[2]) + " needs a value"
		default:
			msg = fmt.Sprintf("bad value %s for %s: %s", m[3], dashes(m[4]), m[5])
		}
	}
	if name := commandName(c); name != "" {
		msg = name + ": " + msg
	}
	return usageError{msg}
}

var flagErrors = regexp.MustCompile(`^(?:flag provided but not defined: -(.*)|flag needs an argument: -(.*)|invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([^:]*): (.*))$`)

// dashes writes a flag's name as it is documented: -q, --quiet.
func dashes(name string) string {
	if len([]rune(name)) == 1 {
		return "-" + name
	}
	return "--" + name
}

// helpCommand is "help [COMMAND [SUBCOMMAND]]": the help that --help
// prints, for those who type help first.
func helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the help of newsdedup or of a command, as COMMAND --help does",
		ArgsUsage: "[COMMAND [SUBCOMMAND]]",
		Action: func(c *cli.Context) error {
			topic := c.Args().Slice()
			cmds := c.App.Commands
			for i, name := range topic {
				cmd := findCommand(cmds, name)
				if cmd == nil {
					return usageError{fmt.Sprintf("help: no command %q", strings.Join(topic[:i+1], " "))}
				}
				cmds = cmd.Subcommands
			}
			// A fresh app prints it, as newsdedup COMMAND --help would:
			// this one is running already.
			h := newApp(c.App.Reader, c.App.Writer, c.App.ErrWriter)
			return h.RunContext(c.Context, append(append([]string{c.App.Name}, topic...), "--help"))
		},
	}
}

// startProfile starts the CPU profile asked for with --cpuprofile: where
// an import spends its time on someone's data is the question a slow
// import raises.
func startProfile(c *cli.Context) error {
	path := c.String("cpuprofile")
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("cpu profile: %w", err)
	}
	c.App.Metadata = map[string]any{"cpuprofile": f}
	return nil
}

func stopProfile(c *cli.Context) error {
	f, ok := c.App.Metadata["cpuprofile"].(*os.File)
	if !ok {
		return nil
	}
	pprof.StopCPUProfile()
	delete(c.App.Metadata, "cpuprofile")
	return f.Close()
}

// openDB opens the database named by --db.
func openDB(c *cli.Context) (*store.DB, error) {
	return store.Open(c.Context, c.String("db"))
}

// openExisting opens the database named by --db for reading, refusing to
// create one: a query on a mistyped path should not leave an empty file.
// A database that cannot be written (a read-only file or folder) is
// opened read-only: reading needs no write.
func openExisting(c *cli.Context) (*store.DB, error) {
	path := c.String("db")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no database at %s (import something first, or pass --db): %w", path, err)
	}
	db, err := store.Open(c.Context, path)
	if errors.Is(err, store.ErrReadOnly) {
		return store.OpenReadOnly(c.Context, path)
	}
	return db, err
}

// withDB runs fn with the database open for reading.
func withDB(c *cli.Context, fn func(context.Context, *store.DB) error) error {
	db, err := openExisting(c)
	if err != nil {
		return err
	}
	defer db.Close()
	err = fn(c.Context, db)
	if db.ReadOnly() && store.IsReadOnly(err) && !errors.Is(err, store.ErrReadOnly) {
		return fmt.Errorf("%w (%s cannot be written: it, or its folder, is read-only)", err, db.Path())
	}
	return err
}
