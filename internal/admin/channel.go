package admin

import (
	"context"
	"net/http"
)

// The Channel API's AWS side: AWS's docs make every channel handshake wait
// for its receiver's consent, and a service period's receiver is an end
// customer's management account, rarely one of the server's partner
// accounts. These routes answer a handshake as its receiver, whoever that
// is, and expire one now, through the same domain steps (and events) as
// the partners' own calls.

// ChannelSide is what the channel routes ask of the Channel domain. Each
// answers the handshake as ListChannelHandshakes shows it.
type ChannelSide interface {
	Handshake(ctx context.Context, catalog, id string) (any, error)
	AnswerHandshake(ctx context.Context, catalog, id string, accept bool) (any, error)
	ExpireHandshake(ctx context.Context, catalog, id string) (any, error)
}

func channelRoutes(mux *http.ServeMux, ch ChannelSide) {
	const p = Prefix + "aws/channel/handshakes/{catalog}/{id}"
	mux.HandleFunc("GET "+p, func(w http.ResponseWriter, r *http.Request) {
		out, err := ch.Handshake(r.Context(), r.PathValue("catalog"), r.PathValue("id"))
		answer(w, &out, err)
	})
	for action, accept := range map[string]bool{"accept": true, "reject": false} {
		mux.HandleFunc("POST "+p+"/"+action, func(w http.ResponseWriter, r *http.Request) {
			out, err := ch.AnswerHandshake(r.Context(), r.PathValue("catalog"), r.PathValue("id"), accept)
			answer(w, &out, err)
		})
	}
	mux.HandleFunc("POST "+p+"/expire", func(w http.ResponseWriter, r *http.Request) {
		out, err := ch.ExpireHandshake(r.Context(), r.PathValue("catalog"), r.PathValue("id"))
		answer(w, &out, err)
	})
}
