package main

import (
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// urfave/cli v2 parses a command's flags only up to its first positional
// argument, and a flag only at the level of the command that defines it:
// "search Marrowby --json" searches for "--json", and "clusters --db x"
// is refused. Users write flags anywhere, as git, gh and restic accept
// them, and the README's synopses put them last; normalArgs puts the
// command line in the order urfave/cli parses before it is parsed.

// level is one command of the command line being read, the app first.
type level struct {
	name  string
	flags []cli.Flag
	subs  []*cli.Command
	args  []string // the flags given to this command, with their values
}

// normalArgs reorders args (after the program name) as urfave/cli parses
// them: each command's name followed by its own flags, then the positional
// arguments, after a "--" when one of them looks like a flag. A flag goes
// to the innermost command that defines it, so a global flag such as --db
// may follow the command; a flag that no command defines stays with the
// innermost one, which reports it; -h and --help go to the innermost
// command, whose help is what was asked for, and its arguments are
// dropped. A flag's value is never taken
// for a command or an argument, and "--" ends the flags: what follows it
// is positional. path is the command's names, as far as they were read.
func normalArgs(app *cli.App, args []string) (out, path []string) {
	app.Setup() // adds --help and --version to the app's flags
	levels := []*level{{flags: app.Flags, subs: app.Commands}}
	var positional, help []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if name, inline, ok := flagName(a); ok {
			if isHelpFlag(name) {
				help = append(help, a)
				continue
			}
			lv, takesValue := levels[len(levels)-1], false
			for _, l := range slices.Backward(levels) {
				if f := lookupFlag(l.flags, name); f != nil {
					lv, takesValue = l, flagTakesValue(f)
					break
				}
			}
			lv.args = append(lv.args, a)
			if takesValue && !inline && i+1 < len(args) {
				i++
				lv.args = append(lv.args, args[i])
			}
			continue
		}
		if cur := levels[len(levels)-1]; len(positional) == 0 {
			if cmd := findCommand(cur.subs, a); cmd != nil {
				levels = append(levels, &level{name: a, flags: cmd.Flags, subs: cmd.Subcommands})
				path = append(path, cmd.Name)
				continue
			}
		}
		positional = append(positional, a)
	}
	for i, l := range levels {
		if i > 0 {
			out = append(out, l.name)
		}
		out = append(out, l.args...)
	}
	if len(help) > 0 {
		// The help of the command is asked for, whatever its arguments:
		// urfave/cli would take them for the name of a help topic.
		return append(out, help...), path
	}
	if slices.ContainsFunc(positional, func(p string) bool { return len(p) > 1 && p[0] == '-' }) {
		out = append(out, "--")
	}
	return append(out, positional...), path
}

// flagName returns the name of the flag a is, without dashes or value,
// and whether it carries its value (--name=value), as Go's flag package
// reads it: one dash or two. "-" alone is an argument (standard input).
func flagName(a string) (name string, inline, ok bool) {
	if len(a) < 2 || a[0] != '-' {
		return "", false, false
	}
	name = strings.TrimPrefix(a[1:], "-")
	name, _, inline = strings.Cut(name, "=")
	return name, inline, true
}

func lookupFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

// flagTakesValue says whether f reads the next argument as its value: all
// flags but the boolean ones.
func flagTakesValue(f cli.Flag) bool {
	d, ok := f.(cli.DocGenerationFlag)
	return ok && d.TakesValue()
}

func isHelpFlag(name string) bool {
	return cli.HelpFlag != nil && slices.Contains(cli.HelpFlag.Names(), name)
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}
