package app

import (
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/bulwark-tm/bulwark/pkg/api"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// Lambda is what every Lambda entry point starts from: the configuration
// from the environment, a logger (JSON unless BULWARK_LOG_FORMAT says
// otherwise), the store and the knowledge base.
type Lambda struct {
	Config  Config
	Logger  *slog.Logger
	Store   store.Store
	Catalog *catalog.Catalog
}

// NewLambda reads the environment with getenv and opens what every
// function needs, logging to w.
func NewLambda(ctx context.Context, getenv func(string) string, w io.Writer) (*Lambda, error) {
	cfg := FromEnv(getenv)
	if getenv("BULWARK_LOG_FORMAT") == "" {
		cfg.LogFormat = "json"
	}
	logger, err := cfg.Logger(w)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	cat, err := catalog.Default()
	if err != nil {
		st.Close()
		return nil, err
	}
	return &Lambda{Config: cfg, Logger: logger, Store: st, Catalog: cat}, nil
}

// MustLambda is NewLambda for a function's main: a function that cannot
// start logs why and exits, so that Lambda reports a failed init.
func MustLambda(ctx context.Context) *Lambda {
	l, err := NewLambda(ctx, os.Getenv, os.Stderr)
	if err != nil {
		slog.New(slog.NewJSONHandler(os.Stderr, nil)).Error("start", "err", err.Error())
		os.Exit(1)
	}
	return l
}

// Must logs err with what and exits when err is not nil; for the last
// steps of a function's start.
func (l *Lambda) Must(err error, what string) {
	if err != nil {
		l.Logger.Error(what, "err", err.Error())
		os.Exit(1)
	}
}

// MustHandler is a function's main up to lambda.Start: it starts from
// MustLambda and builds the handler with newHandler (ConfigEventsHandler,
// DriftHandler, ...); a handler that cannot be built logs why and exits,
// so that Lambda reports a failed init.
func MustHandler[H any](newHandler func(context.Context, *Lambda) (H, error)) H {
	ctx := context.Background()
	l := MustLambda(ctx)
	h, err := newHandler(ctx, l)
	l.Must(err, "start")
	return h
}

// APIHandler is what the API Lambda runs for one API Gateway HTTP API
// event (payload format 2.0).
type APIHandler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// LambdaAPI assembles the HTTP API as functions/api hosts it: Build's
// handler without the web app (CloudFront serves it), held to Lambda's
// payload limit (a response that would not fit is a 413 problem, large
// ones are gzip-compressed for clients that accept it, gzip request bodies
// are decompressed), adapted to API Gateway events by httpadapter.NewV2,
// which base64-encodes a binary (gzip) body and decodes a base64 one.
func LambdaAPI(ctx context.Context, c Config, logger *slog.Logger) (*App, APIHandler, error) {
	c.Web = ""
	c.PayloadLimit = api.LambdaPayloadLimit
	a, err := Build(ctx, c, logger)
	if err != nil {
		return nil, nil, err
	}
	return a, httpadapter.NewV2(a.Handler).ProxyWithContext, nil
}
