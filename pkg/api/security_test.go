package api

// The security suite of issue 14 (the inbound half): what a page of another
// site, a rebound host name, a slow or vanished client and hostile input
// can do to a running server. Each test would pass a request the old code
// let through.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// localAPI is the API as `bulwark serve` runs it in local mode on
// 127.0.0.1:8080, logging to logs.
func localAPI(t *testing.T, logs io.Writer, allowed ...string) http.Handler {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if logs == nil {
		logs = io.Discard
	}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return New(Deps{Store: st, Auth: auth.Local{}, Logger: logger, Version: "test", AllowedHosts: append([]string{"127.0.0.1"}, allowed...)})
}

// send serves one request; headers are name, value pairs, and "Host"
// sets the Host header (default localhost:8080).
func send(t *testing.T, h http.Handler, method, path string, body io.Reader, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Host = "localhost:8080"
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func modelCount(t *testing.T, h http.Handler) int {
	t.Helper()
	r := send(t, h, "GET", "/api/v1/models", nil)
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &list) != nil {
		t.Fatalf("list models: %d %s", r.status, r.body)
	}
	return len(list.Items)
}

func modelJSON(t *testing.T) string {
	b, err := json.Marshal(sampleModel())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCrossSiteRequestsRefused holds issue 14 point 1 in local mode: the
// bodies and headers a page of another site can send without a CORS
// preflight change nothing; the web app's own requests still work.
func TestCrossSiteRequestsRefused(t *testing.T) {
	h := localAPI(t, nil)
	doc := modelJSON(t)
	otm := otmFixture(t)
	evType, evidence := multipartBody(t, "securityhub/consolidated-ec2-8-failed.json")
	cases := []struct {
		name, method, path string
		body               []byte
		headers            []string
		status             int
		problem            string
	}{
		// What fetch(..., {mode: 'no-cors', body: new Blob([json])}) sends.
		{"blob body without a type", "POST", "/api/v1/models", []byte(doc), nil, 415, "unsupported-media-type"},
		{"text/plain", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "text/plain;charset=UTF-8"}, 415, "unsupported-media-type"},
		{"form", "POST", "/api/v1/models", []byte("name=x"), []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported-media-type"},
		{"multipart form", "POST", "/api/v1/models", evidence, []string{"Content-Type", evType}, 415, "unsupported-media-type"},
		{"a type that only starts like JSON", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/jsonp"}, 415, "unsupported-media-type"},
		{"a type that only starts like JSON, with parameters", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json-seq; charset=utf-8"}, 415, "unsupported-media-type"},
		{"unreadable type", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json; =x"}, 415, "unsupported-media-type"},
		{"empty form to a body-less route", "POST", "/api/v1/models/tm-x/templates", nil, []string{"Content-Type", "text/plain"}, 415, "unsupported-media-type"},
		{"import as text/plain from a form", "POST", "/api/v1/import?from=otm", otm, []string{"Content-Type", "text/plain"}, 403, "client-header-required"},
		{"evidence from a multipart form", "POST", "/api/v1/evidence/import", evidence, []string{"Content-Type", evType}, 403, "client-header-required"},
		{"evidence as an unlisted type", "POST", "/api/v1/evidence/import", evidence, []string{"Content-Type", "image/png", ClientHeader, "web"}, 415, "unsupported-media-type"},
		{"JSON from a foreign origin", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json", "Origin", "http://attacker.example"}, 403, "cross-origin"},
		{"JSON from a sandboxed frame", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json", "Origin", "null"}, 403, "cross-origin"},
		{"a loopback name as a foreign origin's subdomain", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json", "Origin", "http://localhost.attacker.example"}, 403, "cross-origin"},
		{"cross-site by fetch metadata", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"}, 403, "cross-origin"},
		{"cross-site delete", "DELETE", "/api/v1/models/tm-x", nil, []string{"Origin", "https://attacker.example"}, 403, "cross-origin"},
		{"cross-site read", "GET", "/api/v1/models", nil, []string{"Origin", "http://attacker.example"}, 403, "cross-origin"},
		{"cross-site read by fetch metadata", "GET", "/api/v1/models", nil, []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors"}, 403, "cross-origin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, h, tc.method, tc.path, bytes.NewReader(tc.body), tc.headers...)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if p := r.problem(t); p.Type != problemType(tc.problem) {
				t.Errorf("problem %s, want %s", p.Type, tc.problem)
			}
		})
	}
	if n := modelCount(t, h); n != 0 {
		t.Fatalf("the refused requests created %d models", n)
	}

	// The web app's own requests.
	ok := []struct {
		name, method, path string
		body               []byte
		headers            []string
		status             int
	}{
		{"JSON", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json"}, 201},
		{"JSON with a charset", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json; charset=utf-8", "Sec-Fetch-Site", "same-origin"}, 201},
		{"JSON from the dev server's origin", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json", "Origin", "http://localhost:5173", "Sec-Fetch-Site", "same-site"}, 201},
		{"JSON from the loopback origin", "POST", "/api/v1/models", []byte(doc), []string{"Content-Type", "application/json", "Origin", "http://127.0.0.1:8080"}, 201},
		{"import with the client header", "POST", "/api/v1/import?from=otm", otm, []string{"Content-Type", "text/plain", ClientHeader, "web", "Origin", "http://localhost:8080"}, 200},
		{"evidence with the client header", "POST", "/api/v1/evidence/import", evidence, []string{"Content-Type", evType, ClientHeader, "web"}, 200},
		{"no body and no type reaches the handler", "POST", "/api/v1/models/tm-none/templates", nil, nil, 400},
		{"a link followed from another site", "GET", "/api/v1/openapi.json", nil, []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate"}, 200},
	}
	for _, tc := range ok {
		t.Run("allowed: "+tc.name, func(t *testing.T) {
			if r := send(t, h, tc.method, tc.path, bytes.NewReader(tc.body), tc.headers...); r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
		})
	}
	if n := modelCount(t, h); n != 4 {
		t.Errorf("%d models, want the 4 the app created", n)
	}
}

// TestJWTModeKeepsTheMediaTypeRule: with bearer tokens the web app is on
// another origin than the API, so foreign origins are answered, but
// bodies must still be JSON.
func TestJWTModeKeepsTheMediaTypeRule(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	doc := modelJSON(t)
	if r := c.do("POST", "/api/v1/models", doc, "Content-Type", "application/json", "Origin", "https://d111111abcdef8.cloudfront.net", "Sec-Fetch-Site", "cross-site"); r.status != 201 {
		t.Errorf("JSON from the web origin: %d %s", r.status, r.body)
	}
	if r := c.do("POST", "/api/v1/models", doc, "Content-Type", "text/plain"); r.status != 415 {
		t.Errorf("text/plain: %d %s", r.status, r.body)
	}
	if r := c.do("GET", "/api/v1/models", nil, "Host", "anything.example"); r.status != 200 {
		t.Errorf("any host: %d %s", r.status, r.body)
	}
}

// TestRebindingRefused holds issue 14 point 2: in local mode a Host header
// other than a loopback name, the --addr host or an allowed host is
// answered 421 before anything is read or changed.
func TestRebindingRefused(t *testing.T) {
	h := localAPI(t, nil, "bulwark.lan")
	if r := send(t, h, "POST", "/api/v1/models", strings.NewReader(modelJSON(t)), "Content-Type", "application/json"); r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var m struct{ ID string }
	list := send(t, h, "GET", "/api/v1/models", nil)
	var items struct{ Items []struct{ ID string } }
	if err := json.Unmarshal(list.body, &items); err != nil || len(items.Items) != 1 {
		t.Fatalf("list: %s", list.body)
	}
	m.ID = items.Items[0].ID
	for _, host := range []string{"rebind.attacker.example:8080", "rebind.attacker.example", "localhost.attacker.example:8080", "169.254.169.254", "10.0.0.1:8080", ""} {
		for _, req := range [][2]string{{"GET", "/api/v1/models"}, {"GET", "/api/v1/models/" + m.ID}, {"DELETE", "/api/v1/models/" + m.ID}} {
			r := send(t, h, req[0], req[1], nil, "Host", host)
			if r.status != http.StatusMisdirectedRequest || bytes.Contains(r.body, []byte(`"id":"`+m.ID)) {
				t.Errorf("%s %s with Host %q: %d %s", req[0], req[1], host, r.status, r.body)
			}
		}
	}
	for _, host := range []string{"localhost:8080", "LOCALHOST", "localhost.:8080", "127.0.0.1:8080", "127.1.2.3", "[::1]:8080", "bulwark.lan:8080"} {
		if r := send(t, h, "GET", "/api/v1/models/"+m.ID, nil, "Host", host); r.status != 200 {
			t.Errorf("Host %q: %d %s", host, r.status, r.body)
		}
	}
	// Bound to every interface, address literals are fine (DNS cannot
	// rebind them), names still are not.
	all := localAPI(t, nil, "0.0.0.0")
	if r := send(t, all, "GET", "/api/v1/models", nil, "Host", "192.0.2.10:8080"); r.status != 200 {
		t.Errorf("address literal on 0.0.0.0: %d", r.status)
	}
	if r := send(t, all, "GET", "/api/v1/models", nil, "Host", "rebind.attacker.example:8080"); r.status != 421 {
		t.Errorf("name on 0.0.0.0: %d", r.status)
	}
}

// TestRequestIDIsSanitized holds issue 14 point 12: a client's request id
// is echoed and logged only when it is a plain token.
func TestRequestIDIsSanitized(t *testing.T) {
	var logs bytes.Buffer
	h := localAPI(t, &logs)
	for _, tc := range []struct {
		id   string
		kept bool
	}{
		{"3f2b8c1e-9a4d-4e55-8f1a-0c6a7d2e9b10", true},
		{"Root=1-67891233-abcdef012345678912345678", true},
		{"bGlnaHQgd29yaw==", true},
		{"evil\nlevel=ERROR msg=forged", false},
		{"<script>alert(1)</script>", false},
		{"a b", false},
		{strings.Repeat("x", 129), false},
		{"ünïcode", false},
	} {
		logs.Reset()
		r := send(t, h, "GET", "/api/v1/nothing", nil, "X-Request-Id", tc.id)
		got := r.header.Get("X-Request-Id")
		if p := r.problem(t); p.RequestID != got {
			t.Errorf("problem request id %q, header %q", p.RequestID, got)
		}
		if (got == tc.id) != tc.kept || got == "" {
			t.Errorf("X-Request-Id %q answered as %q (kept %v)", tc.id, got, tc.kept)
		}
		if !tc.kept && strings.Contains(logs.String(), tc.id) {
			t.Errorf("the unsafe id %q reached the log: %s", tc.id, logs.String())
		}
	}
}

// TestErrorsLogThroughTheServersLogger holds issue 14 point 12: an
// internal error is logged by the logger the server was given (--log-format
// json), with the request id, not by slog's default.
func TestErrorsLogThroughTheServersLogger(t *testing.T) {
	var logs, def bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&def, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	st, err := bolt.Open(filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := New(Deps{Store: st, Auth: auth.Local{}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	st.Close() // every store call now fails: an internal error
	r := send(t, h, "GET", "/api/v1/models", nil, "X-Request-Id", "req-5xx")
	if r.status < 500 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var line struct {
		Msg       string `json:"msg"`
		Level     string `json:"level"`
		RequestID string `json:"request_id"`
	}
	found := false
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if json.Unmarshal([]byte(l), &line) == nil && line.Msg == "request failed" {
			found = line.Level == "ERROR" && line.RequestID == "req-5xx"
		}
	}
	if !found {
		t.Errorf("no JSON \"request failed\" error line with the request id in the server's log:\n%s", logs.String())
	}
	if def.Len() > 0 {
		t.Errorf("slog's default logger was used: %s", def.String())
	}
}

// failingBody is a request body whose reading fails with err after a few
// bytes, as a slow or vanished client's does.
type failingBody struct {
	sent bool
	err  error
}

func (b *failingBody) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, `{"name":"Pay`), nil
	}
	return 0, b.err
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// TestSlowAndVanishedClients holds issue 14 point 6 at the handler: a body
// that times out is a 408, a client that disconnects is logged at debug
// level; neither is a 500 or an error line.
func TestSlowAndVanishedClients(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		status  int
		problem string
		path    string
		ctype   string
	}{
		{"timeout", timeoutError{}, 408, "request-timeout", "/api/v1/models", "application/json"},
		{"deadline", os.ErrDeadlineExceeded, 408, "request-timeout", "/api/v1/models", "application/json"},
		{"disconnect", io.ErrUnexpectedEOF, 400, "incomplete-request", "/api/v1/models", "application/json"},
		{"reset", errors.New("read tcp 127.0.0.1:8080->127.0.0.1:5555: connection reset by peer"), 400, "incomplete-request", "/api/v1/models", "application/json"},
		{"upload timeout", timeoutError{}, 408, "request-timeout", "/api/v1/import?from=otm", "text/plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := localAPI(t, &logs)
			req := httptest.NewRequest("POST", tc.path, &failingBody{err: tc.err})
			req.Host = "localhost"
			req.Header.Set("Content-Type", tc.ctype)
			req.Header.Set(ClientHeader, "web")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			r := response{rec.Code, rec.Header(), rec.Body.Bytes()}
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if p := r.problem(t); p.Type != problemType(tc.problem) {
				t.Errorf("problem %s", p.Type)
			}
			if strings.Contains(logs.String(), `"level":"ERROR"`) || !strings.Contains(logs.String(), `"level":"DEBUG"`) {
				t.Errorf("want a debug line and no error line:\n%s", logs.String())
			}
		})
	}
}

// TestHostileTextRefused holds issue 14 point 10 through the API: what the
// JSON decoder would store silently wrong is refused naming the field, and
// ordinary Unicode names are stored as sent.
func TestHostileTextRefused(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	doc := modelJSON(t)
	with := func(old, new string) string {
		if !strings.Contains(doc, old) {
			t.Fatalf("%q not in the sample", old)
		}
		return strings.Replace(doc, old, new, 1)
	}
	for _, tc := range []struct {
		name, body string
		status     int
		field      string
	}{
		{"bidi override in the name", with(`"name":"Payments"`, `"name":"Pay\u202emstnem"`), 422, "/name"},
		{"NUL in a component name", with(`"name":"ALB"`, `"name":"A\u0000LB"`), 422, "/diagram/components/0/name"},
		{"lone surrogate in a label", with(`"pci"`, `"\ud800"`), 422, "/labels/0"},
		{"invalid UTF-8 in a flow protocol", with(`"HTTPS"`, "\"HT\xc3\x28PS\""), 422, "/diagram/flows/0/protocol"},
		{"duplicate key", with(`"name":"Payments"`, `"name":"Payments","name":"Other"`), 400, "/name"},
		{"case-variant key", with(`"name":"Payments"`, `"name":"Payments","NAME":"Other"`), 400, "/NAME"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do("POST", "/api/v1/models", tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if p := r.problem(t); p.Field != tc.field {
				t.Errorf("field %q, want %q (%s)", p.Field, tc.field, p.Detail)
			}
		})
	}
	name := "Zahlungsdienst – Ü 支付 مدفوعات 🔒"
	r := c.do("POST", "/api/v1/models", with(`"name":"Payments"`, `"name":"`+name+`"`))
	var got struct{ Name string }
	if r.status != 201 || json.Unmarshal(r.body, &got) != nil || got.Name != name {
		t.Errorf("ordinary Unicode name: %d %s", r.status, r.body)
	}
}

// TestUploadTypesAreTheDocumentedOnes: the media types the guard lets
// through with the client header are exactly the non-JSON request types
// the OpenAPI document lists, route by route, and those routes document
// the header.
func TestUploadTypesAreTheDocumentedOnes(t *testing.T) {
	spec, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string][]string{}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			var op struct {
				Parameters  []map[string]any `json:"parameters"`
				RequestBody struct {
					Content map[string]json.RawMessage `json:"content"`
				} `json:"requestBody"`
			}
			if method == "parameters" || json.Unmarshal(raw, &op) != nil {
				continue
			}
			key := strings.ToUpper(method) + " " + path
			for mt := range op.RequestBody.Content {
				if !slices.Contains(jsonTypes, mt) {
					documented[key] = append(documented[key], mt)
				}
			}
			if len(documented[key]) > 0 && !slices.ContainsFunc(op.Parameters, func(p map[string]any) bool { return p["$ref"] == "#/components/parameters/ClientHeader" }) {
				t.Errorf("%s takes %v but does not document the %s header", key, documented[key], ClientHeader)
			}
		}
	}
	for key, types := range documented {
		slices.Sort(types)
		got := slices.Sorted(slices.Values(uploadTypes[key]))
		if !slices.Equal(types, got) {
			t.Errorf("%s: documented upload types %v, the guard accepts %v", key, types, got)
		}
	}
	for key := range uploadTypes {
		if documented[key] == nil {
			t.Errorf("the guard accepts uploads on %s, which documents none", key)
		}
	}
}
