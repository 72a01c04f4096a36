package webapp

import (
	"net/http"
	"net/http/httptest"
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
