package app

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/api"
)

// TestNewServerBoundsSlowClients holds issue 14 point 6: every timeout is
// set, sized for the largest legitimate transfer, and headers are bounded.
func TestNewServerBoundsSlowClients(t *testing.T) {
	s := NewServer(http.NotFoundHandler())
	// 32 MiB (the import limit) at 1 Mbit/s must fit in the read and
	// write timeouts.
	slowest := time.Duration(api.MaxDocumentBody*2*8/1_000_000) * time.Second
	switch {
	case s.ReadHeaderTimeout <= 0 || s.ReadHeaderTimeout > 30*time.Second:
		t.Errorf("ReadHeaderTimeout %v", s.ReadHeaderTimeout)
	case s.ReadTimeout < slowest || s.ReadTimeout > 10*time.Minute:
		t.Errorf("ReadTimeout %v, want between %v and 10m", s.ReadTimeout, slowest)
	case s.WriteTimeout < slowest || s.WriteTimeout > 10*time.Minute:
		t.Errorf("WriteTimeout %v, want between %v and 10m", s.WriteTimeout, slowest)
	case s.IdleTimeout <= 0:
		t.Errorf("IdleTimeout %v", s.IdleTimeout)
	case s.MaxHeaderBytes <= 0 || s.MaxHeaderBytes > 1<<20:
		t.Errorf("MaxHeaderBytes %d", s.MaxHeaderBytes)
	}
}

// TestLimitListenerCapsConnections: with a cap of 2, ten clients are all
// served, never more than two at once.
func TestLimitListenerCapsConnections(t *testing.T) {
	const limit = 2
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var open, peak atomic.Int32
	release := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := open.Add(1)
		defer open.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-release
		io.WriteString(w, "ok")
	})}
	ln := LimitListener(inner, limit)
	go srv.Serve(ln)
	defer srv.Close()

	var wg sync.WaitGroup
	errc := make(chan error, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", inner.Addr().String())
			if err != nil {
				errc <- err
				return
			}
			defer c.Close()
			fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
			res, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				errc <- err
				return
			}
			res.Body.Close()
		}()
	}
	// Let the handlers go one by one once the first two are in.
	for open.Load() < limit {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if p := peak.Load(); p > limit {
		t.Errorf("%d connections served at once, cap %d", p, limit)
	}
	ln.Close()
	if _, err := ln.Accept(); err == nil {
		t.Error("Accept after Close succeeded")
	}
}

// TestSlowBodyIs408 runs the API behind a server whose read timeout the
// client outlasts: the answer is a 408 problem, not a 500.
func TestSlowBodyIs408(t *testing.T) {
	a, err := Build(t.Context(), Config{Auth: "local", Store: "bolt://" + t.TempDir() + "/s.db", AccelSource: "off", LogLevel: "info", Addr: "127.0.0.1:0"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := NewServer(a.Handler)
	srv.ReadTimeout = 300 * time.Millisecond // the only change: the client below outlasts it
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(LimitListener(ln, 4))
	defer srv.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /api/v1/models HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":")
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestTimeout || !strings.Contains(string(body), "request-timeout") {
		t.Fatalf("slow body: %d %s", res.StatusCode, body)
	}
}

// TestHostNames: the --addr host and --allowed-hosts reach the API's Host
// check; an all-interfaces address allows address literals.
func TestHostNames(t *testing.T) {
	for _, tc := range []struct {
		c    Config
		want []string
	}{
		{Config{Addr: "127.0.0.1:8080"}, []string{"127.0.0.1"}},
		{Config{Addr: "Bulwark.Lan:8080", AllowedHosts: "a.example, B.example:9000,"}, []string{"bulwark.lan", "a.example", "b.example"}},
		{Config{Addr: ":8080"}, []string{"0.0.0.0"}},
		{Config{Addr: "[::1]:8080"}, []string{"::1"}},
	} {
		if diff := cmp.Diff(tc.want, tc.c.HostNames()); diff != "" {
			t.Errorf("%+v: %s", tc.c, diff)
		}
	}
}
