package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/awsclient"
	"github.com/bulwark-tm/bulwark/pkg/builder"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/inventory"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// scanCommand builds a VPC's threat model from the live account the
// user's own AWS credentials reach (AWS Config SelectResourceConfig; read
// only).
func scanCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("scan", "Usage: bulwark scan [--profile P] [--region R] --vpc VPC_ID [--out model.json]\n", stderr)
	profile := fs.String("profile", os.Getenv("AWS_PROFILE"), "AWS shared-config profile (default: the default credential chain)")
	region := fs.String("region", os.Getenv("AWS_REGION"), "AWS region of the VPC (default: the profile's)")
	vpc := fs.String("vpc", "", "id of the VPC to build (required; without it the VPCs are listed)")
	out := fs.String("out", "-", "write the threat model JSON here (- for stdout)")
	id := fs.String("id", "", "model id (default aws-ACCOUNT-REGION-VPC)")
	endpoint := fs.String("endpoint", "", "send AWS calls to this URL (tests, VPC endpoints)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := awsclient.Load(ctx, awsclient.Options{Profile: *profile, Region: *region, BaseEndpoint: *endpoint})
	if err != nil {
		return err
	}
	src := &awsclient.ConfigSource{Base: cfg}
	var inv *inventory.Inventory
	if *vpc == "" {
		if inv, err = src.CollectOwn(ctx, "", []string{"AWS::EC2::VPC"}); err != nil {
			return err
		}
		var ids []string
		for _, v := range builder.VPCs(inv) {
			ids = append(ids, fmt.Sprintf("%s (%s, %s/%s)", v.ID, v.DisplayName(), v.AccountID, v.Region))
		}
		if len(ids) == 0 {
			return errs.E(errs.NotFound, "AWS Config records no VPC in %s; is the recorder on?", cfg.Region)
		}
		return usageError{"scan needs --vpc; the account has: " + strings.Join(ids, ", ")}
	}
	if inv, err = src.CollectOwn(ctx, "", nil); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "AWS Config: %d live resources in %s\n", inv.Len(), cfg.Region)
	res, err := buildModel(inv, builder.Options{VPC: *vpc, Region: cfg.Region, ModelID: *id}, *out, stdout)
	if err != nil {
		return err
	}
	// With the model on stdout, the summary goes to stderr.
	info := stdout
	if *out == "-" {
		info = stderr
	}
	s := res.Stats
	fmt.Fprintf(info, "built %s: %d components, %d groups, %d flows from %d resources\n", res.Model.Name, s.Components, s.Groups, s.Flows, s.Resources)
	return nil
}

// eventCommand hands AWS Config change events to a running `bulwark
// serve`: each file is checked and copied into the Accelerator's data
// directory (events/), named by its content's hash, where the server's
// watch marks the affected models out of sync and its inventory sees the
// change. Copying the same event twice changes nothing.
func eventCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("event", "Usage: bulwark event [--accelerator-data DIR] FILE...\n", stderr)
	dataDir := os.Getenv("BULWARK_ACCELERATOR_DATA")
	if dataDir == "" {
		dataDir = "events/demo/aws"
	}
	dir := fs.String("accelerator-data", dataDir, "the Accelerator's AWS Config data directory (env BULWARK_ACCELERATOR_DATA)")
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if fs.NArg() == 0 {
		return usageError{"event needs at least one FILE (an EventBridge Config Configuration Item Change event)"}
	}
	target := filepath.Join(*dir, workflow.EventDir)
	if err := os.MkdirAll(target, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", target, err)
	}
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			return errs.E(errs.Invalid, "read event: %w", err)
		}
		if len(data) > workflow.MaxEventSize {
			return errs.E(errs.TooLarge, "%s: %d bytes is larger than %d", name, len(data), workflow.MaxEventSize)
		}
		r := inventory.NewReader(nil)
		res := r.Parse(ctx, name, data)
		if res.Err != nil {
			return errs.E(errs.Malformed, "read event: %w", res.Err)
		}
		if res.Items == 0 {
			return errs.E(errs.Invalid, "%s carries no configuration item (format %s)", name, res.Format)
		}
		dst, err := workflow.SaveEvent(target, data)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "queued %s (%s, %d items) as %s\n", name, res.Format, res.Items, dst)
	}
	return nil
}
