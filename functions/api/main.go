// Command api is the HTTP API Lambda: the same http.Handler as `bulwark
// serve`, hosted by API Gateway (HTTP API, payload format 2.0) with
// Lambda's payload limit (app.LambdaAPI). It is configured by the
// BULWARK_* environment variables (see README).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	cfg := app.FromEnv(os.Getenv)
	if os.Getenv("BULWARK_LOG_FORMAT") == "" {
		cfg.LogFormat = "json"
	}
	logger, err := cfg.Logger(os.Stderr)
	if err != nil {
		slog.Error("config", "err", err)
		os.Exit(1)
	}
	_, handler, err := app.LambdaAPI(context.Background(), cfg, logger)
	if err != nil {
		logger.Error("start", "err", err)
		os.Exit(1)
	}
	lambda.Start(handler)
}
