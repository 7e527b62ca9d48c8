// Command yibao is the Chongqing residents' medical-insurance assistant:
// the WeChat webhook (serve), a terminal conversation (chat), the
// calculators (estimate) and the policy-file checker (check).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

const usage = `yibao: 重庆城乡居民医保助手

Usage:
  yibao serve    [flags]   run the WeChat webhook (development mode without configuration)
  yibao chat     [flags]   talk to the bot in the terminal
  yibao estimate [flags]   calculate a reimbursement, a contribution or a benefit start date
  yibao check    [flags]   validate the policy files, intent catalogue, guides and menu
  yibao explain  [-after M] TEXT  how the bot reads a message: topic scores, slots, question kind, dialog row
  yibao menu     [flags]   print the account's custom menu; "menu push [--dry-run]" validates and sends it
  yibao probe    --url U   check a deployed webhook as the platform would (signed, encrypted test message)
  yibao stats    [flags]   what users asked and what the bot did not understand, per day (from Redis)
  yibao policy   new YEAR  start next year's policy file from the newest, every figure marked unconfirmed
  yibao version            the version and commit the binary was built from

Run "yibao COMMAND -h" for a command's flags.
`

// env is what a command may touch of the outside world, passed in so that
// commands can be tested without a process.
type env struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	now    func() time.Time
}

// usageError is bad input from the user: one line on stderr, exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitError carries a chosen exit code with a message already printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	os.Exit(run(env{
		args: os.Args[1:], stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, now: time.Now,
	}))
}

func run(e env) int {
	if len(e.args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return 2
	}
	commands := commandTable()
	name := e.args[0]
	cmd, ok := commands[name]
	if !ok {
		if name == "-h" || name == "--help" || name == "help" {
			fmt.Fprint(e.stdout, usage)
			return 0
		}
		fmt.Fprintf(e.stderr, "yibao: unknown command %q\n%s", name, usage)
		return 2
	}
	e.args = e.args[1:]
	err := cmd(e)
	var ue usageError
	var xe exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, &xe):
		return xe.code
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "yibao %s: %s\n", name, ue.msg)
		return 2
	default:
		fmt.Fprintf(e.stderr, "yibao %s: %v\n", name, err)
		return 1
	}
}

// commandTable maps each subcommand's name to its entry point.
func commandTable() map[string]func(env) error {
	return map[string]func(env) error{
		"serve":    cmdServe,
		"chat":     cmdChat,
		"estimate": cmdEstimate,
		"check":    cmdCheck,
		"explain":  cmdExplain,
		"menu":     cmdMenu,
		"policy":   cmdPolicy,
		"probe":    cmdProbe,
		"stats":    cmdStats,
		"version":  cmdVersion,
	}
}
