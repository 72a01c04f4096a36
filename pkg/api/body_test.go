package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
