// Command ermi runs the stages of the ERMI method (Jagadish et al., ICML 2024)
// from the command line: reading and checking tasks, generating synthetic
// priors, and, as the project grows, training, fitting and benchmarking.
//
// Usage:
//
//	ermi tasks info [-max-steps N] [-dims D] [-strict] FILE…
//	ermi priors -prior linear|mlp|rmc -dims D -tasks N -trials T -seed S -out FILE
//	ermi generate labels|data -dims D -out DIR [-labels FILE] [-resume] [-api …]
//	ermi parse -dims D -out FILE RAW…
//	ermi stats [-real DIR] -out report.json FILE…
//	ermi train -config NAME [-steps N] [-minutes M] [-out DIR]
//	ermi eval -model DIR [-tasks FILE]
//	ermi fit -study badham2017|devraj2022 [-models ERMI,GCM,…] -out DIR
//	ermi simulate shepard|strategy|transfer -model DIR [-seed S] -out DIR
//
// Run "ermi COMMAND -h" for the flags of a command.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// command is one subcommand: run parses its own flags from args.
type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"tasks", "inspect task files (ermi tasks info FILE…)", runTasks},
	{"priors", "generate tasks from a synthetic prior (linear, mlp, rmc)", runPriors},
	{"generate", "have an LLM write task labels or tasks (offline: show the shipped LLM tasks)", runGenerate},
	{"parse", "parse LLM answers to the data prompt into tasks, with a parse report", runParse},
	{"stats", "task statistics of LLM, real and prior tasks, with KL divergences", runStats},
	{"train", "meta-train a configuration (ermi-3d, mi-3d, …), resuming where it stopped", runTrain},
	{"eval", "accuracy by trial block of a trained model beside online logistic regression", runEval},
	{"fit", "fit the meta-learners and classic models to people's choices; BIC and model selection", runFit},
	{"simulate", "the qualitative effects: shepard, strategy or transfer, beside people's", runSimulate},
	{"openml", "the OpenML-CC18 benchmark: meta-learners in context against LR, SVM and XGBoost", runOpenML},
}

// errUsage marks an error already explained by a usage message.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the exit status: 0 on
// success, 2 for a usage error, 1 for any other error.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(args[1:], stdout, stderr)
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			default:
				fmt.Fprintf(stderr, "ermi %s: %v\n", c.name, err)
				return 1
			}
		}
	}
	fmt.Fprintf(stderr, "ermi: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "ermi: meta-learned models of human category learning (ERMI, Jagadish et al. 2024)")
	fmt.Fprintln(w, "\nUsage: ermi COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'ermi COMMAND -h' for a command's flags.")
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage, headed by synopsis, to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping a flag error (already printed with the
// usage) to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
