// Command drift is the Lambda of the EventBridge schedule (every 15
// minutes): it checks every linked Accelerator model of every tenant
// against its VPC (workflow.Engine.CheckAll) and, when the Jira
// integration is configured, pulls the status of linked Jira issues for
// those tenants (jira.Service.PullAll). It is configured by BULWARK_STORE,
// BULWARK_ACCELERATOR_SOURCE and BULWARK_SECRETS (see README).
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
	h := handler{engine: eng, logger: logger}
	jsvc, err := cfg.JiraService(ctx, st, cat, logger)
	if err != nil {
		logger.Error("jira integration", "err", err)
		os.Exit(1)
	}
	if jsvc != nil {
		h.jira = jsvc
	}
	lambda.Start(h.handle)
}
