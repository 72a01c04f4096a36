package webapp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func TestHandler(t *testing.T) {
	dist := fstest.MapFS{
		"index.html":              {Data: []byte("<!doctype html><div id=root></div>")},
		"assets/index-abc123.js":  {Data: []byte("console.log(1)")},
		"assets/index-abc123.css": {Data: []byte("body{}")},
		"favicon.svg":             {Data: []byte("<svg/>")},
		"assets/icons/ec2-a1.svg": {Data: []byte("<svg/>")},
	}
	h := Handler(dist)
	tests := []struct {
		method, path string
		status       int
		ctype        string
		cache        string
		body         string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", "no-cache", "<div id=root>"},
		{"GET", "/index.html", 200, "text/html; charset=utf-8", "no-cache", "<div id=root>"},
		{"GET", "/models/tm-1/diagram", 200, "text/html; charset=utf-8", "no-cache", "<div id=root>"},
		{"GET", "/assets/index-abc123.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "console.log"},
		{"GET", "/assets/index-abc123.css", 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", "body{}"},
		{"GET", "/assets/icons/ec2-a1.svg", 200, "image/svg+xml", "public, max-age=31536000, immutable", "<svg/>"},
		{"GET", "/favicon.svg", 200, "image/svg+xml", "public, max-age=300", "<svg/>"},
		{"GET", "/assets/index-old999.js", 404, "", "", ""},
		{"HEAD", "/", 200, "text/html; charset=utf-8", "no-cache", ""},
		{"POST", "/", 405, "", "", ""},
		{"GET", "/../../etc/passwd", 200, "text/html; charset=utf-8", "no-cache", "<div id=root>"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/", nil)
			req.URL.Path = tt.path
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.ctype != "" && rec.Header().Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type %q, want %q", rec.Header().Get("Content-Type"), tt.ctype)
			}
			if tt.cache != "" && rec.Header().Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control %q, want %q", rec.Header().Get("Cache-Control"), tt.cache)
			}
			if !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("body %q lacks %q", rec.Body.String(), tt.body)
			}
			if tt.status == 200 && rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff header")
			}
		})
	}
}

func TestHandlerWithoutBuild(t *testing.T) {
	rec := httptest.NewRecorder()
	Handler(fstest.MapFS{}).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "make run") {
		t.Errorf("unbuilt app: %d %s", rec.Code, rec.Body)
	}
}

// TestSecurityHeaders holds issue 14 point 13: every answer, the app, an
// asset and the not-built page, carries the CSP and the other headers
// CloudFront sets in AWS.
func TestSecurityHeaders(t *testing.T) {
	built := fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}, "assets/a-1.js": {Data: []byte("1")}}
	for _, tc := range []struct {
		name string
		dist fstest.MapFS
		path string
	}{
		{"index", built, "/"},
		{"client route", built, "/models/tm-1"},
		{"asset", built, "/assets/a-1.js"},
		{"missing asset", built, "/assets/gone.js"},
		{"not built", fstest.MapFS{}, "/"},
	} {
		rec := httptest.NewRecorder()
		Handler(tc.dist).ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		for k, v := range map[string]string{
			"Content-Security-Policy": ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
		} {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", tc.name, k, got, v)
			}
		}
	}
	for _, d := range []string{"connect-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(ContentSecurityPolicy, d+";") && !strings.HasSuffix(ContentSecurityPolicy, d) {
			t.Errorf("CSP %q lacks %q", ContentSecurityPolicy, d)
		}
	}
}

// TestPolicyMatchesCloudFront reads the CSP infra/web.go gives CloudFront
// (infra is its own module, so from its source) and holds every directive
// but connect-src to the local policy.
func TestPolicyMatchesCloudFront(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../../infra/web.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var deployed []string
	ast.Inspect(f, func(n ast.Node) bool {
		fd, ok := n.(*ast.FuncDecl)
		if !ok || fd.Name.Name != "ContentSecurityPolicy" {
			return true
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, "-") && !strings.HasPrefix(s, "connect-src") && s != "; " {
					deployed = append(deployed, s)
				}
			}
			return true
		})
		return false
	})
	if len(deployed) < 5 {
		t.Fatalf("found no CSP in infra/web.go ContentSecurityPolicy (got %q); update this test if it moved", deployed)
	}
	var local []string
	for _, d := range strings.Split(ContentSecurityPolicy, "; ") {
		if !strings.HasPrefix(d, "connect-src") {
			local = append(local, d)
		}
	}
	slices.Sort(deployed)
	slices.Sort(local)
	if !slices.Equal(deployed, local) {
		t.Errorf("local CSP directives %q differ from CloudFront's %q", local, deployed)
	}
}

// TestPolicyFollowsConfig: a JWT-mode app (config.json naming the hosted UI
// domain and the API) may connect to both, as CloudFront's policy allows in
// AWS; anything that is not a plain host or origin adds nothing.
func TestPolicyFollowsConfig(t *testing.T) {
	tests := []struct {
		name, config, connect string
	}{
		{"no config", "", "connect-src 'self';"},
		{"local config", `{"apiUrl": ""}`, "connect-src 'self';"},
		{"hosted UI and API", `{"apiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com", "cognitoDomain": "bulwark-111111111111.auth.eu-west-1.amazoncognito.com"}`,
			"connect-src 'self' https://bulwark-111111111111.auth.eu-west-1.amazoncognito.com https://abc123.execute-api.eu-west-1.amazonaws.com;"},
		{"injection in the domain", `{"cognitoDomain": "x.example; script-src *"}`, "connect-src 'self';"},
		{"API with a path and credentials", `{"apiUrl": "https://u:p@api.example/v1"}`, "connect-src 'self';"},
		{"javascript API", `{"apiUrl": "javascript:alert(1)"}`, "connect-src 'self';"},
		{"malformed config", `{`, "connect-src 'self';"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dist := fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}
			if tt.config != "" {
				dist["config.json"] = &fstest.MapFile{Data: []byte(tt.config)}
			}
			rec := httptest.NewRecorder()
			Handler(dist).ServeHTTP(rec, httptest.NewRequest("GET", "/models", nil))
			csp := rec.Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, tt.connect) {
				t.Errorf("CSP %q lacks %q", csp, tt.connect)
			}
			if strings.Count(csp, "script-src") != 1 {
				t.Errorf("CSP %q has another script-src", csp)
			}
		})
	}
}
