package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/bulwark-tm/bulwark/pkg/app"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/diff"
	"github.com/bulwark-tm/bulwark/pkg/gate"
	"github.com/bulwark-tm/bulwark/pkg/interop"
)

// The exit codes of `bulwark check`.
const (
	checkPass   = 0 // no new unmitigated threat at or above the threshold
	checkFail   = 1 // new unmitigated threats at or above the threshold
	checkBadUse = 2 // a usage or input error: nothing was checked
)

// checkCommand runs the gate. Every failure other than the gate's own is
// exit 2, so that a CI job never reads a broken run as new threats.
func checkCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := runCheck(ctx, args, stdout, stderr)
	var c interface{ ExitCode() int }
	if err == nil || errors.As(err, &c) || ExitCode(err) == checkBadUse {
		return err
	}
	return exitError{err, checkBadUse}
}

func runCheck(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", fmt.Sprintf("Usage: bulwark check --baseline model.json --from cloudformation|terraform FILE... [--threshold high] [--format text|json|sarif] [--output F]\n\nImports the changed infrastructure, diffs it against the approved baseline and\nfails when it adds threats of the threshold's severity or more that nothing\nmitigates (a decision recorded in the baseline counts).\n\nExit codes: %d pass, %d new threats, %d usage or input error.\n\n", checkPass, checkFail, checkBadUse), stderr)
	baseline := fs.String("baseline", "", "the approved baseline model JSON (e.g. exported from Bulwark)")
	from := fs.String("from", "", "format of the changed infrastructure: cloudformation or terraform (plan JSON)")
	threshold := fs.String("threshold", gate.DefaultThreshold, "least severity that fails the check: critical, high, medium or low")
	format := fs.String("format", "text", "output format: text, json or sarif (SARIF 2.1.0)")
	output := fs.String("output", "-", "file to write the output to (- for stdout); with a file, a text summary still goes to stdout")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *baseline == "":
		return usageError{"check needs --baseline model.json"}
	case *from != "cloudformation" && *from != "terraform":
		return usageError{fmt.Sprintf("check needs --from cloudformation or terraform, got %q", *from)}
	case len(files) == 0:
		return usageError{"check needs at least one FILE of the changed infrastructure"}
	case !diff.ValidSeverity(*threshold):
		return usageError{fmt.Sprintf("unknown threshold %q; use critical, high, medium or low", *threshold)}
	case *format != "text" && *format != "json" && *format != "sarif":
		return usageError{fmt.Sprintf("unknown format %q; use text, json or sarif", *format)}
	}
	base, err := readModel(*baseline)
	if err != nil {
		return err
	}
	var in []interop.File
	var located []gate.File
	for _, f := range files {
		b, err := readInput(f, os.Stdin)
		if err != nil {
			return inputError(err)
		}
		in = append(in, interop.File{Name: f, Data: b})
		located = append(located, gate.File{Name: f, Data: b})
	}
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	imp, err := interop.Import(*from, in, cat)
	if err != nil {
		return inputError(err)
	}
	printWarnings(stderr, imp.Warnings)
	res, err := gate.Check(cat, base, imp.Model, *threshold, located)
	if err != nil {
		return inputError(err)
	}
	var out bytes.Buffer
	switch *format {
	case "text":
		err = res.WriteText(&out)
	case "json":
		var b []byte
		b, err = json.MarshalIndent(res, "", "  ")
		out.Write(append(b, '\n'))
	case "sarif":
		var b []byte
		b, err = res.SARIF(app.Version)
		out.Write(b)
	}
	if err != nil {
		return err
	}
	if err := writeOutput(*output, out.Bytes(), stdout); err != nil {
		return inputError(err)
	}
	if *output != "-" && *output != "" && *format != "text" {
		if err := res.WriteText(stdout); err != nil {
			return err
		}
	}
	if !res.Pass {
		return exitError{fmt.Errorf("check failed: %d new %s of severity %s or more without a mitigation", res.Failing, map[bool]string{true: "threat", false: "threats"}[res.Failing == 1], res.Threshold), checkFail}
	}
	return nil
}
