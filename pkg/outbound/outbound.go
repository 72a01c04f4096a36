// Package outbound builds the HTTP clients Bulwark uses to call other
// servers (Jira, a JWT issuer's key set), guarded against server-side
// request forgery.
//
// A client from New checks every address at dial time, after DNS
// resolution, so neither a name that resolves to an internal address, nor
// an IP written in decimal, octal or hex, nor DNS rebinding between a check
// and the connection can reach what the Policy refuses. By default it
// refuses loopback, private (RFC 1918), carrier-grade NAT, link-local
// (including the instance metadata addresses 169.254.169.254 and
// fd00:ec2::254), unique-local, unspecified, multicast and reserved
// addresses, also in their IPv4-mapped and NAT64 IPv6 forms. It follows no
// redirect to another origin (scheme, host and port), strips credentials
// from every redirected request, bounds the size of every answer, and has a
// timeout on each phase (dial, TLS, response header, whole request).
// Environment proxies are ignored, since a proxy would dial for it.
//
//	hc := outbound.New(outbound.Policy{AllowLoopback: localMode})
//	resp, err := hc.Get("https://example.atlassian.net/rest/api/2/serverInfo")
package outbound

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Policy says which addresses a client may connect to and how long and
// how much it may read. The zero value is the strict default: public
// addresses only, with the Default* limits.
type Policy struct {
	// AllowLoopback permits 127.0.0.0/8 and ::1 (local mode, tests).
	AllowLoopback bool
	// Allow lists ranges that are permitted even though they are not
	// public, e.g. the private network of a Jira Data Center.
	Allow []netip.Prefix
	// Lookup resolves a host name; nil uses net.DefaultResolver. Tests
	// stub it to return internal addresses for a name.
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	// Timeout bounds a whole request including reading the answer
	// (default DefaultTimeout).
	Timeout time.Duration
	// MaxResponseBytes bounds an answer's body (default DefaultMaxResponse);
	// reading past it fails with a TooLarge error.
	MaxResponseBytes int64
}

// Limits used when a Policy sets none.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultMaxResponse    = 8 << 20
	DialTimeout           = 10 * time.Second
	TLSHandshakeTimeout   = 10 * time.Second
	ResponseHeaderTimeout = 20 * time.Second
)

// BlockedError is the dial error for an address the Policy refuses.
type BlockedError struct {
	Host string     // the name or literal that was dialled
	Addr netip.Addr // the refused address
	Why  string     // e.g. "private"
}

// Error names the host, the address and the range it is in.
func (e *BlockedError) Error() string {
	if e.Host == e.Addr.String() {
		return fmt.Sprintf("outbound: address %s is %s and not allowed", e.Addr, e.Why)
	}
	return fmt.Sprintf("outbound: %s resolves to %s, which is %s and not allowed", e.Host, e.Addr, e.Why)
}

// ErrRedirect is returned (wrapped in a *url.Error) for a redirect the
// client refuses to follow.
var ErrRedirect = errors.New("outbound: redirect to another origin refused")

type blocked struct {
	prefix netip.Prefix
	why    string
}

func mustPrefixes(why string, ss ...string) []blocked {
	out := make([]blocked, len(ss))
	for i, s := range ss {
		out[i] = blocked{netip.MustParsePrefix(s), why}
	}
	return out
}

// loopback ranges are refused unless Policy.AllowLoopback.
var loopback = mustPrefixes("loopback", "127.0.0.0/8", "::1/128")

// refused lists the non-public ranges (besides loopback), with a word
// for the error message.
var refused = concat(
	mustPrefixes("unspecified", "0.0.0.0/8", "::/128"),
	mustPrefixes("private", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
	mustPrefixes("shared address space (carrier-grade NAT)", "100.64.0.0/10"),
	mustPrefixes("link-local (instance metadata)", "169.254.0.0/16", "fe80::/10"),
	mustPrefixes("unique-local (instance metadata)", "fc00::/7"),
	mustPrefixes("multicast", "224.0.0.0/4", "ff00::/8"),
	mustPrefixes("reserved", "240.0.0.0/4", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
		"::/96", "100::/64", "2001:db8::/32", "64:ff9b:1::/48"), // ::/96: IPv4-compatible; 64:ff9b:1::/48: local-use NAT64
)

func concat(lists ...[]blocked) []blocked {
	var out []blocked
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// nat64 is the well-known NAT64 prefix; an address in it reaches the IPv4
// address in its last 32 bits.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// Check reports whether p permits connecting to addr; the error is a
// *BlockedError naming the range.
func (p Policy) Check(host string, addr netip.Addr) error {
	a := addr.Unmap().WithZone("")
	if a.Is6() && nat64.Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte(b[12:]))
	}
	for _, allowed := range p.Allow {
		if allowed.Contains(a) {
			return nil
		}
	}
	for _, b := range loopback {
		if b.prefix.Contains(a) {
			if p.AllowLoopback {
				return nil
			}
			return &BlockedError{Host: host, Addr: addr, Why: b.why}
		}
	}
	for _, b := range refused {
		if b.prefix.Contains(a) {
			return &BlockedError{Host: host, Addr: addr, Why: b.why}
		}
	}
	if !a.IsValid() || !a.IsGlobalUnicast() {
		return &BlockedError{Host: host, Addr: addr, Why: "not a unicast address"}
	}
	return nil
}

// ParseAllow reads a comma-separated list of CIDRs or single addresses
// (the value of a --outbound-allow setting).
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, errs.E(errs.Invalid, "outbound allow list: %q is not an address or CIDR", f)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		pf, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, errs.E(errs.Invalid, "outbound allow list: %q is not a CIDR such as 10.20.0.0/16", f)
		}
		out = append(out, pf.Masked())
	}
	return out, nil
}

func (p Policy) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if p.Lookup != nil {
		return p.Lookup(ctx, host)
	}
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// dial resolves host itself, refuses the whole name if any of its
// addresses is refused (so round-robin answers cannot slip one through),
// and connects to the checked addresses only. The dialer's Control checks
// the address once more right before the connect system call.
func (p Policy) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		if addrs, err = p.lookup(ctx, host); err != nil {
			return nil, err
		}
		if len(addrs) == 0 {
			return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
		}
	}
	for _, a := range addrs {
		if err := p.Check(host, a); err != nil {
			return nil, err
		}
	}
	d := &net.Dialer{
		Timeout: DialTimeout,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("outbound: unexpected dial address %q", address)
			}
			return p.Check(host, ap.Addr())
		},
	}
	var first error
	for _, a := range addrs {
		c, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// New returns a client that enforces p. Each call returns an independent
// client; keep one per purpose, it is safe for concurrent use.
func New(p Policy) *http.Client {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	t := &http.Transport{
		Proxy:                  nil, // a proxy would do the dialing
		DialContext:            p.dial,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    TLSHandshakeTimeout,
		ResponseHeaderTimeout:  ResponseHeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConnsPerHost:    4,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
	}
	return &http.Client{
		Transport:     &limited{rt: t, max: p.maxResponse()},
		Timeout:       timeout,
		CheckRedirect: CheckRedirect,
	}
}

func (p Policy) maxResponse() int64 {
	if p.MaxResponseBytes > 0 {
		return p.MaxResponseBytes
	}
	return DefaultMaxResponse
}

// maxRedirects bounds a chain of same-origin redirects.
const maxRedirects = 5

// CheckRedirect is the redirect policy of New's clients, usable on any
// http.Client: follow at most 5 redirects, only within the origin
// (scheme, host and port) of the first request, and never with
// credentials: Authorization, Cookie and Proxy-Authorization are removed
// from every redirected request. A transport that adds credentials itself
// must skip requests whose Response field is set (see IsRedirect).
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("outbound: stopped after %d redirects", maxRedirects)
	}
	first := via[0].URL
	if !strings.EqualFold(req.URL.Scheme, first.Scheme) || !strings.EqualFold(req.URL.Host, first.Host) {
		return fmt.Errorf("%w (%s to %s://%s)", ErrRedirect, first.Host, req.URL.Scheme, req.URL.Host)
	}
	for _, h := range []string{"Authorization", "Cookie", "Proxy-Authorization"} {
		req.Header.Del(h)
	}
	return nil
}

// IsRedirect reports whether req was made by a client following a
// redirect, for transports that add credentials: they must not add them
// to such a request.
func IsRedirect(req *http.Request) bool { return req.Response != nil }

// limited bounds every answer body.
type limited struct {
	rt  http.RoundTripper
	max int64
}

func (l *limited) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > l.max {
		resp.Body.Close()
		return nil, errs.E(errs.TooLarge, "outbound: the answer from %s has %d bytes (limit %d)", req.URL.Host, resp.ContentLength, l.max)
	}
	resp.Body = &limitedBody{rc: resp.Body, left: l.max, host: req.URL.Host, max: l.max}
	return resp, nil
}

// limitedBody fails, rather than truncating silently, once more than max
// bytes were read.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
	max  int64
	host string
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errs.E(errs.TooLarge, "outbound: the answer from %s is larger than %d bytes", b.host, b.max)
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n + int(b.left), errs.E(errs.TooLarge, "outbound: the answer from %s is larger than %d bytes", b.host, b.max)
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
