// Command api is the HTTP API Lambda: the same http.Handler as `bulwark
// serve`, hosted by API Gateway (HTTP API, payload format 2.0). It is
// configured by the BULWARK_* environment variables (see README).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	cfg := app.FromEnv(os.Getenv)
	cfg.Web = "" // CloudFront serves the web app
	if os.Getenv("BULWARK_LOG_FORMAT") == "" {
		cfg.LogFormat = "json"
	}
	logger, err := cfg.Logger(os.Stderr)
	if err != nil {
		slog.Error("config", "err", err)
		os.Exit(1)
	}
	a, err := app.Build(context.Background(), cfg, logger)
	if err != nil {
		logger.Error("start", "err", err)
		os.Exit(1)
	}
	lambda.Start(httpadapter.NewV2(a.Handler).ProxyWithContext)
}
