// Package app is the composition root shared by every Bulwark entry point:
// it reads the configuration (flags with environment variable equivalents),
// opens the store, builds the authenticator and the logger, and assembles
// the HTTP handler. functions/local and functions/api are thin wrappers
// around it.
package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/api"
	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/open"
	"github.com/bulwark-tm/bulwark/pkg/webapp"
)

// Version is the build's version, set with -ldflags "-X .../pkg/app.Version=v1.2.3".
var Version = "dev"

// Config is everything an entry point can be told. Each field has a flag
// and an environment variable (Vars lists them).
type Config struct {
	Addr        string // listen address of `bulwark serve`
	Store       string // store URL: bolt://PATH or dynamodb://TABLE
	Web         string // directory of the built web app; empty serves no app
	Auth        string // local or jwt
	JWTIssuer   string
	JWTAudience string
	JWTJWKSURL  string
	LogFormat   string // text or json
	LogLevel    string // debug, info, warn, error
	Secrets     string // secret store URL: file://PATH or secretsmanager://PREFIX; empty beside a bolt store
}

// Var documents one setting.
type Var struct {
	Flag, Env, Default, Usage string
	ptr                       *string
}

// Vars returns the settings of c, bound to its fields, in documentation
// order.
func (c *Config) Vars() []Var {
	return []Var{
		{"addr", "BULWARK_ADDR", "127.0.0.1:8080", "address to listen on; binds to loopback by default", &c.Addr},
		{"store", "BULWARK_STORE", "bolt://.data/bulwark.db", "store URL: bolt://PATH (embedded file) or dynamodb://TABLE[?endpoint=URL&region=R&create=true]", &c.Store},
		{"web", "BULWARK_WEB", "web/dist", "directory of the built web app; empty to serve the API only", &c.Web},
		{"auth", "BULWARK_AUTH", "local", "auth mode: local (single admin user) or jwt (Cognito-style bearer tokens)", &c.Auth},
		{"jwt-issuer", "BULWARK_JWT_ISSUER", "", "jwt mode: the token issuer, e.g. https://cognito-idp.REGION.amazonaws.com/POOL_ID", &c.JWTIssuer},
		{"jwt-audience", "BULWARK_JWT_AUDIENCE", "", "jwt mode: the app client id tokens must be issued for", &c.JWTAudience},
		{"jwt-jwks-url", "BULWARK_JWT_JWKS_URL", "", "jwt mode: where the signing keys are (default ISSUER/.well-known/jwks.json)", &c.JWTJWKSURL},
		{"log-format", "BULWARK_LOG_FORMAT", "text", "log format: text or json", &c.LogFormat},
		{"log-level", "BULWARK_LOG_LEVEL", "info", "log level: debug, info, warn or error", &c.LogLevel},
		{"secrets", "BULWARK_SECRETS", "", "secret store for integration tokens: file://PATH (0600 file) or secretsmanager://PREFIX[?kms=KEY]; empty means secrets.json beside a bolt store", &c.Secrets},
	}
}

// FromEnv returns the configuration from environment variables and
// defaults, as a Lambda entry point sees it.
func FromEnv(getenv func(string) string) Config {
	var c Config
	for _, v := range c.Vars() {
		*v.ptr = v.Default
		if e := getenv(v.Env); e != "" {
			*v.ptr = e
		}
	}
	return c
}

// RegisterFlags binds c's settings to fs, with defaults taken from the
// environment so that a flag overrides its variable, which overrides the
// default.
func (c *Config) RegisterFlags(fs *flag.FlagSet, getenv func(string) string) {
	for _, v := range c.Vars() {
		def := v.Default
		if e := getenv(v.Env); e != "" {
			def = e
		}
		fs.StringVar(v.ptr, v.Flag, def, fmt.Sprintf("%s (env %s)", v.Usage, v.Env))
	}
}

// Logger returns the structured logger c asks for, writing to w.
func (c Config) Logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: use debug, info, warn or error", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.LogFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("log format %q: use text or json", c.LogFormat)
	}
}

// Authenticator returns the authenticator c asks for.
func (c Config) Authenticator(ctx context.Context) (auth.Authenticator, error) {
	switch c.Auth {
	case "local":
		return auth.Local{}, nil
	case "jwt":
		return auth.NewJWT(ctx, auth.JWTConfig{Issuer: c.JWTIssuer, Audience: c.JWTAudience, JWKSURL: c.JWTJWKSURL})
	default:
		return nil, fmt.Errorf("auth mode %q: use local or jwt", c.Auth)
	}
}

// App is an assembled Bulwark: its handler and what it holds open.
type App struct {
	Handler http.Handler
	Store   store.Store
	Logger  *slog.Logger
	Jira    *jira.Service // nil when no secret store is configured
}

// Close releases the store.
func (a *App) Close() error { return a.Store.Close() }

// Build opens the store and assembles the handler: the API under /api/ and,
// when c.Web is set, the web app everywhere else.
func Build(ctx context.Context, c Config, logger *slog.Logger) (*App, error) {
	authn, err := c.Authenticator(ctx)
	if err != nil {
		return nil, err
	}
	st, err := open.Open(ctx, c.Store)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", c.Store, err)
	}
	cat, err := catalog.Default()
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("load knowledge base: %w", err)
	}
	jsvc, err := c.JiraService(ctx, st, cat, logger)
	if err != nil {
		st.Close()
		return nil, err
	}
	apiHandler := api.New(api.Deps{Store: st, Auth: authn, Logger: logger, Version: Version, Catalog: cat, Jira: jsvc})
	mux := http.NewServeMux()
	mux.Handle("/api/", apiHandler)
	if c.Web != "" {
		mux.Handle("/", webapp.Handler(os.DirFS(c.Web)))
	}
	return &App{Handler: mux, Store: st, Logger: logger, Jira: jsvc}, nil
}

// JiraService opens the secret store c names and returns the Jira
// integration on st. Without a secret store (none configured and st is not
// a bolt store) the integration is off: it returns nil and logs why.
func (c Config) JiraService(ctx context.Context, st store.Store, cat *catalog.Catalog, logger *slog.Logger) (*jira.Service, error) {
	if c.Secrets == "" && !strings.HasPrefix(c.Store, "bolt://") {
		logger.Warn("Jira integration off: no secret store configured (set BULWARK_SECRETS)")
		return nil, nil
	}
	sec, err := secrets.Open(ctx, c.Secrets, c.Store)
	if err != nil {
		return nil, fmt.Errorf("open secret store: %w", err)
	}
	return &jira.Service{Store: st, Secrets: sec, Catalog: cat, Logger: logger}, nil
}

// Describe returns the settings as "flag / env — usage (default)" lines for
// documentation and --help.
func Describe() string {
	var c Config
	var b strings.Builder
	for _, v := range c.Vars() {
		fmt.Fprintf(&b, "  --%-14s %-22s %s (default %q)\n", v.Flag, v.Env, v.Usage, v.Default)
	}
	return b.String()
}
