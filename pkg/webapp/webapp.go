// Package webapp serves the built single-page web app (web/dist) with SPA
// routing: files are served as they are, with content types by extension
// and caching by kind (hashed assets are immutable, index.html is always
// revalidated), and any other path that is not an API path gets index.html
// so that client-side routes survive a reload.
package webapp

import (
	"encoding/json"
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
)

func init() {
	// Some minimal systems lack /etc/mime.types entries for these.
	for ext, typ := range map[string]string{
		".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".json": "application/json",
		".webmanifest": "application/manifest+json", ".wasm": "application/wasm", ".woff2": "font/woff2",
		".map": "application/json",
	} {
		_ = mime.AddExtensionType(ext, typ)
	}
}

// ContentSecurityPolicy is the web app's policy when Bulwark serves it:
// the one CloudFront sets in AWS (ContentSecurityPolicy in infra/web.go; a
// test keeps the two in step) except connect-src, which is the app's own
// origin only, where the API is. The local run is so tested under the
// deployed rules: no inline script, no foreign connection, no framing.
var ContentSecurityPolicy = strings.Join([]string{
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self' 'unsafe-inline'", // React Flow sets inline styles
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"worker-src 'self' blob:", // the layout Web Worker
	"object-src 'none'",
	"base-uri 'self'",
	"form-action 'self'",
	"frame-ancestors 'none'",
}, "; ")

// SecurityHeaders are the headers of every answer of Handler: those of
// CloudFront's response-headers policy in AWS, but Strict-Transport-
// Security, which browsers ignore over the plain HTTP of a laptop.
var SecurityHeaders = map[string]string{
	"Content-Security-Policy": ContentSecurityPolicy,
	"X-Content-Type-Options":  "nosniff",
	"X-Frame-Options":         "DENY",
	"Referrer-Policy":         "strict-origin-when-cross-origin",
}

// hostName is a DNS name as config.json may give it (no port, path or
// anything a CSP source list would read as another source).
var hostName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)+[A-Za-z0-9-]{1,63}$`)

// PolicyFor returns the Content-Security-Policy for the app in dist:
// [ContentSecurityPolicy], with connect-src also allowing what the app's
// config.json tells it to call — the Cognito hosted UI domain (its
// /oauth2/token endpoint, as CloudFront's policy allows in AWS) and an
// apiUrl on another origin — so that a JWT-mode app served by Bulwark can
// sign in. Values that are not plain host names or http(s) origins are
// ignored.
func PolicyFor(dist fs.FS) string {
	b, err := fs.ReadFile(dist, "config.json")
	if err != nil {
		return ContentSecurityPolicy
	}
	var cfg struct {
		APIURL        string `json:"apiUrl"`
		CognitoDomain string `json:"cognitoDomain"`
	}
	if json.Unmarshal(b, &cfg) != nil {
		return ContentSecurityPolicy
	}
	extra := ""
	if hostName.MatchString(cfg.CognitoDomain) {
		extra += " https://" + strings.ToLower(cfg.CognitoDomain)
	}
	if u, err := url.Parse(cfg.APIURL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.User == nil {
		if h := u.Hostname(); hostName.MatchString(h) || h == "localhost" || h == "127.0.0.1" {
			extra += " " + u.Scheme + "://" + u.Host
		}
	}
	return strings.Replace(ContentSecurityPolicy, "connect-src 'self'", "connect-src 'self'"+extra, 1)
}

// Handler serves the app in dist. When dist has no index.html, it answers
// every request with a page that says how to build the app. Its CSP is
// [PolicyFor] dist, read once.
func Handler(dist fs.FS) http.Handler {
	files := http.FileServerFS(dist)
	policy := PolicyFor(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		for k, v := range SecurityHeaders {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Security-Policy", policy)
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		st, err := fs.Stat(dist, name)
		switch {
		case err == nil && !st.IsDir():
			if name == "index.html" {
				serveIndex(w, r, dist)
				return
			}
			if strings.HasPrefix(name, "assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "public, max-age=300")
			}
			files.ServeHTTP(w, r)
		case path.Ext(name) != "" && !strings.HasSuffix(name, ".html"):
			// A missing asset is a 404, not the app: a stale page asking for
			// an old bundle must see the failure.
			http.NotFound(w, r)
		default:
			serveIndex(w, r, dist)
		}
	})
}

func serveIndex(w http.ResponseWriter, r *http.Request, dist fs.FS) {
	b, err := fs.ReadFile(dist, "index.html")
	if errors.Is(err, fs.ErrNotExist) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(notBuilt))
		return
	}
	if err != nil {
		http.Error(w, "cannot read index.html", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(b)
}

const notBuilt = `<!doctype html><title>Bulwark</title>
<h1>The Bulwark web app is not built</h1>
<p>The API is running (see <a href="/api/v1/health">/api/v1/health</a>). Build the app with <code>make run</code>
(or <code>cd web && npm ci && npm run build</code>) and start the server again, or pass <code>--web DIR</code>.</p>`
