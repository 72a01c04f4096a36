package app

import (
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/open"
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
	st, err := open.Open(ctx, cfg.Store)
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
