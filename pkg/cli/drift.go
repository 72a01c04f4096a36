package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/drift"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// DriftExitCode is the exit code of `bulwark drift` when the model and the
// VPC differ.
const DriftExitCode = 3

// DriftUnknownExitCode is the exit code of `bulwark drift` when some of its
// input could not be read (a file that failed, an item skipped, a file
// ignored): what was not read may hold the drift, so the result is
// unknown, never "in sync".
const DriftUnknownExitCode = 4

// driftUnknown is the error `bulwark drift` returns when some input was not
// read. Its ExitCode is DriftUnknownExitCode.
type driftUnknown struct{ reasons []string }

func (e driftUnknown) Error() string {
	return fmt.Sprintf("drift unknown: %d inputs were not read (%s); fix or remove them and run drift again", len(e.reasons), inventory.Sample(e.reasons, 5))
}

// ExitCode returns DriftUnknownExitCode.
func (e driftUnknown) ExitCode() int { return DriftUnknownExitCode }

// unread lists what a reader could not read: failed files, skipped items
// and ignored files.
func unread(rep *inventory.Report) []string {
	out := rep.Lost()
	for _, name := range rep.Ignored {
		out = append(out, "ignored "+name+" (not .json or .json.gz)")
	}
	return out
}

// driftFound is the error `bulwark drift` returns when it finds drift. Its
// ExitCode is DriftExitCode.
type driftFound struct{ n int }

func (e driftFound) Error() string {
	return fmt.Sprintf("%d differences between the model and the VPC", e.n)
}

// ExitCode returns DriftExitCode.
func (e driftFound) ExitCode() int { return DriftExitCode }

func driftCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("drift", "Usage: bulwark drift --model model.json --config PATH...\n"+
		"Exit status: 0 in sync, 3 on drift, 4 when some input could not be read (the result is unknown), 2 on a usage mistake, 1 on other errors.\n", stderr)
	var paths listFlag
	fs.Var(&paths, "config", "AWS Config data: a file or a directory (repeatable)")
	modelPath := fs.String("model", "", "threat model JSON built by bulwark build (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" || len(paths) == 0 {
		return usageError{"drift needs --model FILE and --config PATH"}
	}
	data, err := os.ReadFile(*modelPath)
	if err != nil {
		return errs.E(errs.NotFound, "read model: %w", err)
	}
	m, err := model.Decode(data)
	if err != nil {
		return fmt.Errorf("read model %s: %w", *modelPath, err)
	}
	r := inventory.NewReader(nil)
	readErr := r.ReadPaths(ctx, paths...)
	if err := ctx.Err(); err != nil {
		return err
	}
	items, skipped, failed := r.Report.Totals()
	fmt.Fprintf(stdout, "AWS Config data: %d files, %d items, %d skipped, %d files failed, %d ignored; %d live resources\n", len(r.Report.Files), items, skipped, failed, len(r.Report.Ignored), r.Inventory.Len())
	missed := unread(&r.Report)
	for _, m := range missed {
		fmt.Fprintln(stderr, "error: "+m)
	}
	if readErr != nil && len(missed) == 0 {
		missed = append(missed, readErr.Error())
	}
	if r.Inventory.Len() == 0 {
		if len(missed) > 0 {
			return driftUnknown{missed}
		}
		return errs.E(errs.Invalid, "no AWS Config resources in %s", strings.Join(paths, ", "))
	}
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	rep, _, err := drift.Compare(cat, m, r.Inventory)
	if err != nil {
		return err
	}
	if len(missed) > 0 {
		printDrift(stdout, rep)
		return driftUnknown{missed}
	}
	if rep.InSync() {
		fmt.Fprintf(stdout, "in sync: model %s matches VPC %s (%s/%s)\n", m.ID, rep.VPC, rep.Account, rep.Region)
		return nil
	}
	printDrift(stdout, rep)
	return driftFound{len(rep.Changes)}
}

// printDrift prints the changes of rep and their counts.
func printDrift(stdout io.Writer, rep *drift.Report) {
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
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
