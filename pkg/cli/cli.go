// Package cli implements the `bulwark` command line: `serve` (API, web app
// and workers in one process), `version`, and the subcommands later
// features add. Every subcommand is a function of its arguments and output
// streams so that tests can run it in-process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/app"
	"github.com/bulwark-tm/bulwark/pkg/demo"
	"github.com/bulwark-tm/bulwark/pkg/gctune"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
)

// command is one subcommand.
type command struct {
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"serve":    {"serve the API and the web app", serve},
	"import":   {"convert CloudFormation, Terraform plan, OTM, Threat Dragon or Threat Composer files into a model", importCommand},
	"export":   {"write a model as OTM, Threat Dragon or Threat Composer", exportCommand},
	"version":  {"print the version", version},
	"build":    {"build a VPC's threat model from AWS Config data", buildCommand},
	"drift":    {"compare a built model with AWS Config data (exit 3 on drift, 4 when input was not read)", driftCommand},
	"scan":     {"build a VPC's threat model from the live account your AWS credentials reach", scanCommand},
	"event":    {"hand AWS Config change events to a running `bulwark serve`", eventCommand},
	"evidence": {"apply Security Hub findings and AWS Config evaluations to a model file, offline", evidenceCommand},
	"report":   {"write a report on a model file as HTML, PDF, CSV or JSON", reportCommand},
	"diff":     {"show what changed between two model files: elements, threats, requirements", diffCommand},
	"check":    {"CI gate: fail (exit 1) when changed CloudFormation/Terraform adds threats over a threshold to the approved baseline (exit 2 on bad input)", checkCommand},
}

// usageError marks a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// flagError is the error of a failed flag.FlagSet.Parse: flag.ErrHelp as
// it is (-h or --help: the usage was printed, Run answers nil), any other
// a usage error.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return flag.ErrHelp
	}
	return usageError{err.Error()}
}

// parseFlags parses a subcommand's flags; a bad flag or a positional
// argument is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s takes no arguments, got %q", fs.Name(), fs.Args())}
	}
	return nil
}

// newFlagSet returns the flag set of subcommand name. Its errors and its
// usage (usage, then the flags and their defaults) go to stderr.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// listFlag is a repeatable flag; each value may also list several values
// separated by commas.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// ExitCode returns the process exit code for an error Run returned: the
// error's own ExitCode() when it has one (e.g. 3 for drift), 2 for
// command-line mistakes, 1 otherwise.
func ExitCode(err error) int {
	var c interface{ ExitCode() int }
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// Run runs the subcommand named by args[0].
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, Usage())
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("unknown command %q; run `bulwark help`", args[0])}
	}
	if err := c.run(ctx, args[1:], stdout, stderr); !errors.Is(err, flag.ErrHelp) {
		return err
	}
	return nil // `bulwark COMMAND -h` printed the command's usage, as asked
}

// Usage returns the help text.
func Usage() string {
	var b strings.Builder
	b.WriteString("bulwark — AWS-native threat modeling\n\nUsage: bulwark COMMAND [flags]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, commands[n].usage)
	}
	b.WriteString("\nSettings (flag, environment variable):\n")
	b.WriteString(app.Describe())
	b.WriteString(describeExtra())
	return b.String()
}

// demoUsage describes serve's --demo flag.
const demoUsage = "seed the demo threat models into an empty local store (env BULWARK_DEMO=true)"

// extraSettings are the settings that are not app.Config's: serve's --demo
// flag and the environment variables of a file:// secret store's key.
var extraSettings = []app.Var{
	{Flag: "demo", Env: "BULWARK_DEMO", Usage: "serve: seed the demo threat models into an empty local store (BULWARK_DEMO=true turns it on; make run does)"},
	{Env: secrets.KeyEnv, Usage: "the key that encrypts a file:// secret store: 32 bytes, base64 (openssl rand -base64 32)"},
	{Env: secrets.KeyFileEnv, Usage: "where that key is kept when " + secrets.KeyEnv + " is unset; created 0600 with a random key on first use (default bulwark/secrets.key in the user's configuration directory)"},
}

// describeExtra lists extraSettings in app.Describe's columns.
func describeExtra() string {
	var c app.Config
	fw, ew := 0, 0
	for _, v := range c.Vars() {
		fw, ew = max(fw, len(v.Flag)), max(ew, len(v.Env))
	}
	var b strings.Builder
	for _, v := range extraSettings {
		name := ""
		if v.Flag != "" {
			name = "--" + v.Flag
		}
		fmt.Fprintf(&b, "  %-*s  %-*s  %s\n", fw+2, name, ew, v.Env, v.Usage)
	}
	return b.String()
}

func version(_ context.Context, _ []string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "bulwark", app.Version)
	return nil
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg app.Config
	cfg.RegisterFlags(fs, os.Getenv)
	seed := fs.Bool("demo", os.Getenv("BULWARK_DEMO") == "true", demoUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logger, err := cfg.Logger(stderr)
	if err != nil {
		return usageError{err.Error()}
	}
	if gc, _ := gctune.Apply(os.Getenv); gc != (gctune.Settings{}) {
		logger.Debug("garbage collector tuned for the server", "gogc", gc.Percent, "gomemlimit", gc.Limit)
	}
	if cfg.Web != "" {
		if _, err := os.Stat(cfg.Web + "/index.html"); err != nil {
			logger.Warn("web app not built; serving the API and a hint page", "web", cfg.Web)
		}
	}
	a, err := app.Build(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	if *seed {
		if cfg.Auth != "local" {
			return usageError{"--demo seeds the local tenant; it needs --auth local"}
		}
		n, err := demo.Seed(ctx, a.Store, "local", "admin")
		if err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
		if n > 0 {
			logger.Info("seeded demo threat models", "count", n)
		}
	}
	if a.Jira != nil && cfg.Auth == "local" {
		// Follow Jira status for instances whose webhooks cannot reach a
		// laptop.
		go a.Jira.PullEvery(ctx, "local", 15*time.Minute)
	}
	if err := a.RunAccelerator(ctx, cfg); err != nil {
		return usageError{err.Error()}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	ln = app.LimitListener(ln, app.MaxConns)
	srv := app.NewServer(a.Handler)
	logger.Info("bulwark serving", "url", "http://"+ln.Addr().String(), "store", cfg.Store, "auth", cfg.Auth, "version", app.Version)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		logger.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}
