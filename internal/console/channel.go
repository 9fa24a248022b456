package console

import (
	"context"
	"net/http"
	"strings"

	api "github.com/cosell/cosell/api/channel"
)

// The Channel API by clicking: one account's handshakes (sent and
// received, every type), its program management accounts and
// relationships, read through the domain's own List operations as that
// account; answering or expiring a handshake goes through admin.ChannelSide,
// the code behind /_cosell/aws/channel/handshakes/.

func (c *console) channelRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"channel", c.channelPage)
	mux.HandleFunc("POST "+Prefix+"channel/handshake", c.answerHandshake)
}

// listedHandshakes bounds how many handshakes of one type and side the page
// reads (it pages through the domain's listing up to this).
const listedHandshakes = 200

// shownHandshake is one handshake as the page lists it.
type shownHandshake struct {
	api.ChannelHandshakeSummary
	Side   string // SENDER or RECEIVER: how the account takes part
	Status string
	Type   string
}

type channelData struct {
	Handshakes    []shownHandshake
	Accounts      []api.ProgramManagementAccountSummary
	Relationships []api.RelationshipSummary
}

func (c *console) channelPage(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Channel == nil || c.cfg.ChannelSide == nil {
		c.render(w, r, http.StatusNotFound, "notfound", page{Title: "Channel", Nav: "channel", Error: "this server does not serve the Channel API"})
		return
	}
	s := c.scopeOf(r)
	d, err := c.channelData(r.Context(), s)
	if err != nil {
		c.failed(w, r, http.StatusBadRequest, err)
		return
	}
	c.render(w, r, http.StatusOK, "channel", page{Title: "Channel", Nav: "channel", Scope: s, Data: d})
}

func (c *console) channelData(ctx context.Context, s scope) (*channelData, error) {
	d := &channelData{}
	for _, side := range api.ParticipantTypeSender.Values() {
		for _, typ := range api.HandshakeTypeStartServicePeriod.Values() {
			in := &api.ListChannelHandshakesRequest{Catalog: s.Catalog, HandshakeType: typ, ParticipantType: side}
			for n := 0; n < listedHandshakes; {
				out, err := c.cfg.Channel.ListChannelHandshakes(ctx, s.Account, in)
				if err != nil {
					return nil, err
				}
				for _, h := range out.Items {
					d.Handshakes = append(d.Handshakes, shownHandshake{ChannelHandshakeSummary: h, Side: string(side), Status: string(deref(h.Status)), Type: string(deref(h.HandshakeType))})
				}
				n += len(out.Items)
				if out.NextToken == nil {
					break
				}
				in.NextToken = out.NextToken
			}
		}
	}
	pmas, err := c.cfg.Channel.ListProgramManagementAccounts(ctx, s.Account, &api.ListProgramManagementAccountsRequest{Catalog: s.Catalog})
	if err != nil {
		return nil, err
	}
	d.Accounts = pmas.Items
	rels, err := c.cfg.Channel.ListRelationships(ctx, s.Account, &api.ListRelationshipsRequest{Catalog: s.Catalog})
	if err != nil {
		return nil, err
	}
	d.Relationships = rels.Items
	return d, nil
}

// answerHandshake accepts or rejects a handshake as its receiver, or
// expires it, as the admin API's channel routes do.
func (c *console) answerHandshake(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	if c.cfg.ChannelSide == nil {
		http.Error(w, "this server does not serve the Channel API", http.StatusNotFound)
		return
	}
	f := r.PostForm
	catalog, id, action := f.Get("catalog"), strings.TrimSpace(f.Get("id")), f.Get("action")
	var out any
	var err error
	switch action {
	case "accept", "reject":
		out, err = c.cfg.ChannelSide.AnswerHandshake(r.Context(), catalog, id, action == "accept")
	case "expire":
		out, err = c.cfg.ChannelSide.ExpireHandshake(r.Context(), catalog, id)
	default:
		http.Error(w, `action: want "accept", "reject" or "expire"`, http.StatusBadRequest)
		return
	}
	msg := "handshake " + id + ": " + action
	if h, ok := out.(*api.ChannelHandshakeSummary); ok {
		msg = "handshake " + id + " is " + string(deref(h.Status))
	}
	done(w, r, back(r), msg, err)
}

// deref is a pointer's value, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
