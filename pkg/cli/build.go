package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/builder"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// readAWSConfig reads the paths and prints what was read and skipped:
// one line per file on stdout, problems on stderr. Files that fail do not
// stop the others.
func readAWSConfig(ctx context.Context, paths []string, stdout, stderr io.Writer) (*inventory.Inventory, error) {
	r := inventory.NewReader(nil)
	readErr := r.ReadPaths(ctx, paths...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, f := range r.Report.Files {
		switch {
		case f.Err != nil:
			fmt.Fprintf(stderr, "error: %v\n", f.Err)
		default:
			fmt.Fprintf(stdout, "read %s: %s, %d items (%d deleted, %d older than held, %d skipped)\n", f.Name, f.Format, f.Items, f.Deleted, f.Stale, len(f.Skipped))
		}
		for _, p := range f.Skipped {
			fmt.Fprintf(stderr, "skipped %s\n", p)
		}
		for _, p := range f.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", p)
		}
	}
	for _, name := range r.Report.Ignored {
		fmt.Fprintf(stderr, "ignored %s (not .json or .json.gz)\n", name)
	}
	items, skipped, failed := r.Report.Totals()
	fmt.Fprintf(stdout, "AWS Config data: %d files, %d items, %d skipped, %d files failed; %d live resources\n", len(r.Report.Files), items, skipped, failed, r.Inventory.Len())
	if r.Inventory.Len() == 0 {
		if readErr != nil {
			return nil, readErr
		}
		return nil, errs.E(errs.Invalid, "no AWS Config resources in %s", strings.Join(paths, ", "))
	}
	return r.Inventory, nil
}

func buildCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", "Usage: bulwark build --config PATH... --vpc VPC_ID [--account ID] --out model.json\n", stderr)
	var paths listFlag
	fs.Var(&paths, "config", "AWS Config data: a file or a directory (repeatable; snapshots, history files, API outputs, notifications, events)")
	vpc := fs.String("vpc", "", "id of the VPC to build (required)")
	account := fs.String("account", "", "account id, when several accounts have the VPC id")
	region := fs.String("region", "", "region, when several regions have the VPC id")
	out := fs.String("out", "", "write the threat model JSON here (- for stdout; required)")
	id := fs.String("id", "", "model id (default aws-ACCOUNT-REGION-VPC)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(paths) == 0 || *out == "" {
		return usageError{"build needs --config PATH and --out FILE"}
	}
	inv, err := readAWSConfig(ctx, paths, stdout, stderr)
	if err != nil {
		return err
	}
	if *vpc == "" {
		var ids []string
		for _, v := range builder.VPCs(inv) {
			ids = append(ids, fmt.Sprintf("%s (%s, %s/%s)", v.ID, v.DisplayName(), v.AccountID, v.Region))
		}
		if len(ids) == 0 {
			msg := "build needs --vpc; the data has no VPC configuration item (AWS::EC2::VPC)"
			if refs := builder.MissingVPCs(inv); len(refs) > 0 {
				var refIDs []string
				for _, r := range refs {
					refIDs = append(refIDs, r.String())
				}
				msg += "; its items refer to " + strings.Join(refIDs, ", ") + "; get a VPC's item with: " + builder.HowToGetVPC(refs[0])
			}
			return usageError{msg}
		}
		return usageError{"build needs --vpc; the data has: " + strings.Join(ids, ", ")}
	}
	res, err := buildModel(inv, builder.Options{VPC: *vpc, Account: *account, Region: *region, ModelID: *id}, *out, stdout)
	if err != nil {
		return err
	}
	s := res.Stats
	fmt.Fprintf(stdout, "built %s: %d components, %d groups, %d flows (%d resources in its account and region read, %d folded into others)\n", res.Model.Name, s.Components, s.Groups, s.Flows, s.Resources, s.Folded)
	if len(s.Generic) > 0 {
		var types []string
		for t, n := range s.Generic {
			types = append(types, fmt.Sprintf("%s ×%d", t, n))
		}
		slices.Sort(types)
		fmt.Fprintf(stdout, "drawn as generic components: %s\n", strings.Join(types, ", "))
	}
	for _, n := range s.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	if *out != "-" {
		fmt.Fprintf(stdout, "wrote %s\n", *out)
	}
	return nil
}

// buildModel builds the VPC opts names from inv with the default
// knowledge base and writes the model to out (writeModel).
func buildModel(inv *inventory.Inventory, opts builder.Options, out string, stdout io.Writer) (*builder.Result, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	res, err := builder.Build(cat, inv, opts)
	if err != nil {
		return nil, err
	}
	if err := writeModel(out, res.Model, stdout); err != nil {
		return nil, err
	}
	return res, nil
}
