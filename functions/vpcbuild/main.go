// Command vpcbuild is the task Lambda of the VPC build state machine
// (infra/workflow.go): each task invokes it with {"step": NAME, "state":
// STATE} and gets the step's new State back (workflow.Engine.Step). The
// state machine's Catch calls it with the step "fail", which records the
// failure in the run (workflow.Engine.Fail). Errors are reported with
// names such as "Bulwark.Unavailable" that the state machine retries or
// catches (workflow.ErrorName). It is configured by BULWARK_STORE and
// BULWARK_ACCELERATOR_SOURCE (see README).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/app"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/store/open"
)

func main() {
	ctx := context.Background()
	cfg := app.FromEnv(os.Getenv)
	if os.Getenv("BULWARK_LOG_FORMAT") == "" {
		cfg.LogFormat = "json"
	}
	logger, err := cfg.Logger(os.Stderr)
	if err != nil {
		slog.Error("config", "err", err)
		os.Exit(1)
	}
	st, err := open.Open(ctx, cfg.Store)
	if err != nil {
		logger.Error("open store", "err", err)
		os.Exit(1)
	}
	cat, err := catalog.Default()
	if err != nil {
		logger.Error("load knowledge base", "err", err)
		os.Exit(1)
	}
	eng, err := cfg.Engine(ctx, st, cat, logger)
	if err != nil {
		logger.Error("accelerator", "err", err)
		os.Exit(1)
	}
	lambda.Start(handler{engine: eng, logger: logger}.handle)
}
