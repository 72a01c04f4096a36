package api

import (
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// ClientHeader is the request header the web app sends on every call. A
// browser sends a custom header cross-origin only after a CORS preflight,
// which Bulwark never grants in local mode, so its presence shows the
// request is not a form or no-cors fetch from another site. Uploads in
// other media types than application/json need it.
const ClientHeader = "X-Bulwark-Client"

// jsonTypes are the media types a state-changing request body may have on
// any route. A browser cannot send them cross-origin without a preflight.
var jsonTypes = []string{"application/json", "application/merge-patch+json"}

// uploadTypes lists, per upload route, the other media types it accepts
// (with the ClientHeader only) beside jsonTypes: those its OpenAPI part
// documents, which a test holds them to.
var uploadTypes = map[string][]string{
	"POST /api/v1/import":          {"multipart/form-data", "application/yaml", "text/plain"},
	"POST /api/v1/evidence/import": {"multipart/form-data", "application/x-ndjson"},
}

// guard refuses requests a browser may have been tricked into sending, in
// every mode by media type and in local mode also by Host (DNS rebinding),
// Origin and Sec-Fetch-Site (cross-site request forgery). It returns the
// problem to answer, or nil.
func (s *server) guard(r *http.Request) *Problem {
	if s.localGuard {
		if p := s.checkHost(r); p != nil {
			return p
		}
		if p := s.checkOrigin(r); p != nil {
			return p
		}
	}
	return checkMediaType(r)
}

// checkHost answers 421 unless the Host header names this server: a
// loopback name or address, the host of --addr, or one of --allowed-hosts.
// A DNS rebinding attack sends the attacker's own host name here.
func (s *server) checkHost(r *http.Request) *Problem {
	if s.hostAllowed(r.Host) {
		return nil
	}
	return &Problem{Status: http.StatusMisdirectedRequest, Type: problemType("misdirected"),
		Detail: fmt.Sprintf("this server does not answer to the host name %q; add it with --allowed-hosts (BULWARK_ALLOWED_HOSTS) if you reach Bulwark by that name", hostOnly(r.Host))}
}

// hostAllowed reports whether hostport names this server.
func (s *server) hostAllowed(hostport string) bool {
	h := hostOnly(hostport)
	if h == "" {
		return false
	}
	if h == "localhost" || slices.Contains(s.AllowedHosts, h) {
		return true
	}
	ip, err := netip.ParseAddr(h)
	if err != nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	// Bound to every interface: an address literal cannot be rebound by DNS.
	return slices.ContainsFunc(s.AllowedHosts, func(a string) bool {
		u, err := netip.ParseAddr(a)
		return err == nil && u.IsUnspecified()
	})
}

// hostOnly returns the lower-case host of a host[:port], without brackets
// or a trailing dot.
func hostOnly(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	return strings.ToLower(h)
}

// NormalizeHosts returns the host names of hosts (host or host:port
// entries, blanks skipped) as the Host check compares them.
func NormalizeHosts(hosts ...string) []string {
	var out []string
	for _, h := range hosts {
		if h = hostOnly(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// checkOrigin answers 403 to a request a page of another site sent: one
// whose Origin is not this server's host (any port), or that the browser
// marks Sec-Fetch-Site: cross-site. A top-level navigation that only reads
// (a link to the OpenAPI document) is let through.
func (s *server) checkOrigin(r *http.Request) *Problem {
	navigation := r.Header.Get("Sec-Fetch-Mode") == "navigate" && !stateChanging(r.Method)
	if o := r.Header.Get("Origin"); o != "" && !navigation {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !s.hostAllowed(u.Host) {
			return &Problem{Status: http.StatusForbidden, Type: problemType("cross-origin"),
				Detail: fmt.Sprintf("requests from the web origin %q are refused: Bulwark in local mode answers only pages it serves itself", o)}
		}
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" && !navigation {
		return &Problem{Status: http.StatusForbidden, Type: problemType("cross-origin"),
			Detail: "cross-site requests are refused: Bulwark in local mode answers only pages it serves itself"}
	}
	return nil
}

// stateChanging reports whether method may change data.
func stateChanging(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// checkMediaType answers 415 to a state-changing request whose body is not
// JSON, unless it is an upload route's documented type sent with the
// ClientHeader (403 without it). These are the bodies a page of another
// site can send without a preflight: no type, text/plain, a form.
func checkMediaType(r *http.Request) *Problem {
	if !stateChanging(r.Method) {
		return nil
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		if r.ContentLength == 0 {
			return nil
		}
		return unsupported(r, "a request body needs a Content-Type: application/json")
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return unsupported(r, fmt.Sprintf("cannot read the Content-Type %q: %v", ct, err))
	}
	if slices.Contains(jsonTypes, mt) {
		return nil
	}
	uploads := uploadTypes[r.Method+" "+r.URL.Path]
	if !slices.Contains(uploads, mt) {
		want := "application/json"
		if len(uploads) > 0 {
			want += ", or with the " + ClientHeader + " header one of " + strings.Join(uploads, ", ")
		}
		return unsupported(r, fmt.Sprintf("Content-Type %s is not accepted here; send %s", mt, want))
	}
	if r.Header.Get(ClientHeader) == "" {
		return &Problem{Status: http.StatusForbidden, Type: problemType("client-header-required"), Field: ClientHeader,
			Detail: fmt.Sprintf("an upload as %s needs the header %s: web (the web app sends it); browsers do not let other sites send it", mt, ClientHeader)}
	}
	return nil
}

func unsupported(r *http.Request, detail string) *Problem {
	return &Problem{Status: http.StatusUnsupportedMediaType, Type: problemType("unsupported-media-type"), Field: "Content-Type", Detail: detail}
}
