// Package app is the composition root shared by every Bulwark entry point:
// it reads the configuration (flags with environment variable equivalents),
// opens the store, builds the authenticator and the logger, and assembles
// the HTTP handler and the handler of each Lambda (FindingsHandler,
// ConfigEventsHandler, VPCBuildHandler, DriftHandler, JiraWebhookHandler).
// Every functions/* is a thin wrapper around it.
package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/api"
	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/awsclient"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/diff"
	"github.com/bulwark-tm/bulwark/pkg/jira"
	"github.com/bulwark-tm/bulwark/pkg/jira/gojira"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/users"
	"github.com/bulwark-tm/bulwark/pkg/users/cognito"
	"github.com/bulwark-tm/bulwark/pkg/webapp"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
	"github.com/bulwark-tm/bulwark/pkg/workflow/sfn"
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
	LocalRole   string // local mode: the local user's role
	JWTIssuer   string
	JWTAudience string
	JWTJWKSURL  string
	LogFormat   string // text or json
	LogLevel    string // debug, info, warn, error
	Secrets     string // secret store URL: file://PATH or secretsmanager://PREFIX; empty beside a bolt store
	// The AWS Accelerator (see Accelerator).
	AccelData       string // directory of AWS Config files; used when it exists
	AccelSource     string // auto, files, aws or off
	Aggregator      string // AWS Config aggregator to prefer in aws mode
	AggregatorAccts string // aggregator mode: allow list TENANT=ID,ID;TENANT2=ID of the accounts each tenant may read
	PlatformAccount string // platform account id, for the member stack's deploy command
	EventBus        string // the platform event bus member accounts forward to
	DriftEvery      string // period of the drift check (Go duration)
	EvidenceEvery   string // aws mode: how often the scheduled run pulls each account's evidence (Go duration)
	StateMachine    string // ARN of the VPC build state machine; empty runs builds in-process
	UserPool        string // Cognito user pool id for Settings → Users; empty: no user management
	AllowedHosts    string // local mode: extra host names the server answers to, comma-separated
	OutboundAllow   string // CIDRs outbound calls may reach although private (see Outbound)
	HistoryKeep     string // how many versions of each model to keep; 0 keeps all
	// PayloadLimit is the host's limit on a whole response (see
	// api.Deps.PayloadLimit); set by LambdaAPI, not a setting.
	PayloadLimit int64
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
		{"local-role", "BULWARK_LOCAL_ROLE", "admin", "local mode: the local user's role, admin, editor, reviewer or viewer (to see the app as that role sees it)", &c.LocalRole},
		{"jwt-issuer", "BULWARK_JWT_ISSUER", "", "jwt mode: the token issuer, e.g. https://cognito-idp.REGION.amazonaws.com/POOL_ID", &c.JWTIssuer},
		{"jwt-audience", "BULWARK_JWT_AUDIENCE", "", "jwt mode: the app client id tokens must be issued for", &c.JWTAudience},
		{"jwt-jwks-url", "BULWARK_JWT_JWKS_URL", "", "jwt mode: where the signing keys are (default ISSUER/.well-known/jwks.json)", &c.JWTJWKSURL},
		{"log-format", "BULWARK_LOG_FORMAT", "text", "log format: text or json", &c.LogFormat},
		{"log-level", "BULWARK_LOG_LEVEL", "info", "log level: debug, info, warn or error", &c.LogLevel},
		{"accelerator-data", "BULWARK_ACCELERATOR_DATA", "events/demo/aws", "AWS Config snapshot files the Accelerator reads in files mode (its accounts are registered for the local tenant)", &c.AccelData},
		{"accelerator-source", "BULWARK_ACCELERATOR_SOURCE", "auto", "Accelerator inventory source: files, aws (AWS Config via member roles or the aggregator), off, or auto (files when the data directory exists, else off)", &c.AccelSource},
		{"config-aggregator", "BULWARK_CONFIG_AGGREGATOR", "", "aws mode: name of the AWS Config aggregator to query instead of assuming member roles", &c.Aggregator},
		{"aggregator-accounts", "BULWARK_AGGREGATOR_ACCOUNTS", "", "aggregator mode: which tenant may read which account, TENANT=ID,ID;TENANT2=ID (no role is assumed, so this list is the proof of ownership; accounts not in it are refused)", &c.AggregatorAccts},
		{"platform-account-id", "BULWARK_PLATFORM_ACCOUNT_ID", "", "the platform account id shown in the member stack's deploy command", &c.PlatformAccount},
		{"event-bus", "BULWARK_EVENT_BUS", "default", "the platform event bus member accounts forward AWS Config events to", &c.EventBus},
		{"drift-every", "BULWARK_DRIFT_EVERY", "15m", "period of the Accelerator's drift check in bulwark serve (0 turns it off)", &c.DriftEvery},
		{"evidence-every", "BULWARK_EVIDENCE_EVERY", "24h", "aws mode: how often the scheduled run (drift Lambda, or bulwark serve's drift check) pulls each verified account's Security Hub findings and AWS Config rule evaluations; a newly verified account is pulled by the next run, events keep the evidence current in between (0 turns the pull off)", &c.EvidenceEvery},
		{"state-machine-arn", "BULWARK_STATE_MACHINE_ARN", "", "ARN of the VPC build state machine (Step Functions) to start builds on; empty runs them in this process", &c.StateMachine},
		{"user-pool-id", "BULWARK_USER_POOL_ID", "", "jwt mode: the Cognito user pool whose users Settings → Users manages", &c.UserPool},
		{"allowed-hosts", "BULWARK_ALLOWED_HOSTS", "", "local mode: extra host names (comma-separated) the server answers to besides localhost, loopback addresses and the --addr host; other Host headers get 421 (DNS rebinding defence)", &c.AllowedHosts},
		{"outbound-allow", "BULWARK_OUTBOUND_ALLOW", "", "comma-separated CIDRs that calls to Jira and the JWT issuer may reach although private, e.g. 10.20.0.0/16 for a Jira Data Center (loopback is allowed in local mode only)", &c.OutboundAllow},
		{"history-keep", "BULWARK_HISTORY_KEEP", "200", "how many saved versions of each model to keep (named, approved and waiting-for-review versions are kept besides); 0 keeps all", &c.HistoryKeep},
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
		role := auth.RoleAdmin
		if c.LocalRole != "" {
			if role = auth.ParseRole(c.LocalRole); role == auth.RoleNone {
				return nil, fmt.Errorf("local role %q: use admin, editor, reviewer or viewer", c.LocalRole)
			}
		}
		return auth.Local{Role: role}, nil
	case "jwt":
		pol, err := c.Outbound()
		if err != nil {
			return nil, err
		}
		return auth.NewJWT(ctx, auth.JWTConfig{Issuer: c.JWTIssuer, Audience: c.JWTAudience, JWKSURL: c.JWTJWKSURL, HTTPClient: outbound.New(pol)})
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
	// Accelerator is nil when the Accelerator is off.
	Accelerator *api.Accelerator
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
	st, err := openStore(ctx, c.Store)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", c.Store, err)
	}
	cat, err := catalog.Default()
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("load knowledge base: %w", err)
	}
	jsvc, jiraOn, err := c.JiraService(ctx, st, cat, logger)
	if err != nil {
		st.Close()
		return nil, err
	}
	accel, _, err := c.Accelerator(ctx, st, cat, logger)
	if err != nil {
		st.Close()
		return nil, err
	}
	dir, _, err := c.Directory(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	keep, err := c.historyKeep()
	if err != nil {
		st.Close()
		return nil, err
	}
	deps := api.Deps{Store: st, Auth: authn, Logger: logger, Version: Version, Catalog: cat, Accelerator: accel, Users: dir, PayloadLimit: c.PayloadLimit, AllowedHosts: c.HostNames(), HistoryKeep: keep}
	if jiraOn { // a nil *jira.Service would be a non-nil interface
		deps.Jira = jsvc
	}
	apiHandler := api.New(deps)
	mux := http.NewServeMux()
	mux.Handle("/api/", apiHandler)
	if c.Web != "" {
		mux.Handle("/", webapp.Handler(os.DirFS(c.Web)))
	}
	return &App{Handler: mux, Store: st, Logger: logger, Jira: jsvc, Accelerator: accel}, nil
}

// Accelerator assembles the AWS Accelerator c asks for: in files mode a
// DirSource over c.AccelData whose accounts are registered for the local
// tenant, with the demo organization; in aws mode AWS Config (the
// aggregator c names, or each member's role) and AWS Organizations with the
// default credential chain. The scheduled evidence pull is added by the
// schedule's hosts only (withEvidencePull). Builds run in-process, or as executions of the
// state machine c.StateMachine names. on is false when the configuration
// turns the Accelerator off.
func (c Config) Accelerator(ctx context.Context, st store.Store, cat *catalog.Catalog, logger *slog.Logger) (a *api.Accelerator, on bool, err error) {
	mode := c.AccelSource
	if mode == "auto" || mode == "" {
		mode = "off"
		if c.AccelData != "" && accounts.DirExists(c.AccelData) {
			mode = "files"
		}
	}
	if _, err := c.evidenceEvery(); err != nil {
		return nil, false, err
	}
	reg := &accounts.Registry{Store: st}
	hist, err := c.modelHistory(st, logger)
	if err != nil {
		return nil, false, err
	}
	eng := &workflow.Engine{Store: st, Catalog: cat, Accounts: reg, Logger: logger, History: hist}
	a = &api.Accelerator{Engine: eng, Starter: &workflow.Local{Engine: eng}, PlatformAccountID: c.PlatformAccount, EventBus: c.EventBus}
	switch mode {
	case "off":
		return nil, false, nil
	case "files":
		src := &accounts.DirSource{Dir: c.AccelData}
		eng.Source, a.Org = src, src
		if c.Auth == "local" {
			n, err := eng.RegisterDir(ctx, "local", src)
			if err != nil {
				return nil, false, fmt.Errorf("register the accounts in %s: %w", c.AccelData, err)
			}
			logger.Info("accelerator: AWS Config files", "dir", c.AccelData, "new_accounts", n)
		}
	case "aws":
		cfg, err := awsclient.Load(ctx, awsclient.Options{})
		if err != nil {
			return nil, false, err
		}
		roles := &awsclient.Roles{Base: cfg}
		eng.Source = &awsclient.ConfigSource{Base: cfg, Aggregator: c.Aggregator, Roles: roles}
		// Oversized change notifications carry no item: read it from AWS
		// Config, through the owner's member role or the aggregator.
		eng.Fetcher = &awsclient.ConfigFetcher{Base: cfg, Aggregator: c.Aggregator, Roles: roles, Account: reg.Owned}
		a.Org = awsclient.NewOrgReader(cfg)
		a.PlatformRegion = cfg.Region // member stacks in other regions forward here
		// Registered accounts are used once verified: by assuming the
		// member role with the ExternalId or, with an aggregator (no role
		// is assumed), by the operator's allow list.
		a.Verifier = awsclient.RoleVerifier{Roles: roles}
		if c.Aggregator != "" {
			allow, err := accounts.ParseAllowList(c.AggregatorAccts)
			if err != nil {
				return nil, false, err
			}
			if len(allow) == 0 {
				logger.Warn("accelerator: an aggregator without --aggregator-accounts; every account is refused", "aggregator", c.Aggregator)
			}
			reg.Allowed, a.Verifier = allow.Allows, allow
		}
	default:
		return nil, false, fmt.Errorf("accelerator source %q: use auto, files, aws or off", c.AccelSource)
	}
	if c.AggregatorAccts != "" && (mode != "aws" || c.Aggregator == "") {
		return nil, false, fmt.Errorf("--aggregator-accounts needs --accelerator-source aws and --config-aggregator")
	}
	if c.StateMachine != "" {
		cfg, err := awsclient.Load(ctx, awsclient.Options{})
		if err != nil {
			return nil, false, fmt.Errorf("start builds on %s: %w", c.StateMachine, err)
		}
		a.Starter = sfn.NewStarter(cfg, c.StateMachine)
		logger.Info("accelerator: builds run on Step Functions", "state_machine", c.StateMachine)
	}
	return a, true, nil
}

// Engine returns the Accelerator's workflow engine on st, for the
// functions that run its work in AWS (functions/vpcbuild, configevents and
// drift). It fails when the Accelerator is off, since those functions
// would have nothing to do.
func (c Config) Engine(ctx context.Context, st store.Store, cat *catalog.Catalog, logger *slog.Logger) (*workflow.Engine, error) {
	a, on, err := c.Accelerator(ctx, st, cat, logger)
	if err != nil {
		return nil, err
	}
	if !on {
		return nil, fmt.Errorf("the Accelerator is off: set BULWARK_ACCELERATOR_SOURCE to aws (or files)")
	}
	return a.Engine, nil
}

// RunAccelerator runs the Accelerator's background work until ctx ends:
// the drift check every c.DriftEvery and, in files mode, the watch of
// c.AccelData/events for change events that `bulwark event` drops there.
func (a *App) RunAccelerator(ctx context.Context, c Config) error {
	if a.Accelerator == nil {
		return nil
	}
	every, err := time.ParseDuration(c.DriftEvery)
	if err != nil || every < 0 {
		return fmt.Errorf("drift-every %q: use a duration such as 15m", c.DriftEvery)
	}
	eng := a.Accelerator.Engine
	if err := withEvidencePull(c, eng); err != nil {
		return err
	}
	if every > 0 {
		go eng.Schedule(ctx, every)
	}
	if _, ok := eng.Source.(*accounts.DirSource); ok {
		go eng.WatchEvents(ctx, filepath.Join(c.AccelData, workflow.EventDir), 2*time.Second)
	}
	return nil
}

// JiraService opens the secret store c names and returns the Jira
// integration on st. Without a secret store (none configured and st is not
// a bolt store) the integration is off: on is false, and it logs why.
func (c Config) JiraService(ctx context.Context, st store.Store, cat *catalog.Catalog, logger *slog.Logger) (svc *jira.Service, on bool, err error) {
	if c.Secrets == "" && !strings.HasPrefix(c.Store, "bolt://") {
		logger.Warn("Jira integration off: no secret store configured (set BULWARK_SECRETS)")
		return nil, false, nil
	}
	sec, err := openSecrets(ctx, c.Secrets, c.Store)
	if err != nil {
		return nil, false, fmt.Errorf("open secret store: %w", err)
	}
	pol, err := c.Outbound()
	if err != nil {
		return nil, false, err
	}
	hist, err := c.modelHistory(st, logger)
	if err != nil {
		return nil, false, err
	}
	return &jira.Service{Store: st, Secrets: sec, Catalog: cat, Logger: logger, Outbound: pol, Connect: gojira.Connect, History: hist}, true, nil
}

// Outbound is the policy of Bulwark's outbound HTTP calls (Jira, the JWKS):
// public addresses, the ranges c.OutboundAllow lists, and loopback in local
// mode only, never in Lambda (whose runtime API listens on loopback).
func (c Config) Outbound() (outbound.Policy, error) {
	allow, err := outbound.ParseAllow(c.OutboundAllow)
	if err != nil {
		return outbound.Policy{}, fmt.Errorf("outbound-allow: %w", err)
	}
	inLambda := os.Getenv("AWS_LAMBDA_RUNTIME_API") != ""
	return outbound.Policy{AllowLoopback: c.Auth == "local" && !inLambda, Allow: allow}, nil
}

// Describe returns the settings as "flag / env — usage (default)" lines for
// documentation and --help.
func Describe() string {
	var c Config
	vars := c.Vars()
	fw, ew := 0, 0
	for _, v := range vars {
		fw, ew = max(fw, len(v.Flag)), max(ew, len(v.Env))
	}
	var b strings.Builder
	for _, v := range vars {
		fmt.Fprintf(&b, "  --%-*s  %-*s  %s", fw, v.Flag, ew, v.Env, v.Usage)
		if v.Default != "" {
			fmt.Fprintf(&b, " (default %q)", v.Default)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Directory returns the user directory of Settings → Users: the Cognito
// user pool c.UserPool names; on is false when none is set (a laptop).
func (c Config) Directory(ctx context.Context) (dir users.Directory, on bool, err error) {
	if c.UserPool == "" {
		return nil, false, nil
	}
	cfg, err := awsclient.Load(ctx, awsclient.Options{})
	if err != nil {
		return nil, false, fmt.Errorf("user pool %s: %w", c.UserPool, err)
	}
	return cognito.New(cfg, c.UserPool), true, nil
}

// modelHistory returns the version history settings of the model saves
// the workflows make (the Accelerator's builds and syncs, the Jira
// integration's updates): the history-keep setting, as the API's
// (api.Deps.HistoryKeep), and diff.Summarize.
func (c Config) modelHistory(st store.Store, logger *slog.Logger) (*store.History, error) {
	keep, err := c.historyKeep()
	if err != nil {
		return nil, err
	}
	switch {
	case keep == 0:
		keep = store.DefaultHistoryKeep
	case keep < 0:
		keep = 0 // all
	}
	return &store.History{Store: st, Keep: keep, Summarize: diff.Summarize, Logger: logger}, nil
}

// evidenceEvery returns the evidence-every setting: 0 turns the pull off;
// empty is the default, workflow.DefaultEvidenceEvery.
func (c Config) evidenceEvery() (time.Duration, error) {
	if c.EvidenceEvery == "" {
		return workflow.DefaultEvidenceEvery, nil
	}
	d, err := time.ParseDuration(c.EvidenceEvery)
	if err != nil || d < 0 || (d > 0 && d < time.Hour) {
		return 0, fmt.Errorf("evidence-every %q: use a duration of an hour or more such as 24h, or 0 to turn the evidence pull off", c.EvidenceEvery)
	}
	return d, nil
}

// historyKeep returns api.Deps.HistoryKeep for the history-keep setting:
// its number of versions, or -1 (all) for 0.
func (c Config) historyKeep() (int, error) {
	if c.HistoryKeep == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(c.HistoryKeep)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("history-keep %q: use a number of versions, 0 for all", c.HistoryKeep)
	}
	if n == 0 {
		return -1, nil
	}
	return n, nil
}
