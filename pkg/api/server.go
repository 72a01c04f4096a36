package api

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/template"
	"github.com/bulwark-tm/bulwark/pkg/users"
)

// Body size limits.
const (
	// MaxDocumentBody bounds a whole model or diagram (a 25,000-component
	// diagram is about 10 MB of JSON).
	MaxDocumentBody = 16 << 20
	// MaxSmallBody bounds metadata and other small requests.
	MaxSmallBody = 1 << 20
)

// Deps is what the API needs; the composition root (pkg/app) builds it.
// The drivers behind it come in as interfaces (store.Store,
// auth.Authenticator, JiraService, users.Directory), so the API imports
// none of them.
type Deps struct {
	Store   store.Store
	Auth    auth.Authenticator
	Logger  *slog.Logger // default slog.Default()
	Version string       // reported by /health
	// Catalog is the knowledge base; nil loads catalog.Default().
	Catalog *catalog.Catalog
	// Now returns the current time; default time.Now.
	Now func() time.Time
	// Accelerator runs the AWS Accelerator; nil answers its routes with
	// 503.
	Accelerator *Accelerator
	// Jira is the Jira integration; nil answers its routes with 503.
	Jira JiraService
	// Users is the user directory of Settings → Users; nil (a laptop) answers
	// its routes with 503 and an explanation.
	Users users.Directory
	// PayloadLimit is the host's limit on a whole response as it crosses
	// the wire (LambdaPayloadLimit in Lambda): a larger one is answered
	// with 413 instead. 0 (a laptop) means no limit beyond the body limits.
	PayloadLimit int64
	// AllowedHosts are the host names (and addresses) a local-mode server
	// answers to besides the loopback ones: the host of its listen address
	// and any the user allows. Other Host headers get 421 (DNS rebinding),
	// and pages of other origins get 403 (cross-site request forgery).
	// Used when Auth is given and local; in other auth modes the bearer
	// token defends.
	AllowedHosts []string
	// HistoryKeep is how many versions of each model to keep (named and
	// approved ones are kept besides); 0 means store.DefaultHistoryKeep,
	// negative keeps all.
	HistoryKeep int
}

// route is one API operation. The OpenAPI document lists the same set.
type route struct {
	method, pattern string
	role            auth.Role // least role; RoleNone means no authentication
	handle          func(*server, http.ResponseWriter, *http.Request) error
}

// routes is every route of the API: one list per feature, each declared
// beside its handlers, with its OpenAPI part in openapi/<feature>.json.
var routes = slices.Concat(coreRoutes, modelRoutes, historyRoutes, analysisRoutes, templateRoutes, interopRoutes, jiraRoutes, evidenceRoutes, reportRoutes, acceleratorRoutes, userRoutes)

var coreRoutes = []route{
	{"GET", "/api/v1/health", auth.RoleNone, (*server).health},
	{"GET", "/api/v1/openapi.json", auth.RoleNone, (*server).openAPI},
	{"GET", "/api/v1/session", auth.RoleViewer, (*server).session},
	{"GET", "/api/v1/catalog", auth.RoleViewer, (*server).toolbox},
}

type server struct {
	Deps
	localGuard bool // check Host and Origin (local mode)
	models     store.Models
	history    *store.History
	templates  *template.Repo
}

// New returns the API handler. Requests outside /api/v1 get a problem+json
// 404; mount other handlers (the web app) beside it.
func New(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	// The local guard (Host, Origin) needs a local authenticator given
	// explicitly; the nil default serves the webhook-only function, whose
	// callers are not browsers.
	localGuard := d.Auth != nil && d.Auth.Mode() == "local"
	if d.Auth == nil {
		d.Auth = auth.Local{}
	}
	if d.Catalog == nil {
		// The embedded knowledge base is checked by its tests; failing to
		// load it is a build defect, not a run-time condition.
		d.Catalog = must(catalog.Default())
	}
	s := &server{Deps: d, localGuard: localGuard, history: newHistory(d),
		templates: &template.Repo{Store: d.Store, BuiltIns: must(template.BuiltIns()), Now: d.Now}}
	s.models = store.Models{Store: d.Store, History: s.history}
	mux := http.NewServeMux()
	methods := map[string][]string{}
	for _, rt := range routes {
		mux.Handle(rt.method+" "+rt.pattern, s.wrap(rt))
		methods[rt.pattern] = append(methods[rt.pattern], rt.method)
	}
	// A path that exists with another method: 405 with Allow.
	for pattern, ms := range methods {
		allow := strings.Join(append(slices.Clone(ms), "OPTIONS"), ", ")
		if slices.Contains(ms, "GET") {
			allow = "HEAD, " + allow
		}
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			writeProblem(w, r, Problem{Status: http.StatusMethodNotAllowed, Type: problemType("method-not-allowed"),
				Detail: fmt.Sprintf("method %s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, allow)})
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, errs.E(errs.NotFound, "no API route %s %s; see /api/v1/openapi.json", r.Method, r.URL.Path))
	})
	return s.middleware(s.encoding(mux))
}

// middleware adds a request id, security headers, panic recovery and an
// access log line to every request.
func (s *server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.Now()
		id := r.Header.Get("X-Request-Id")
		if !safeRequestID(id) {
			id = rand.Text()
		}
		info := &requestInfo{id: id, logger: s.Logger}
		ctx := context.WithValue(r.Context(), infoKey{}, info)
		r = r.WithContext(ctx)
		w.Header().Set("X-Request-Id", id)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				s.Logger.ErrorContext(ctx, "panic", "request_id", id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if !rec.wrote {
					writeError(rec, r, errs.E(errs.Other, "panic: %v", v))
				}
			}
			attrs := []any{"request_id", id, "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration_ms", float64(s.Now().Sub(start).Microseconds()) / 1000}
			if p := info.principal; p != nil {
				attrs = append(attrs, "tenant", p.Tenant, "user", p.User)
			}
			s.Logger.InfoContext(ctx, "request", attrs...)
		}()
		if p := s.guard(r); p != nil {
			writeProblem(rec, r, *p)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = bodyReader{r.Body}
		}
		next.ServeHTTP(rec, r)
	})
}

// wrap authenticates and authorizes a route, then runs it, turning its error
// into a problem+json answer.
func (s *server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.role != auth.RoleNone {
			p, err := s.Auth.Authenticate(r)
			if err != nil {
				writeError(w, r, err)
				return
			}
			if !p.Can(rt.role) {
				writeError(w, r, errs.E(errs.Forbidden, "%s %s needs the %s role; you are %s", r.Method, rt.pattern, rt.role, p.Role))
				return
			}
			r = r.WithContext(auth.WithPrincipal(r.Context(), p))
			if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
				info.principal = &p
			}
		}
		if err := rt.handle(s, w, r); err != nil {
			writeError(w, r, err)
		}
	})
}

// requestInfo is what the middleware learns about a request for its log line.
type requestInfo struct {
	id        string
	principal *auth.Principal
	logger    *slog.Logger // the server's, for writeError
}

type infoKey struct{}

func requestID(ctx context.Context) string {
	if info, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

// safeRequestID reports whether a client's X-Request-Id may be kept: 1 to
// 128 letters, digits and "-_.:=+/" (enough for UUIDs and API Gateway ids),
// nothing that could forge a log line or smuggle markup.
func safeRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:=+/", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// logger returns the server's logger for a request, or slog's default
// outside one.
func logger(ctx context.Context) *slog.Logger {
	if info, ok := ctx.Value(infoKey{}).(*requestInfo); ok && info.logger != nil {
		return info.logger
	}
	return slog.Default()
}

// principal returns the authenticated caller of an authorized route.
func principal(r *http.Request) auth.Principal {
	p, _ := auth.FromContext(r.Context())
	return p
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *server) health(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
	return nil
}

func (s *server) session(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	writeJSON(w, http.StatusOK, map[string]string{"authMode": s.Auth.Mode(), "user": p.User, "tenant": p.Tenant, "role": p.Role.String()})
	return nil
}

func (s *server) toolbox(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.Catalog.Toolbox())
	return nil
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
