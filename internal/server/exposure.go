package server

import (
	"errors"
	"net"
	"net/http"

	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/surface"
)

// errPublicDefaultKeys refuses a start that would serve the published
// default keys beyond the machine.
var errPublicDefaultKeys = errors.New("listening on a non-loopback address with the public default keys (test/test, test2/test2) lets anyone who can reach it act as your partner accounts: give --accounts with your own keys, or --insecure-public if that is really meant")

// checkExposure refuses a listen address beyond the machine that would
// serve the default keys, unless told it is meant; it runs before the
// listener opens. public reports an address beyond the machine, which
// warnExposure then announces.
func (s *Server) checkExposure() (public bool, err error) {
	if isLoopback(s.cfg.Addr) {
		return false, nil
	}
	if s.servesDefaultKeys() && !s.cfg.Exposure.InsecurePublic {
		return true, errPublicDefaultKeys
	}
	return true, nil
}

// isLoopback reports whether a listen address stays on this machine: a
// loopback IP or "localhost". An empty host or 0.0.0.0 listens everywhere.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// warnExposure logs, as loudly as a log line can, what a server listening
// beyond the machine lets others do.
func (s *Server) warnExposure() {
	s.cfg.Logger.Warn("!!! cosell is listening beyond this machine: anyone who can reach "+s.listener.Addr().String()+" can call it",
		"default_keys", s.servesDefaultKeys(), "admin_api", s.cfg.AdminToken != "",
		"localstack_without_token", s.cfg.AdminToken == "" || s.cfg.Exposure.LocalStackOpen,
		"allowed_hosts", s.cfg.Exposure.AllowedHosts)
}

// servesDefaultKeys reports whether any served account signs with a key
// pair of auth.DefaultAccounts, which the README publishes.
func (s *Server) servesDefaultKeys() bool {
	for _, d := range auth.DefaultAccounts().List() {
		if a, ok := s.accounts.ByAccessKey(d.AccessKeyID); ok && a.SecretAccessKey == d.SecretAccessKey {
			return true
		}
	}
	return false
}

// limitConns caps the listener's open connections. On reaching the cap it
// logs and sheds idle keep-alive connections (disabling keep-alives until
// the count drops), so a flood of idle clients cannot starve new ones.
func (s *Server) limitConns(hs *http.Server) net.Listener {
	limit := s.cfg.Exposure.MaxConns
	if limit <= 0 {
		limit = surface.DefaultMaxConns
	}
	return surface.LimitListener(s.listener, limit,
		func() {
			s.cfg.Logger.Warn("connection limit reached: new connections wait until one closes; closing idle keep-alive connections",
				"max_conns", limit)
			hs.SetKeepAlivesEnabled(false)
		},
		func() {
			hs.SetKeepAlivesEnabled(true)
			s.cfg.Logger.Info("connections back under the limit", "max_conns", limit)
		})
}
