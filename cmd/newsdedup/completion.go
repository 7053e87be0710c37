package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionFlag ends the command line a shell's completion script runs:
// the words before the cursor, the word being typed, then this flag. It
// is urfave/cli's name for it; newsdedup answers it itself (complete), so
// that global flags are offered after the command, as they are accepted.
const completionFlag = "--generate-bash-completion"

// shells are the shells completionCommand writes a script for.
var shells = []string{"bash", "zsh", "fish"}

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:  "completion",
		Usage: "print the shell completion script for bash, zsh or fish",
		Description: "Load it in the shell's start-up file:\n" +
			"   bash: source <(newsdedup completion bash)     (in ~/.bashrc)\n" +
			"   zsh:  source <(newsdedup completion zsh)      (in ~/.zshrc, after compinit)\n" +
			"   fish: newsdedup completion fish | source      (in ~/.config/fish/config.fish)",
		ArgsUsage: strings.Join(shells, "|"),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{"completion: give one shell: bash, zsh or fish"}
			}
			script, ok := completionScripts[c.Args().First()]
			if !ok {
				return usageError{fmt.Sprintf("completion: no script for %q (bash, zsh or fish)", c.Args().First())}
			}
			_, err := io.WriteString(c.App.Writer, script)
			return err
		},
	}
}

// completionScripts ask newsdedup itself what to offer, and leave file
// names to the shell when it offers nothing.
var completionScripts = map[string]string{
	"bash": `# bash completion for newsdedup: source <(newsdedup completion bash)
_newsdedup() {
  local IFS=$'\n'
  COMPREPLY=($("${COMP_WORDS[0]}" "${COMP_WORDS[@]:1:COMP_CWORD}" --generate-bash-completion 2>/dev/null))
}
complete -o bashdefault -o default -F _newsdedup newsdedup
`,
	"zsh": `#compdef newsdedup
# zsh completion for newsdedup: source <(newsdedup completion zsh), after compinit
_newsdedup() {
  local -a opts
  opts=("${(@f)$("${words[1]}" "${(@)words[2,CURRENT]}" --generate-bash-completion 2>/dev/null)}")
  if [[ -n "${opts[1]}" ]]; then
    compadd -a opts
  else
    _files
  fi
}
compdef _newsdedup newsdedup
`,
	"fish": `# fish completion for newsdedup: newsdedup completion fish | source
function __newsdedup_complete
    set -l words (commandline -opc) (commandline -ct)
    $words[1] $words[2..-1] --generate-bash-completion 2>/dev/null
end
complete -c newsdedup -a '(__newsdedup_complete)'
`,
}

// argChoices are the words a command takes as its arguments, where there
// are few.
var argChoices = map[string][]string{"completion": shells}

// complete prints, one a line, the words that may follow words (the
// command line after the program name, the word being typed last): the
// flags of the command being typed and of the commands around it after a
// dash, else its subcommands or the words its argument is one of. It
// prints nothing where a file name or a flag's value goes: the shell
// completes those.
func complete(w io.Writer, app *cli.App, words []string) {
	if len(words) == 0 {
		words = []string{""}
	}
	typed, before := words[len(words)-1], words[:len(words)-1]
	app.Setup()
	levels := []*cli.Command{{Flags: app.Flags, Subcommands: app.Commands}}
	var name []string
	positional := false
	for i := 0; i < len(before); i++ {
		a := before[i]
		if a == "--" {
			return // only arguments follow
		}
		if flag, inline, ok := flagName(a); ok {
			for _, l := range slices.Backward(levels) {
				if f := lookupFlag(l.Flags, flag); f != nil {
					if flagTakesValue(f) && !inline {
						i++
					}
					break
				}
			}
			continue
		}
		if cmd := findCommand(levels[len(levels)-1].Subcommands, a); cmd != nil && !positional {
			levels = append(levels, cmd)
			name = append(name, cmd.Name)
			continue
		}
		positional = true
	}
	if i := len(before) - 1; i >= 0 {
		// The word typed is the value of the flag before it.
		if flag, inline, ok := flagName(before[i]); ok && !inline {
			for _, l := range slices.Backward(levels) {
				if f := lookupFlag(l.Flags, flag); f != nil {
					if flagTakesValue(f) {
						return
					}
					break
				}
			}
		}
	}
	var offers []string
	switch cur := levels[len(levels)-1]; {
	case strings.HasPrefix(typed, "-"):
		seen := map[string]bool{}
		for _, l := range slices.Backward(levels) {
			flags := l.Flags
			if cli.HelpFlag != nil {
				flags = append(slices.Clone(flags), cli.HelpFlag)
			}
			for _, f := range flags {
				for _, n := range f.Names() {
					if d := dashes(n); !seen[d] {
						seen[d] = true
						offers = append(offers, d)
					}
				}
			}
		}
	case positional:
	case len(cur.Subcommands) > 0:
		for _, c := range cur.Subcommands {
			if !c.Hidden {
				offers = append(offers, c.Name)
			}
		}
	default:
		offers = argChoices[strings.Join(name, " ")]
	}
	for _, o := range offers {
		if strings.HasPrefix(o, typed) {
			fmt.Fprintln(w, o)
		}
	}
}

func manCommand() *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the manual page (man -l <(newsdedup man), or save it as newsdedup.1 in a man folder)",
		Action: func(c *cli.Context) error {
			page, err := c.App.ToManWithSection(1)
			if err != nil {
				return err
			}
			_, err = io.WriteString(c.App.Writer, page)
			return err
		},
	}
}
