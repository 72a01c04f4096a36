package api

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// FuzzHandler sends arbitrary requests — request line, headers and body as
// a client writes them — to the API in local mode and in bearer (test
// principal) mode. No input may crash the server or make it answer with an
// internal error; run by `make fuzz`.
func FuzzHandler(f *testing.F) {
	model := `{"name":"Payments","projectType":"AWS Cloud Application","priority":"High","facing":"public","diagram":{"components":[{"id":"a","type":"aws.ec2","name":"A","position":{"x":1,"y":2}}]}}`
	seeds := []struct {
		local          bool
		method, target string
		headers        string
		body           string
	}{
		{true, "GET", "/api/v1/models?limit=5&sort=name", "", ""},
		{true, "POST", "/api/v1/models", "Content-Type: application/json", model},
		{true, "POST", "/api/v1/models", "Content-Type: text/plain\r\nOrigin: http://attacker.example", model},
		{true, "DELETE", "/api/v1/models/tm-1", "Host: rebind.attacker.example:8080", ""},
		{true, "POST", "/api/v1/import?from=otm&name=a.yaml", "Content-Type: text/plain\r\nX-Bulwark-Client: web", "otmVersion: 0.2.0\nproject: {name: x, id: x}\n"},
		{true, "POST", "/api/v1/evidence/import", "Content-Type: multipart/form-data; boundary=XX\r\nX-Bulwark-Client: web", "--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.json\"\r\n\r\n{}\r\n--XX--\r\n"},
		{false, "POST", "/api/v1/models", "Content-Type: application/json; charset=utf-8\r\nX-Test-Principal: acme/editor/ann", `{"name":"a","name":"b","NAME":"\ud800"}`},
		{false, "PUT", "/api/v1/models/tm-1/diagram", "Content-Type: application/json\r\nIf-Match: \"1\"\r\nX-Test-Principal: acme/admin/root", `{"components":[{"id":"x\u202e","type":"aws.ec2"}]}`},
		{false, "PATCH", "/api/v1/models/%2e%2e/states", "Content-Type: application/merge-patch+json\r\nX-Test-Principal: acme/editor/ann\r\nX-Request-Id: a\x01b", `{"states":{"a":{"status":"Done"}}}`},
		{false, "POST", "/api/v1/templates", "Content-Type: application/json\r\nX-Test-Principal: acme/admin/root", `{"name":"t","category":"AWS","diagram":{}}`},
		{false, "GET", "/api/v1/models/tm-1/reports/executive?format=csv", "X-Test-Principal: acme/viewer/v", ""},
		{false, "POST", "/api/v1/webhooks/jira/acme/ji-1", "Content-Type: application/json\r\nX-Hub-Signature: sha256=00", `{"webhookEvent":"jira:issue_updated"}`},
	}
	for _, s := range seeds {
		f.Add(s.local, s.method, s.target, s.headers, []byte(s.body))
	}
	open := func(a auth.Authenticator) http.Handler {
		st, err := bolt.Open(filepath.Join(f.TempDir(), fmt.Sprintf("fuzz-%s.db", a.Mode())))
		if err != nil {
			f.Fatal(err)
		}
		f.Cleanup(func() { st.Close() })
		return New(Deps{Store: st, Auth: a, Logger: discardLogger(), AllowedHosts: []string{"127.0.0.1"}})
	}
	local, bearer := open(auth.Local{}), open(headerAuth{})
	f.Fuzz(func(t *testing.T, isLocal bool, method, target, headers string, body []byte) {
		var raw bytes.Buffer
		fmt.Fprintf(&raw, "%s %s HTTP/1.1\r\nHost: localhost:8080\r\n", method, target)
		if headers != "" {
			raw.WriteString(strings.TrimRight(headers, "\r\n") + "\r\n")
		}
		fmt.Fprintf(&raw, "Content-Length: %d\r\n\r\n", len(body))
		raw.Write(body)
		req, err := http.ReadRequest(bufio.NewReader(&raw))
		if err != nil {
			return // not a request a server would hand to a handler
		}
		req.RemoteAddr = "127.0.0.1:50000"
		h := bearer
		if isLocal {
			h = local
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s %s: %d %s", req.Method, req.URL, rec.Code, rec.Body.Bytes())
		}
	})
}
