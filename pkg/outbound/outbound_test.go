package outbound

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

func TestCheck(t *testing.T) {
	allow := []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}
	tests := []struct {
		addr     string
		loopback bool
		ok       bool
	}{
		{"93.184.215.14", false, true},
		{"2606:4700::6810:84e5", false, true},
		{"127.0.0.1", false, false},
		{"127.0.0.1", true, true},
		{"127.1.2.3", false, false},
		{"::1", false, false},
		{"::1", true, true},
		{"::ffff:127.0.0.1", false, false}, // IPv4-mapped loopback
		{"10.0.0.1", true, false},
		{"10.20.3.4", false, true}, // allow-listed
		{"172.16.0.1", false, false},
		{"172.31.255.255", false, false},
		{"192.168.1.1", false, false},
		{"::ffff:192.168.1.1", false, false},
		{"100.64.0.1", false, false},
		{"169.254.169.254", true, false}, // EC2 metadata
		{"::ffff:169.254.169.254", true, false},
		{"64:ff9b::a9fe:a9fe", true, false}, // NAT64 form of 169.254.169.254
		{"fd00:ec2::254", true, false},      // EC2 metadata over IPv6
		{"::a9fe:a9fe", true, false},        // IPv4-compatible form of 169.254.169.254
		{"64:ff9b:1::a9fe:a9fe", true, false},
		{"64:ff9b::5db8:d70e", false, true}, // NAT64 form of a public address
		{"fc00::1", false, false},
		{"fe80::1", false, false},
		{"0.0.0.0", true, false},
		{"::", true, false},
		{"224.0.0.1", false, false},
		{"ff02::1", false, false},
		{"255.255.255.255", false, false},
	}
	for _, tt := range tests {
		p := Policy{AllowLoopback: tt.loopback, Allow: allow}
		err := p.Check(tt.addr, netip.MustParseAddr(tt.addr))
		if (err == nil) != tt.ok {
			t.Errorf("Check(%s, loopback %v) = %v, want ok %v", tt.addr, tt.loopback, err, tt.ok)
		}
		var be *BlockedError
		if err != nil && !errors.As(err, &be) {
			t.Errorf("Check(%s) error %T is not a *BlockedError", tt.addr, err)
		}
	}
}

func TestParseAllow(t *testing.T) {
	got, err := ParseAllow(" 10.20.0.0/16, 192.168.7.9 ,fd12::/48,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.20.0.0/16", "192.168.7.9/32", "fd12::/48"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("prefix %d = %s, want %s", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0"} {
		if _, err := ParseAllow(bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseAllow(%q) = %v, want Invalid", bad, err)
		}
	}
}

func ok(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hello") }

// get fetches u with hc and returns the body or the error.
func get(hc *http.Client, u string, header http.Header) (string, error) {
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		return "", err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// TestDialTime proves that the check happens on the resolved address: a
// loopback test server is reachable only with the loopback allowance, and
// names that resolve to internal addresses are refused whatever they look
// like, as are numeric encodings of loopback.
func TestDialTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(ok))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	stub := func(_ context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "jira.example.test", "2130706433", "0x7f000001", "0177.0.0.1":
			// Numeric forms a C resolver (inet_aton) turns into 127.0.0.1.
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		case "metadata.example.test":
			return []netip.Addr{netip.MustParseAddr("169.254.169.254")}, nil
		case "v6meta.example.test":
			return []netip.Addr{netip.MustParseAddr("fd00:ec2::254")}, nil
		case "private.example.test":
			return []netip.Addr{netip.MustParseAddr("10.1.2.3")}, nil
		case "mixed.example.test": // one public, one internal answer
			return []netip.Addr{netip.MustParseAddr("93.184.215.14"), netip.MustParseAddr("127.0.0.1")}, nil
		}
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	tests := []struct {
		name     string
		url      string
		loopback bool
		blocked  bool
	}{
		{"loopback allowed", srv.URL, true, false},
		{"loopback refused", srv.URL, false, true},
		{"name resolving to loopback, allowed", "http://jira.example.test:" + strconv.Itoa(port), true, false},
		{"name resolving to loopback, refused", "http://jira.example.test:" + strconv.Itoa(port), false, true},
		{"name resolving to metadata", "http://metadata.example.test/latest/meta-data/", true, true},
		{"name resolving to IPv6 metadata", "http://v6meta.example.test/", true, true},
		{"name resolving to private", "http://private.example.test/", true, true},
		{"one internal answer among public ones", "http://mixed.example.test/", false, true},
		{"decimal loopback", "http://2130706433:" + strconv.Itoa(port), false, true},
		{"hex loopback", "http://0x7f000001:" + strconv.Itoa(port), false, true},
		{"octal loopback", "http://0177.0.0.1:" + strconv.Itoa(port), false, true},
		{"metadata literal", "http://169.254.169.254/latest/meta-data/", true, true},
		{"IPv4-mapped metadata literal", "http://[::ffff:169.254.169.254]/", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hc := New(Policy{AllowLoopback: tt.loopback, Lookup: stub})
			body, err := get(hc, tt.url, nil)
			var be *BlockedError
			switch {
			case tt.blocked && !errors.As(err, &be):
				t.Errorf("GET %s = %q, %v; want a *BlockedError", tt.url, body, err)
			case !tt.blocked && (err != nil || body != "hello"):
				t.Errorf("GET %s = %q, %v; want hello", tt.url, body, err)
			}
		})
	}
}

// TestRedirects: a redirect to another origin is refused, and a redirect
// within the origin arrives without the Authorization header.
func TestRedirects(t *testing.T) {
	var gotAuth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = append(gotAuth, "other:"+r.Header.Get("Authorization"))
		ok(w, r)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = append(gotAuth, r.URL.Path+":"+r.Header.Get("Authorization"))
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
		case "/same":
			http.Redirect(w, r, "/target", http.StatusTemporaryRedirect)
		default:
			ok(w, r)
		}
	}))
	defer srv.Close()
	hc := New(Policy{AllowLoopback: true})
	auth := http.Header{"Authorization": {"Bearer secret-token"}}

	if _, err := get(hc, srv.URL+"/away", auth); !errors.Is(err, ErrRedirect) {
		t.Errorf("cross-origin redirect: err = %v, want ErrRedirect", err)
	}
	for _, a := range gotAuth {
		if strings.HasPrefix(a, "other:") {
			t.Errorf("the other host was called: %q", a)
		}
	}
	gotAuth = nil
	body, err := get(hc, srv.URL+"/same", auth)
	if err != nil || body != "hello" {
		t.Fatalf("same-origin redirect = %q, %v", body, err)
	}
	want := []string{"/same:Bearer secret-token", "/target:"}
	if strings.Join(gotAuth, "|") != strings.Join(want, "|") {
		t.Errorf("requests = %q, want %q (no Authorization after the redirect)", gotAuth, want)
	}
}

// TestResponseSize: an answer larger than the limit fails instead of
// being read whole, with or without a Content-Length.
func TestResponseSize(t *testing.T) {
	big := strings.Repeat("x", 4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length
		}
		_, _ = io.WriteString(w, big)
	}))
	defer srv.Close()
	hc := New(Policy{AllowLoopback: true, MaxResponseBytes: 1000})
	for _, path := range []string{"/sized", "/chunked"} {
		body, err := get(hc, srv.URL+path, nil)
		if !errs.Is(err, errs.TooLarge) {
			t.Errorf("%s: got %d bytes, err %v; want TooLarge", path, len(body), err)
		}
		if len(body) > 1000 {
			t.Errorf("%s: read %d bytes past the limit", path, len(body))
		}
	}
	hc = New(Policy{AllowLoopback: true, MaxResponseBytes: 4096})
	if body, err := get(hc, srv.URL+"/chunked", nil); err != nil || body != big {
		t.Errorf("an answer of exactly the limit: %d bytes, %v", len(body), err)
	}
}

// TestTimeouts: every client has an overall timeout and phase timeouts.
func TestTimeouts(t *testing.T) {
	hc := New(Policy{})
	if hc.Timeout != DefaultTimeout {
		t.Errorf("Timeout = %v", hc.Timeout)
	}
	tr := hc.Transport.(*limited).rt.(*http.Transport)
	if tr.TLSHandshakeTimeout == 0 || tr.ResponseHeaderTimeout == 0 || tr.Proxy != nil {
		t.Errorf("transport: TLS %v, header %v, proxy set %v", tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, tr.Proxy != nil)
	}
}
