package server

import (
	"net/http"

	"github.com/cosell/cosell/internal/sts"
)

// routeSTS sends requests signed for STS to its GetCallerIdentity and
// everything else to next.
func routeSTS(caller http.Handler, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sts.IsSTSRequest(r) {
			caller.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
