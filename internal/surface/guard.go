// Package surface hardens cosell's HTTP surface for a process left running:
// which Host and Origin headers it answers (DNS rebinding, cross-site
// requests from a web page), how long a connection may stay open, and how
// many may be open at once. Every route, the AWS APIs, the admin and
// LocalStack APIs and the web console, goes through it, so a route added
// later is covered without doing anything.
package surface

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Guard refuses requests a browser could be tricked into sending:
//
//   - a Host that is neither loopback (localhost, *.localhost, an IP
//     address) nor allowed: a page on evil.example.com whose name has been
//     rebound to 127.0.0.1 reaches the server with Host: evil.example.com,
//     and with the public default keys could sign requests that pass. IP
//     literals are always accepted: rebinding works through a name, and a
//     page served from an IP address is its own origin;
//   - a request with an Origin other than the server's own, unless it is
//     signed with a SigV4 Authorization header: a browser sends that header
//     cross-origin only after a CORS preflight, which cosell never grants,
//     so such requests come from SDKs and tools, not from a web page. Every
//     other request (admin, LocalStack, console, metrics, and presigned S3
//     URLs, which a page could use as a "simple" request) needs a same
//     origin or none.
type Guard struct {
	// AllowedHosts are host names answered besides the loopback ones; a
	// name starting with "." also allows its subdomains (".corp.example"
	// allows "cosell.corp.example"). Compared without port, case-insensitive.
	AllowedHosts []string
}

// Wrap returns next behind the guard.
func (g Guard) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := hostname(r.Host)
		if !g.hostAllowed(host) {
			refuse(w, "host "+quote(host)+" is not served: use localhost or an IP address, or start cosell serve with --allowed-hosts "+host)
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" && !sigV4Header(r) && !sameOrigin(origin, r.Host) {
			refuse(w, "cross-origin request from "+quote(origin)+" refused: only pages served by cosell itself may call this route")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (g Guard) hostAllowed(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || net.ParseIP(host) != nil {
		return true
	}
	for _, allowed := range g.AllowedHosts {
		allowed = strings.ToLower(allowed)
		if host == allowed || (strings.HasPrefix(allowed, ".") && (strings.HasSuffix(host, allowed) || host == allowed[1:])) {
			return true
		}
	}
	return false
}

// hostname is the lower-case name of a Host header, without port or the
// brackets of an IPv6 literal.
func hostname(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// sameOrigin reports whether origin (scheme://host[:port]) names the host
// the request was sent to. Either scheme is accepted: cosell may sit behind
// a proxy that terminates TLS.
func sameOrigin(origin, requestHost string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false // includes "null", sent by sandboxed frames and file: pages
	}
	return strings.EqualFold(u.Host, requestHost)
}

// sigV4Header reports whether the request is signed in its Authorization
// header (rather than in its query string).
func sigV4Header(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ")
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// refuse answers 403 with a JSON error, the shape of cosell's own APIs:
// the request never reached a route, so there is no protocol to follow.
func refuse(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusForbidden)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
