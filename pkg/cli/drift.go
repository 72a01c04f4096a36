package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/drift"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// DriftExitCode is the exit code of `bulwark drift` when the model and the
// VPC differ.
const DriftExitCode = 3

// driftFound is the error `bulwark drift` returns when it finds drift. Its
// ExitCode is DriftExitCode.
type driftFound struct{ n int }

func (e driftFound) Error() string {
	return fmt.Sprintf("%d differences between the model and the VPC", e.n)
}

// ExitCode returns DriftExitCode.
func (e driftFound) ExitCode() int { return DriftExitCode }

func driftCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var paths configPaths
	fs.Var(&paths, "config", "AWS Config data: a file or a directory (repeatable)")
	modelPath := fs.String("model", "", "threat model JSON built by `bulwark build` (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: bulwark drift --model model.json --config PATH...  (exit 0 in sync, 3 on drift)")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" || len(paths) == 0 {
		return usageError{"drift needs --model FILE and --config PATH"}
	}
	data, err := os.ReadFile(*modelPath)
	if err != nil {
		return errs.Wrap(errs.NotFound, err, "read model")
	}
	m, err := model.Decode(data)
	if err != nil {
		return fmt.Errorf("read model %s: %w", *modelPath, err)
	}
	inv, err := readAWSConfig(ctx, paths, stdout, stderr)
	if err != nil {
		return err
	}
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	rep, _, err := drift.Compare(cat, m, inv)
	if err != nil {
		return err
	}
	if rep.InSync() {
		fmt.Fprintf(stdout, "in sync: model %s matches VPC %s (%s/%s)\n", m.ID, rep.VPC, rep.Account, rep.Region)
		return nil
	}
	for _, c := range rep.Changes {
		line := fmt.Sprintf("%-13s %-9s %s", c.Kind, c.Element, c.ID)
		if c.Name != "" && c.Name != c.ID {
			line += " (" + c.Name + ")"
		}
		if c.ResourceType != "" {
			line += " " + c.ResourceType
		}
		fmt.Fprintln(stdout, line)
		for _, a := range c.Attributes {
			fmt.Fprintf(stdout, "    %s: %s → %s\n", a.Name, orNone(a.Model), orNone(a.VPC))
		}
	}
	fmt.Fprintf(stdout, "drift: %d only in the model, %d only in the VPC, %d changed\n", rep.Count(drift.OnlyInModel), rep.Count(drift.OnlyInVPC), rep.Count(drift.Changed))
	return driftFound{len(rep.Changes)}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
