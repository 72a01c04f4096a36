package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/gctune"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
	"github.com/bulwark-tm/bulwark/pkg/store/dynamo"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
)

// BenchmarkModel measures GET and PUT of a 1,000-component model through
// the whole HTTP handler, on the bolt store and (when
// BULWARK_DYNAMODB_ENDPOINT names a running DynamoDB Local, as `make bench`
// arranges) on DynamoDB. It reports p50 and p99 latency in milliseconds.
// PUT asks for the minimal answer, as the web editor does; PUT-http sends
// it through a real HTTP server on the loopback interface.
func BenchmarkModel(b *testing.B) {
	// The collector as bulwark serve runs it (unless GOGC/GOMEMLIMIT say
	// otherwise), so the figures are the server's.
	_, restore := gctune.Apply(os.Getenv)
	defer restore()
	stores := map[string]func() (store.Store, error){
		"bolt": func() (store.Store, error) { return bolt.Open(filepath.Join(b.TempDir(), "bench.db")) },
	}
	if ep := os.Getenv("BULWARK_DYNAMODB_ENDPOINT"); ep != "" {
		url := fmt.Sprintf("dynamodb://bench-%d?endpoint=%s&region=us-east-1&create=true", time.Now().UnixNano(), ep)
		stores["dynamodb"] = func() (store.Store, error) { return dynamo.OpenURL(context.Background(), url) }
	} else {
		b.Log("dynamodb: not measured: BULWARK_DYNAMODB_ENDPOINT is unset (make bench starts DynamoDB Local and sets it)")
	}
	for _, name := range []string{"bolt", "dynamodb"} {
		open, ok := stores[name]
		if !ok {
			continue
		}
		st, err := open()
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		h := New(Deps{Store: st, Auth: headerAuth{}, Logger: discardLogger()})
		m := storetest.GenerateModel("bench", "", 1000)
		m.ID = ""
		for i := range m.Diagram.Components {
			m.Diagram.Components[i].NestedModel = nil // nested models are not part of this measure
		}
		body, _ := json.Marshal(m)
		rec := serve(h, "POST", "/api/v1/models", body, "")
		if rec.Code != http.StatusCreated {
			b.Fatalf("%s: create: %d %s", name, rec.Code, rec.Body)
		}
		var created struct {
			ID      string          `json:"id"`
			Diagram json.RawMessage `json:"diagram"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &created)
		path := "/api/v1/models/" + created.ID

		b.Run(name+"/GET", func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				rec := serve(h, "GET", path, nil, "")
				lat = append(lat, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET: %d", rec.Code)
				}
			}
			reportPercentiles(b, lat)
		})
		b.Run(name+"/PUT", func(b *testing.B) {
			rev := int64(0)
			if rec := serve(h, "GET", path, nil, ""); rec.Code == http.StatusOK {
				rev, _ = strconv.ParseInt(string(bytes.Trim([]byte(rec.Header().Get("ETag")), `"`)), 10, 64)
			}
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				rec := serve(h, "PUT", path+"/diagram", created.Diagram, etag(rev), "Prefer", "return=minimal")
				lat = append(lat, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("PUT: %d %s", rec.Code, rec.Body)
				}
				rev++
			}
			reportPercentiles(b, lat)
		})
		b.Run(name+"/PUT-http", func(b *testing.B) {
			// The same PUT through a real HTTP server and client on the
			// loopback interface: the body crosses a socket, as in use.
			srv := httptest.NewServer(h)
			defer srv.Close()
			rev := int64(0)
			if rec := serve(h, "GET", path, nil, ""); rec.Code == http.StatusOK {
				rev, _ = strconv.ParseInt(string(bytes.Trim([]byte(rec.Header().Get("ETag")), `"`)), 10, 64)
			}
			client := srv.Client()
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				req, err := http.NewRequest("PUT", srv.URL+path+"/diagram", bytes.NewReader(created.Diagram))
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Prefer", "return=minimal")
				req.Header.Set("X-Test-Principal", "bench/admin/bench")
				req.Header.Set("If-Match", etag(rev))
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(start))
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("PUT: %d %v", resp.StatusCode, err)
				}
				rev++
			}
			reportPercentiles(b, lat)
		})
		st.Close()
	}
}

func serve(h http.Handler, method, path string, body []byte, ifMatch string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	req.Header.Set("X-Test-Principal", "bench/admin/bench")
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	p := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}
