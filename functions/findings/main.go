// Command findings is the EventBridge Lambda for compliance evidence: the
// platform bus's rule sends "Security Hub Findings - Imported" and "Config
// Rules Compliance Change" events here (from the platform account and,
// through the member stacks' forwarding rules, from member accounts). Each
// finding or evaluation becomes evidence (compliance.Parse) stored for
// every tenant that registered its account (compliance.Repo.PutAll); an
// older or repeated observation changes nothing. It is configured by
// BULWARK_STORE (see README).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/app"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
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
	h := handler{controls: cat.Controls, accounts: &accounts.Registry{Store: st}, repo: compliance.Repo{Store: st}, logger: logger}
	lambda.Start(h.handle)
}
