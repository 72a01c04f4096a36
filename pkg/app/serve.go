package app

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/api"
)

// Limits of `bulwark serve`'s HTTP server. The largest legitimate transfer
// is a 16 MiB model (api.MaxDocumentBody; imports may reach 32 MiB) on a
// slow link: at 1 Mbit/s, 32 MiB takes about 4.5 minutes, so reading and
// writing get 5 minutes each. A client slower than that, or one that stops
// reading, is cut off instead of holding memory.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 5 * time.Minute
	WriteTimeout      = 5 * time.Minute
	IdleTimeout       = 2 * time.Minute
	MaxHeaderBytes    = 64 << 10
	// MaxConns bounds the connections served at once; further ones wait in
	// the listen backlog.
	MaxConns = 256
)

// NewServer returns the HTTP server of `bulwark serve` for h, with the
// timeouts and header limit above.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

// LimitListener returns a listener that accepts at most n connections at
// once: Accept waits until one of them is closed.
func LimitListener(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// HostNames returns the host names a local-mode server answers to besides
// the loopback ones: the host of c.Addr (an empty host, all interfaces,
// counts as 0.0.0.0: any address literal) and c.AllowedHosts.
func (c Config) HostNames() []string {
	hosts := []string{c.Addr}
	if h, _, err := net.SplitHostPort(c.Addr); err == nil && h == "" {
		hosts = []string{"0.0.0.0"}
	}
	if c.AllowedHosts != "" {
		hosts = append(hosts, strings.Split(c.AllowedHosts, ",")...)
	}
	return api.NormalizeHosts(hosts...)
}
