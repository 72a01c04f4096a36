package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/api"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
)

// lambdaHost is the api Lambda as API Gateway and the Lambda service see
// it: events in and responses out as JSON documents, each held to
// Lambda's payload limit.
type lambdaHost struct {
	t       *testing.T
	handler APIHandler
	base    events.APIGatewayV2HTTPRequest // the fixture
	token   string
}

// lambdaRequest is one browser request.
type lambdaRequest struct {
	method, path, query string
	body                []byte
	gzip                bool              // send the body gzip-compressed, as the web app does for large ones
	header              map[string]string // besides the fixture's (an empty value removes one)
}

// lambdaResponse is a response as the browser gets it from API Gateway.
type lambdaResponse struct {
	status int
	header map[string]string
	raw    events.APIGatewayV2HTTPResponse
	body   []byte // decoded from base64 and gzip
	size   int    // of the serialized Lambda response
}

func (h *lambdaHost) do(rq lambdaRequest) lambdaResponse {
	h.t.Helper()
	ev := h.base
	ev.RawPath, ev.RawQueryString = rq.path, rq.query
	ev.RequestContext.HTTP.Method, ev.RequestContext.HTTP.Path = rq.method, rq.path
	ev.Headers = map[string]string{}
	for k, v := range h.base.Headers {
		ev.Headers[k] = v
	}
	ev.Headers["authorization"] = "Bearer " + h.token
	ev.Body, ev.IsBase64Encoded = string(rq.body), false
	if rq.body != nil {
		ev.Headers["content-type"] = "application/json"
		if rq.gzip {
			// A gzip body is binary: API Gateway hands it over base64-encoded.
			z := gzipBytes(h.t, rq.body)
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(z), true
			ev.Headers["content-encoding"] = "gzip"
			ev.Headers["content-length"] = strconv.Itoa(len(z))
		} else {
			ev.Headers["content-length"] = strconv.Itoa(len(rq.body))
		}
	}
	for k, v := range rq.header {
		if v == "" {
			delete(ev.Headers, k)
		} else {
			ev.Headers[k] = v
		}
	}
	// The event crosses Lambda's invoke API as JSON.
	in, err := json.Marshal(ev)
	if err != nil {
		h.t.Fatal(err)
	}
	if len(in) > api.LambdaPayloadLimit {
		h.t.Fatalf("%s %s: the event is %d bytes, over Lambda's %d", rq.method, rq.path, len(in), api.LambdaPayloadLimit)
	}
	var got events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(in, &got); err != nil {
		h.t.Fatal(err)
	}
	resp, err := h.handler(context.Background(), got)
	if err != nil {
		h.t.Fatalf("%s %s: the function failed (API Gateway answers 500): %v", rq.method, rq.path, err)
	}
	out, err := json.Marshal(resp)
	if err != nil {
		h.t.Fatal(err)
	}
	if len(out) > api.LambdaPayloadLimit {
		h.t.Fatalf("%s %s: the response is %d bytes, over Lambda's %d (API Gateway would answer 502)", rq.method, rq.path, len(out), api.LambdaPayloadLimit)
	}
	var sent events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &sent); err != nil {
		h.t.Fatal(err)
	}
	r := lambdaResponse{status: sent.StatusCode, header: map[string]string{}, raw: sent, size: len(out)}
	for k, v := range sent.Headers {
		r.header[http.CanonicalHeaderKey(k)] = v
	}
	r.body = []byte(sent.Body)
	if sent.IsBase64Encoded {
		if r.body, err = base64.StdEncoding.DecodeString(sent.Body); err != nil {
			h.t.Fatalf("%s %s: isBase64Encoded but %v", rq.method, rq.path, err)
		}
	}
	if r.header["Content-Encoding"] == "gzip" {
		if !sent.IsBase64Encoded {
			h.t.Fatalf("%s %s: a gzip body without isBase64Encoded would be corrupted by API Gateway", rq.method, rq.path)
		}
		r.body = gunzipBytes(h.t, r.body)
	}
	return r
}

func (r lambdaResponse) want(t *testing.T, what string, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, r.status, status, r.body)
	}
}

func (r lambdaResponse) problem(t *testing.T, what string, status int) api.Problem {
	t.Helper()
	r.want(t, what, status)
	if ct := r.header["Content-Type"]; ct != "application/problem+json" {
		t.Fatalf("%s: Content-Type %q, want application/problem+json", what, ct)
	}
	var p api.Problem
	if err := json.Unmarshal(r.body, &p); err != nil || p.Status != status {
		t.Fatalf("%s: problem %+v, %v", what, p, err)
	}
	return p
}

// TestLambdaPath runs the web app's requests through the api Lambda as it
// is deployed (LambdaAPI: JWT auth, httpadapter.NewV2, Lambda's payload
// limit), as API Gateway HTTP API events, including a 10 MB model that
// fits Lambda's 6 MB only compressed, both ways.
func TestLambdaPath(t *testing.T) {
	is := newIssuer(t)
	dir := t.TempDir()
	env := map[string]string{
		"BULWARK_STORE": "bolt://" + filepath.Join(dir, "bulwark.db"), "BULWARK_AUTH": "jwt",
		"BULWARK_JWT_ISSUER": is.url(), "BULWARK_JWT_AUDIENCE": "client-1", "BULWARK_ACCELERATOR_SOURCE": "off",
		// The loopback issuer stands in for Cognito's public endpoint.
		"BULWARK_OUTBOUND_ALLOW": "127.0.0.1",
	}
	cfg := FromEnv(func(k string) string { return env[k] })
	a, handler, err := LambdaAPI(context.Background(), cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	fixture, err := os.ReadFile("../../events/aws/apigateway/http-api-jwt-request.json")
	if err != nil {
		t.Fatal(err)
	}
	h := &lambdaHost{t: t, handler: handler, token: is.sign(t, "acme", "editor", "ann")}
	if err := json.Unmarshal(fixture, &h.base); err != nil {
		t.Fatal(err)
	}

	// Session and catalog, as the app starts.
	r := h.do(lambdaRequest{method: "GET", path: "/api/v1/session"})
	r.want(t, "session", 200)
	var session map[string]string
	_ = json.Unmarshal(r.body, &session)
	if session["tenant"] != "acme" || session["role"] != "editor" || session["authMode"] != "jwt" {
		t.Fatalf("session %v", session)
	}
	h.do(lambdaRequest{method: "GET", path: "/api/v1/catalog"}).want(t, "catalog", 200)
	r = h.do(lambdaRequest{method: "GET", path: "/api/v1/models", query: "limit=50&sort=-updatedAt"})
	r.want(t, "list", 200)
	if !strings.Contains(string(r.body), `"items"`) {
		t.Fatalf("list: %s", r.body)
	}

	// A small model: create, diagram with If-Match and ETag, analysis.
	small := `{"name":"Payments","projectType":"AWS Cloud Application","priority":"High","facing":"public",
	 "diagram":{"components":[{"id":"alb","type":"aws.alb","name":"ALB","position":{"x":0,"y":0}},
	 {"id":"web","type":"aws.ec2","name":"Web","position":{"x":200,"y":0}}],
	 "flows":[{"id":"f1","source":"alb","target":"web","protocol":"HTTPS","port":443}]}}`
	r = h.do(lambdaRequest{method: "POST", path: "/api/v1/models", body: []byte(small)})
	r.want(t, "create", 201)
	var created struct {
		ID      string          `json:"id"`
		Diagram json.RawMessage `json:"diagram"`
	}
	_ = json.Unmarshal(r.body, &created)
	if r.header["Etag"] != `"1"` || r.header["Location"] != "/api/v1/models/"+created.ID {
		t.Fatalf("create headers %v", r.header)
	}
	diagram := "/api/v1/models/" + created.ID + "/diagram"
	r = h.do(lambdaRequest{method: "GET", path: diagram})
	r.want(t, "get diagram", 200)
	if r.header["Etag"] != `"1"` {
		t.Fatalf("diagram ETag %q", r.header["Etag"])
	}
	r = h.do(lambdaRequest{method: "PUT", path: diagram, body: r.body, header: map[string]string{"if-match": `"1"`}})
	r.want(t, "put diagram", 200)
	if r.header["Etag"] != `"2"` {
		t.Fatalf("put ETag %q", r.header["Etag"])
	}
	p := h.do(lambdaRequest{method: "PUT", path: diagram, body: created.Diagram, header: map[string]string{"if-match": `"1"`}}).problem(t, "stale put", 409)
	if p.CurrentRevision == nil || *p.CurrentRevision != 2 {
		t.Fatalf("stale put: %+v", p)
	}
	for _, sub := range []string{"threats", "requirements"} {
		r = h.do(lambdaRequest{method: "GET", path: "/api/v1/models/" + created.ID + "/" + sub})
		r.want(t, sub, 200)
		if !json.Valid(r.body) {
			t.Fatalf("%s: %.200s", sub, r.body)
		}
	}

	// An import: a large CloudFormation template as text, gzip-compressed
	// as the web app sends any large body.
	var tpl strings.Builder
	tpl.WriteString(`{"AWSTemplateFormatVersion":"2010-09-09","Resources":{`)
	for i := range 2000 {
		if i > 0 {
			tpl.WriteString(",")
		}
		fmt.Fprintf(&tpl, `"Queue%d":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"jobs-%d","VisibilityTimeout":60}}`, i, i)
	}
	tpl.WriteString("}}")
	r = h.do(lambdaRequest{method: "POST", path: "/api/v1/import", query: "from=cloudformation&name=queues.json", body: []byte(tpl.String()), gzip: true,
		header: map[string]string{"content-type": "text/plain"}})
	r.want(t, "import", 200)
	var imported struct {
		Model struct {
			Diagram struct{ Components []json.RawMessage } `json:"diagram"`
		} `json:"model"`
	}
	if err := json.Unmarshal(r.body, &imported); err != nil || len(imported.Model.Diagram.Components) != 2000 {
		t.Fatalf("import: %v, %d components", err, len(imported.Model.Diagram.Components))
	}

	// A 10 MB model: sent gzip-compressed, stored, read back identical
	// (compressed; uncompressed it would not fit, and says so).
	big := bigModelJSON(t, 12000)
	if len(big) < 10_000_000 {
		t.Fatalf("fixture: %d bytes, want 10 MB", len(big))
	}
	r = h.do(lambdaRequest{method: "POST", path: "/api/v1/models", body: big, gzip: true})
	r.want(t, "create 10 MB", 201)
	if r.header["Content-Encoding"] != "gzip" || !r.raw.IsBase64Encoded {
		t.Errorf("create 10 MB answered %v, base64 %v: the echo must be compressed", r.header, r.raw.IsBase64Encoded)
	}
	var bigCreated map[string]any
	if err := json.Unmarshal(r.body, &bigCreated); err != nil {
		t.Fatal(err)
	}
	id, _ := bigCreated["id"].(string)
	r = h.do(lambdaRequest{method: "GET", path: "/api/v1/models/" + id})
	r.want(t, "get 10 MB", 200)
	if r.header["Content-Encoding"] != "gzip" || r.header["Etag"] != `"1"` || len(r.body) < 10_000_000 {
		t.Fatalf("get 10 MB: %v, %d bytes", r.header, len(r.body))
	}
	var sent, got map[string]any
	_ = json.Unmarshal(big, &sent)
	_ = json.Unmarshal(r.body, &got)
	for _, k := range []string{"name", "description", "version", "projectType", "priority", "facing", "labels", "owner", "properties", "diagram"} {
		if d := cmp.Diff(sent[k], got[k]); d != "" {
			t.Fatalf("the 10 MB model's %s came back different (-sent +got):\n%.2000s", k, d)
		}
	}
	if got["id"] != id || got["revision"] != float64(1) {
		t.Fatalf("GET answered id %v revision %v", got["id"], got["revision"])
	}
	t.Logf("10 MB model: %d bytes of JSON, a %d-byte Lambda response", len(r.body), r.size)

	bigDiagram := "/api/v1/models/" + id + "/diagram"
	r = h.do(lambdaRequest{method: "GET", path: bigDiagram})
	r.want(t, "get 10 MB diagram", 200)
	r = h.do(lambdaRequest{method: "PUT", path: bigDiagram, body: r.body, gzip: true, header: map[string]string{"if-match": `"1"`}})
	r.want(t, "put 10 MB diagram", 200)
	if r.header["Etag"] != `"2"` {
		t.Fatalf("put 10 MB diagram ETag %q", r.header["Etag"])
	}

	// What does not fit gets a 413 problem that says why.
	p = h.do(lambdaRequest{method: "GET", path: "/api/v1/models/" + id, header: map[string]string{"accept-encoding": ""}}).problem(t, "uncompressed 10 MB", 413)
	if !strings.Contains(p.Detail, "AWS Lambda") || !strings.Contains(p.Detail, "Accept-Encoding: gzip") {
		t.Errorf("uncompressed 10 MB: %q", p.Detail)
	}
	// 17 MB of JSON (mostly white space) is over the 16 MiB limit once
	// decompressed, though its 17 KB of gzip are not.
	over := append(bytes.Repeat([]byte(" "), 17<<20), "{}"...)
	p = h.do(lambdaRequest{method: "POST", path: "/api/v1/models", body: over, gzip: true}).problem(t, "17 MB body", 413)
	if !strings.Contains(p.Detail, strconv.Itoa(api.MaxDocumentBody)) {
		t.Errorf("17 MB body: %q does not name the limit", p.Detail)
	}
	// A gzip bomb: 256 MiB of zeros in about 320 KB.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	zeros := make([]byte, 1<<20)
	for range 256 {
		_, _ = zw.Write(zeros)
	}
	_ = zw.Close()
	ev := h.base
	ev.RawPath, ev.RequestContext.HTTP.Method = "/api/v1/models", "POST"
	ev.Headers = map[string]string{"authorization": "Bearer " + h.token, "content-type": "application/json", "content-encoding": "gzip"}
	ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(bomb.Bytes()), true
	resp, err := handler(context.Background(), ev)
	if err != nil || resp.StatusCode != 413 || resp.Headers["Content-Type"] != "application/problem+json" {
		t.Fatalf("gzip bomb: %v %d %v", err, resp.StatusCode, resp.Headers)
	}
}

// issuer is a loopback Cognito stand-in: it serves a JWKS and signs
// access tokens.
type issuer struct {
	srv *httptest.Server
	key *rsa.PrivateKey
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is := &issuer{key: key}
	is.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/pool/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	}))
	t.Cleanup(is.srv.Close)
	return is
}

func (is *issuer) url() string { return is.srv.URL + "/pool" }

func (is *issuer) sign(t *testing.T, tenant, group, user string) string {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: is.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tok, err := jwt.Signed(sig).Claims(map[string]any{
		"iss": is.url(), "client_id": "client-1", "sub": "u-1", "username": user, "token_use": "access",
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "custom:tenant": tenant, "cognito:groups": []string{group},
	}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// bigModelJSON is a generated model of n components, as the web app posts
// it (no id, no nested models).
func bigModelJSON(t *testing.T, n int) []byte {
	t.Helper()
	m := storetest.GenerateModel("acme", "", n)
	for i := range m.Diagram.Components {
		m.Diagram.Components[i].NestedModel = nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

func gunzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
