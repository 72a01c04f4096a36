// Command jirawebhook is the Jira webhook Lambda: API Gateway (HTTP API,
// payload format 2.0) routes POST /api/v1/webhooks/jira/{tenant}/{instance}
// here. Deliveries are authenticated by their X-Hub-Signature (HMAC-SHA256
// under the instance's webhook secret, read from Secrets Manager), not by
// a user token; every other request gets 404. It is configured by the
// BULWARK_STORE and BULWARK_SECRETS environment variables (see README).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/bulwark-tm/bulwark/pkg/api"
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
	jsvc, err := cfg.JiraService(ctx, st, cat, logger)
	if err != nil || jsvc == nil {
		logger.Error("jira integration", "err", err)
		os.Exit(1)
	}
	h := api.NewJiraWebhook(api.Deps{Store: st, Logger: logger, Version: app.Version, Catalog: cat, Jira: jsvc})
	lambda.Start(httpadapter.NewV2(h).ProxyWithContext)
}
