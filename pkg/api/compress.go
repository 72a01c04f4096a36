package api

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Limits of the AWS services that host the API in AWS. A request or
// response that crosses them never reaches the handler, or is replaced by
// the service with an error the user cannot act on; the API keeps its
// bodies within them instead (see Deps.PayloadLimit).
const (
	// LambdaPayloadLimit is AWS Lambda's limit on a synchronous invocation:
	// "6 MB each for request and response" — the whole event and the whole
	// response document, as JSON, so a binary (for example gzip) body counts
	// 4/3 of its size in base64 and a text body counts its JSON escapes.
	// AWS writes MB; it is read as 10^6 bytes to stay on the safe side.
	// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
	// https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html
	LambdaPayloadLimit = 6_000_000
	// HTTPAPIPayloadLimit is API Gateway's limit on an HTTP API payload,
	// 10 MB; behind Lambda the smaller LambdaPayloadLimit decides.
	// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
	HTTPAPIPayloadLimit = 10_000_000
	// HTTPAPIIntegrationTimeout is the longest an HTTP API waits for its
	// integration ("Maximum integration timeout: 30 seconds", not
	// adjustable; REST and WebSocket APIs: 29 s). Work that can take longer
	// runs asynchronously.
	// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
	HTTPAPIIntegrationTimeout = 30 * time.Second
)

// gzipMinBody is the smallest response body worth compressing: below it
// the gzip header, and in Lambda the base64 of a binary body, cost more
// than they save.
const gzipMinBody = 8 << 10

// maxDecodedBody bounds every decompressed request body, whatever its
// route reads; each route's own, smaller limit applies to the decompressed
// bytes as well (readBody).
const maxDecodedBody = MaxImportBody

// encoding decodes gzip request bodies and gzip-compresses large responses
// for clients that accept it. This is how large models cross Lambda's
// 6 MB: a model's JSON shrinks about tenfold, so a 10 MB model travels as
// about 1 MB each way, with no second path for large bodies (S3 presigned
// uploads and downloads would need another protocol in the web app, bucket
// CORS and CSP entries, and cleanup of abandoned uploads), and a laptop
// runs the same code. With a payload limit (in Lambda) it also
// replaces a response that would not fit the host with a 413 problem that
// says why.
func (s *server) encoding(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := decodeRequest(w, r); err != nil {
			writeError(w, r, err)
			return
		}
		ew := &encodingWriter{w: w, r: r, gzipOK: acceptsGzip(r), limit: s.PayloadLimit}
		next.ServeHTTP(ew, r)
		ew.finish()
	})
}

// decodeRequest replaces a gzip-encoded request body (Content-Encoding:
// gzip) by its decompressed bytes, bounded by maxDecodedBody. The handler
// then sees an ordinary body of unknown length, so a route's limit bounds
// what it decompresses, never the compressed size: a small body that
// inflates beyond it (a "zip bomb") is stopped at the limit, with 413,
// without being decompressed further.
func decodeRequest(w http.ResponseWriter, r *http.Request) error {
	switch ce := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); ce {
	case "", "identity":
		return nil
	case "gzip", "x-gzip":
	default:
		return errs.E(errs.Malformed, "content coding %q is not supported; send the body as it is or gzip-compressed (Content-Encoding: gzip)", ce).At("Content-Encoding")
	}
	if r.Body == nil || r.Body == http.NoBody {
		return errs.E(errs.Malformed, "Content-Encoding: gzip without a body").At("Content-Encoding")
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		return errs.E(errs.Malformed, "the body is not gzip although Content-Encoding says gzip: %w", err)
	}
	r.Body = http.MaxBytesReader(w, &gunzipBody{zr: zr, body: r.Body}, maxDecodedBody)
	r.ContentLength = -1
	r.Header.Del("Content-Encoding")
	r.Header.Del("Content-Length")
	return nil
}

// gunzipBody is a request body read through gzip. A corrupt stream is the
// client's error (400), not an internal one.
type gunzipBody struct {
	zr   *gzip.Reader
	body io.ReadCloser
}

func (g *gunzipBody) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		// Not wrapped: a truncated stream's io.ErrUnexpectedEOF is not a
		// connection that ended.
		err = errs.E(errs.Malformed, "the gzip request body is corrupt: %v", err)
	}
	return n, err
}

func (g *gunzipBody) Close() error { return g.body.Close() }

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (a gzip or * coding without q=0).
func acceptsGzip(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(h, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			q := strings.ReplaceAll(strings.ToLower(params), " ", "")
			return !(strings.HasPrefix(q, "q=0") && strings.Trim(strings.TrimPrefix(q, "q="), "0.") == "")
		}
	}
	return false
}

// compressible reports whether a response of this Content-Type is text
// that gzip shrinks (JSON, CSV, HTML, ...), as opposed to a format that is
// compressed already (PDF, images, zip).
func compressible(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "json") || strings.HasSuffix(mt, "xml") ||
		mt == "application/javascript" || mt == "application/yaml"
}

// encodingWriter holds a response until it knows whether to compress it:
// up to gzipMinBody bytes, or, with a payload limit, the whole response,
// whose size on the wire decides whether it is sent at all. The handler's
// headers are the underlying writer's; the status and body reach it when
// the decision is made.
type encodingWriter struct {
	w      http.ResponseWriter
	r      *http.Request
	gzipOK bool
	limit  int64

	status  int
	buf     bytes.Buffer // the body before the decision
	decided bool
	out     bytes.Buffer // with a limit: the body as it will be sent
	sink    io.Writer    // where the (compressed) body goes after the decision
	zw      *gzip.Writer
}

func (e *encodingWriter) Header() http.Header { return e.w.Header() }

func (e *encodingWriter) WriteHeader(code int) {
	if e.status == 0 && code >= 200 {
		e.status = code
	}
}

func (e *encodingWriter) Write(p []byte) (int, error) {
	if e.status == 0 {
		e.status = http.StatusOK
	}
	if !e.decided {
		e.buf.Write(p)
		if e.buf.Len() >= gzipMinBody {
			if err := e.decide(); err != nil {
				return 0, err
			}
		}
		return len(p), nil
	}
	if e.zw != nil {
		return e.zw.Write(p)
	}
	return e.sink.Write(p)
}

// decide chooses between gzip and identity for a body of at least
// e.buf.Len() bytes, and starts sending (without a limit) or collecting
// (with one) what has been written so far.
func (e *encodingWriter) decide() error {
	e.decided = true
	h := e.w.Header()
	large := e.buf.Len() >= gzipMinBody && h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) &&
		e.status != http.StatusNoContent && e.status != http.StatusNotModified && e.r.Method != http.MethodHead
	if large {
		h.Add("Vary", "Accept-Encoding")
	}
	e.sink = &e.out
	if e.limit == 0 {
		e.sink = e.w
	}
	if large && e.gzipOK {
		// The ETag stays: it names the model's revision, not these bytes,
		// and If-Match compares revisions.
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		e.zw = gzip.NewWriter(e.sink)
	}
	if e.limit == 0 {
		e.w.WriteHeader(e.status)
	}
	var err error
	switch {
	case e.buf.Len() == 0: // nothing yet (or no body: 204, 304)
	case e.zw != nil:
		_, err = e.zw.Write(e.buf.Bytes())
	default:
		_, err = e.sink.Write(e.buf.Bytes())
	}
	e.buf = bytes.Buffer{}
	return err
}

// finish sends what the handler wrote: a small body as it is, the end of
// a gzip stream, and with a limit the whole response, or a 413 problem
// when it would not fit.
func (e *encodingWriter) finish() {
	if e.status == 0 {
		e.status = http.StatusOK
	}
	if !e.decided {
		if err := e.decide(); err != nil {
			return
		}
	}
	if e.zw != nil {
		if err := e.zw.Close(); err != nil {
			return
		}
	}
	if e.limit == 0 {
		return
	}
	if size := wireSize(e.w.Header(), e.out.Bytes()); size > e.limit {
		h := e.w.Header()
		for _, k := range []string{"Content-Encoding", "Content-Length", "ETag", "Location", "Vary"} {
			h.Del(k)
		}
		how := "even gzip-compressed"
		if !e.gzipOK {
			how = "uncompressed; ask with Accept-Encoding: gzip (browsers do)"
		}
		writeError(e.w, e.r, errs.E(errs.TooLarge,
			"the response is about %d bytes on the wire (%s), more than the %d bytes AWS Lambda returns to API Gateway per response",
			size, how, e.limit))
		return
	}
	e.w.WriteHeader(e.status)
	if e.out.Len() > 0 {
		_, _ = e.w.Write(e.out.Bytes())
	}
}

// wireSize is an upper bound of the size of a response as the Lambda
// adapter serializes it (API Gateway payload format 2.0): the body as a
// JSON string (base64 when it is not UTF-8 text, with JSON's escapes when
// it is) and the headers, plus room for the document's own fields.
func wireSize(h http.Header, body []byte) int64 {
	n := int64(256)
	for k, vs := range h {
		n += int64(len(k)) + 6
		for _, v := range vs {
			n += jsonStringLen([]byte(v)) + 1
		}
	}
	if utf8.Valid(body) {
		return n + jsonStringLen(body)
	}
	return n + int64(base64.StdEncoding.EncodedLen(len(body)))
}

// jsonStringLen is the length of b as a JSON string body by
// encoding/json's rules (which escape <, > and & as well).
func jsonStringLen(b []byte) int64 {
	n := int64(len(b))
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n++
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			n += 5
		case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9): // U+2028, U+2029
			n += 3
		}
	}
	return n
}
