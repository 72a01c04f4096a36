package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
)

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

func gunzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("response is not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// zeroBomb returns a gzip stream of n zero bytes (about n/800 bytes).
func zeroBomb(t testing.TB, n int) []byte {
	t.Helper()
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
	chunk := make([]byte, 1<<20)
	for ; n > 0; n -= len(chunk) {
		if _, err := w.Write(chunk[:min(n, len(chunk))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

// bigModel is a generated model of about size bytes of JSON, ready to POST.
func bigModel(t testing.TB, components int) []byte {
	t.Helper()
	m := storetest.GenerateModel("acme", "", components)
	for i := range m.Diagram.Components {
		m.Diagram.Components[i].NestedModel = nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newLimitedAPI(t *testing.T, limit int64) http.Handler {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(Deps{Store: st, Auth: headerAuth{}, Version: "test", Logger: discardLogger(), PayloadLimit: limit})
}

func TestGzipRequestBodies(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	doc, _ := json.Marshal(sampleModel())
	over := append(bytes.Repeat([]byte(" "), MaxDocumentBody), "{}"...) // valid JSON, 16 KB compressed
	tests := []struct {
		name     string
		body     []byte
		encoding string
		status   int
		detail   string
	}{
		{"gzip model", gzipBytes(t, doc), "gzip", http.StatusCreated, ""},
		{"coding names are case-insensitive", gzipBytes(t, doc), "GZip", http.StatusCreated, ""},
		{"identity", doc, "identity", http.StatusCreated, ""},
		{"not gzip", doc, "gzip", http.StatusBadRequest, "not gzip"},
		{"truncated gzip", gzipBytes(t, doc)[:40], "gzip", http.StatusBadRequest, "corrupt"},
		{"unsupported coding", doc, "br", http.StatusBadRequest, `"br" is not supported`},
		{"over the limit once decompressed", gzipBytes(t, over), "gzip", http.StatusRequestEntityTooLarge, "larger than 16777216 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do("POST", "/api/v1/models", tt.body, "Content-Type", "application/json", "Content-Encoding", tt.encoding)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, tt.status, r.body)
			}
			if tt.detail != "" {
				if p := r.problem(t); !strings.Contains(p.Detail, tt.detail) {
					t.Errorf("detail %q does not say %q", p.Detail, tt.detail)
				}
			}
		})
	}
}

// TestGzipBombIsNotInflated sends 256 MiB of zeros gzip-compressed (about
// 320 KB): the API answers 413 having decompressed no more than the
// route's limit.
func TestGzipBombIsNotInflated(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	bomb := zeroBomb(t, 256<<20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := c.do("POST", "/api/v1/models", bomb, "Content-Type", "application/json", "Content-Encoding", "gzip")
	runtime.ReadMemStats(&after)
	if r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413: %.300s", r.status, r.body)
	}
	r.problem(t)
	// Reading up to the limit allocates about twice the limit (the buffer
	// grows by doubling), more under -race and with other tests' garbage;
	// inflating the bomb would allocate over 256 MiB, twice this bound.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*MaxDocumentBody {
		t.Errorf("a %d-byte bomb allocated %d bytes; the limit is %d", len(bomb), alloc, MaxDocumentBody)
	}
}

func TestGzipResponses(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	created := c.do("POST", "/api/v1/models", bigModel(t, 200), "Content-Type", "application/json")
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %.300s", created.status, created.body)
	}
	var m struct{ ID string }
	_ = json.Unmarshal(created.body, &m)
	plain := c.do("GET", "/api/v1/models/"+m.ID, nil)
	if plain.status != 200 || plain.header.Get("Content-Encoding") != "" || len(plain.body) < gzipMinBody {
		t.Fatalf("without Accept-Encoding: %d %v, %d bytes", plain.status, plain.header, len(plain.body))
	}
	tests := []struct {
		name, accept, path string
		gzip               bool
	}{
		{"gzip accepted", "gzip, deflate, br", "/api/v1/models/" + m.ID, true},
		{"any coding", "*", "/api/v1/models/" + m.ID, true},
		{"gzip refused", "gzip;q=0, br", "/api/v1/models/" + m.ID, false},
		{"other codings only", "br", "/api/v1/models/" + m.ID, false},
		{"small answer stays plain", "gzip", "/api/v1/session", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do("GET", tt.path, nil, "Accept-Encoding", tt.accept)
			if r.status != 200 {
				t.Fatalf("status %d: %.300s", r.status, r.body)
			}
			got := r.header.Get("Content-Encoding") == "gzip"
			if got != tt.gzip {
				t.Fatalf("Content-Encoding %q, want gzip %v", r.header.Get("Content-Encoding"), tt.gzip)
			}
			if !tt.gzip {
				return
			}
			if r.header.Get("ETag") != plain.header.Get("ETag") || r.header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("ETag %q (plain %q), Vary %q", r.header.Get("ETag"), plain.header.Get("ETag"), r.header.Get("Vary"))
			}
			if len(r.body) >= len(plain.body)/4 {
				t.Errorf("compressed %d bytes of %d", len(r.body), len(plain.body))
			}
			if !bytes.Equal(gunzipBytes(t, r.body), plain.body) {
				t.Error("the decompressed answer differs from the plain one")
			}
		})
	}
}

// TestPayloadLimit: with the host's payload limit, a response that would
// not fit is a 413 problem that names the limit and what to do, and one
// that fits compressed is sent compressed.
func TestPayloadLimit(t *testing.T) {
	h := newLimitedAPI(t, 1_000_000)
	c := client{t: t, h: h, who: "acme/editor/ann"}
	body := bigModel(t, 2000) // about 1.7 MB of JSON
	created := c.do("POST", "/api/v1/models", gzipBytes(t, body), "Content-Type", "application/json", "Content-Encoding", "gzip", "Accept-Encoding", "gzip")
	if created.status != http.StatusCreated || created.header.Get("Content-Encoding") != "gzip" || created.header.Get("ETag") != `"1"` {
		t.Fatalf("create: %d %v", created.status, created.header)
	}
	var m struct{ ID string }
	_ = json.Unmarshal(gunzipBytes(t, created.body), &m)

	r := c.do("GET", "/api/v1/models/"+m.ID, nil)
	if r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("uncompressed: %d, want 413", r.status)
	}
	p := r.problem(t)
	if !strings.Contains(p.Detail, "1000000 bytes AWS Lambda") || !strings.Contains(p.Detail, "Accept-Encoding: gzip") {
		t.Errorf("detail %q does not explain the limit", p.Detail)
	}
	if r.header.Get("ETag") != "" || r.header.Get("Content-Encoding") != "" {
		t.Errorf("the problem carries the model's headers: %v", r.header)
	}

	r = c.do("GET", "/api/v1/models/"+m.ID, nil, "Accept-Encoding", "gzip")
	if r.status != 200 || r.header.Get("Content-Encoding") != "gzip" || r.header.Get("ETag") != `"1"` {
		t.Fatalf("gzip: %d %v", r.status, r.header)
	}
	var got map[string]any
	if err := json.Unmarshal(gunzipBytes(t, r.body), &got); err != nil || got["id"] != m.ID {
		t.Fatalf("gzip body: %v", err)
	}
}

func TestJSONStringLen(t *testing.T) {
	for _, s := range []string{"", "plain", `{"a":"b\\c"}`, "tab\tnew\nline\r", "<script>&amp;</script>", "\x00\x1f", "line\u2028sep\u2029", "ünïcödé ✓"} {
		j, _ := json.Marshal(s)
		if got, want := jsonStringLen([]byte(s)), int64(len(j)-2); got != want {
			t.Errorf("jsonStringLen(%q) = %d, encoding/json writes %d", s, got, want)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, tt := range []struct {
		header string
		want   bool
	}{
		{"", false}, {"gzip", true}, {"deflate, gzip;q=1.0, *;q=0.5", true}, {"GZIP", true}, {"x-gzip", true},
		{"gzip;q=0", false}, {"gzip; q=0.000", false}, {"gzip;q=0.1", true}, {"br, zstd", false}, {"*", true}, {"identity", false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if tt.header != "" {
			r.Header.Set("Accept-Encoding", tt.header)
		}
		if got := acceptsGzip(r); got != tt.want {
			t.Errorf("Accept-Encoding %q: %v, want %v", tt.header, got, tt.want)
		}
	}
}
