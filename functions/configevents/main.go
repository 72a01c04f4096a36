// Command configevents is the EventBridge Lambda for AWS Config
// configuration item changes: the platform bus's rule sends every "Config
// Configuration Item Change" event (from the platform account and, through
// the member stacks' forwarding rules, from member accounts) here, and the
// models built from the changed resource's VPC are marked out of sync
// (workflow.Engine.HandleEvent) for every tenant that registered the
// account. Handling is idempotent. It is configured by BULWARK_STORE and
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
