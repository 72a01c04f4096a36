package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// TestReadBody covers readBody's one bounded reader: announced lengths
// below and above its size hint, an unknown length, and bodies over the
// limit either way.
func TestReadBody(t *testing.T) {
	const limit = 6 << 20
	for _, tc := range []struct {
		name    string
		size    int
		unknown bool // no announced length, as for a gzip body
		tooBig  bool
	}{
		{"empty", 0, false, false},
		{"small", 100, false, false},
		{"above the hint", maxBodyHint + 12345, false, false},
		{"unknown length", 3 << 20, true, false},
		{"at the limit", limit, false, false},
		{"over the limit, unknown length", limit + 1, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := bytes.Repeat([]byte("x"), tc.size)
			var rd io.Reader = bytes.NewReader(want)
			if tc.unknown {
				rd = io.MultiReader(rd) // hides the length from httptest
			}
			req := httptest.NewRequest("PUT", "/", rd)
			if tc.unknown {
				req.ContentLength = -1
			}
			got, err := readBody(httptest.NewRecorder(), req, limit)
			var tooLarge *http.MaxBytesError
			switch {
			case tc.tooBig:
				if !errors.As(err, &tooLarge) {
					t.Fatalf("error %v, want a MaxBytesError", err)
				}
			case err != nil:
				t.Fatal(err)
			case !bytes.Equal(got, want):
				t.Fatalf("read %d bytes, want %d", len(got), len(want))
			}
		})
	}
	req := httptest.NewRequest("PUT", "/", strings.NewReader("{}"))
	req.ContentLength = limit + 1
	if _, err := readBody(httptest.NewRecorder(), req, limit); err == nil || !strings.Contains(err.Error(), "larger than the limit") {
		t.Errorf("announced length over the limit: %v", err)
	}
}

// TestDiagramPutBodyReuse: a large PUT body is read into the buffer of the
// one before (freeBodies), so nothing kept from a PUT may refer to its
// body: here the next version's summary, which compares with the model the
// PUT before stored, and every stored document.
func TestDiagramPutBodyReuse(t *testing.T) {
	c := client{t: t, h: newTestAPI(t), who: "acme/editor/ann"}
	created := c.do("POST", "/api/v1/models", bigModel(t, 300))
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %.300s", created.status, created.body)
	}
	var m model.ThreatModel
	if err := json.Unmarshal(created.body, &m); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/models/" + m.ID
	var sent [][]byte
	for i, name := range []string{"AAAA", "BBBB", "CCCC"} {
		d := m.Diagram
		d.Components = slices.Clone(d.Components)
		for j := range d.Components {
			d.Components[j].Name = fmt.Sprintf("%s %04d", name, j)
		}
		body, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(body) < 64<<10 {
			t.Fatalf("a %d-byte body is too small to be reused", len(body))
		}
		if r := c.do("PUT", path+"/diagram", body, "If-Match", etag(int64(i+1)), "Prefer", "return=minimal"); r.status != 200 {
			t.Fatalf("put %s: %d %.300s", name, r.status, r.body)
		}
		sent = append(sent, body)
	}
	r := c.do("GET", path+"/versions", nil)
	for _, want := range []string{"300 fields changed"} {
		if strings.Count(string(r.body), want) != 3 {
			t.Errorf("versions: want %q three times (the PUTs): %.600s", want, r.body)
		}
	}
	for i, body := range sent {
		v := c.do("GET", fmt.Sprintf("%s/versions/%d", path, i+2), nil)
		var got struct {
			Diagram json.RawMessage `json:"diagram"`
		}
		_ = json.Unmarshal(v.body, &got)
		var a, b model.Diagram
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got.Diagram, &b); err != nil {
			t.Fatalf("version %d: %v: %.300s", i+2, err, v.body)
		}
		if !reflect.DeepEqual(a.Components, b.Components) {
			t.Errorf("version %d stored another diagram than the one sent", i+2)
		}
	}
}
