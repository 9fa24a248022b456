package account

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// connectionRecord is a connection as stored: two accounts and, per
// connection type, whether they are connected that way. An accepted
// invitation of a new type joins the pair's live connection ("the same
// connection ID is maintained"); once every type is canceled the connection
// is terminated and kept only as history.
type connectionRecord struct {
	Id        string                                      `json:"id"`
	Arn       string                                      `json:"arn"`
	Catalog   string                                      `json:"catalog"`
	Parties   [2]party                                    `json:"parties"`
	CreatedAt time.Time                                   `json:"createdAt"`
	UpdatedAt time.Time                                   `json:"updatedAt"`
	Types     map[api.ConnectionType]*connectionTypeState `json:"types"`
}

// connectionTypeState is one connection type of a connection.
type connectionTypeState struct {
	Status       api.ConnectionTypeStatus `json:"status"`
	CreatedAt    time.Time                `json:"createdAt"`
	InviterEmail string                   `json:"inviterEmail"`
	InviterName  string                   `json:"inviterName"`
	CanceledAt   *time.Time               `json:"canceledAt,omitempty"`
	CanceledBy   string                   `json:"canceledBy,omitempty"`
	CancelReason string                   `json:"cancelReason,omitempty"`
}

func (c *connectionRecord) DocID() string         { return c.Id }
func (c *connectionRecord) DocCreated() time.Time { return c.CreatedAt }

// DocKeys: a connection is listed by either participant and filtered by
// "TYPE" and "TYPE:STATUS" (ListConnections' ConnectionType filter) and the
// other participant's identifiers; while live it is found by its pair and
// counts toward each participant's active connections.
func (c *connectionRecord) DocKeys() map[string][]string {
	a, b := c.Parties[0], c.Parties[1]
	k := map[string][]string{"participant": {a.Account, b.Account}, "peer": peerKeys(a, b)}
	for t, st := range c.Types {
		k["type"] = append(k["type"], string(t), string(t)+":"+string(st.Status))
	}
	if c.live() {
		k["pair"] = []string{pairKey(a.Account, b.Account)}
		k["live"] = []string{a.Account, b.Account}
	}
	return k
}

// live reports whether any type is still ACTIVE.
func (c *connectionRecord) live() bool {
	for _, st := range c.Types {
		if st.Status == api.ConnectionTypeStatusActive {
			return true
		}
	}
	return false
}

func (c *connectionRecord) active(t api.ConnectionType) bool {
	st := c.Types[t]
	return st != nil && st.Status == api.ConnectionTypeStatusActive
}

// other is the participant that is not account.
func (c *connectionRecord) other(account string) party {
	if c.Parties[0].Account == account {
		return c.Parties[1]
	}
	return c.Parties[0]
}

// view is the connection as account, one of its participants, sees it.
func (c *connectionRecord) view(account string) *api.Connection {
	other := c.other(account)
	types := make(map[string]api.ConnectionTypeDetail, len(c.Types))
	for t, st := range c.Types {
		types[string(t)] = api.ConnectionTypeDetail{
			CreatedAt: st.CreatedAt, InviterEmail: st.InviterEmail, InviterName: st.InviterName, Status: st.Status,
			CanceledAt: st.CanceledAt, CanceledBy: omitEmpty(st.CanceledBy), OtherParticipant: other.participant(t),
		}
	}
	return &api.Connection{Catalog: c.Catalog, Id: c.Id, Arn: c.Arn, OtherParticipantAccountId: other.Account, UpdatedAt: c.UpdatedAt, ConnectionTypes: types}
}

// summary is the connection's ListConnections entry for account.
func (c *connectionRecord) summary(account string) api.ConnectionSummary {
	other := c.other(account)
	types := make(map[string]api.ConnectionTypeSummary, len(c.Types))
	for t, st := range c.Types {
		types[string(t)] = api.ConnectionTypeSummary{Status: st.Status, OtherParticipant: other.participant(t)}
	}
	return api.ConnectionSummary{Catalog: c.Catalog, Id: c.Id, Arn: c.Arn, OtherParticipantAccountId: other.Account, UpdatedAt: c.UpdatedAt, ConnectionTypes: types}
}

func connectionNotFound(id string) func() error {
	return func() error {
		return apierr.NotFound("Connection %s does not exist.", id).WithReason(string(api.ResourceNotFoundExceptionReasonConnectionNotFound))
	}
}

// visibleConnection reads a connection account takes part in; anyone
// else's is not found.
func visibleConnection(ctx context.Context, r store.Reader, account, catalog, id string) (docstore.Doc[connectionRecord], error) {
	d, err := docstore.Get[connectionRecord](ctx, r, kindConnection, catalog, id, connectionNotFound(id))
	if err != nil {
		return d, err
	}
	if d.Value.Parties[0].Account != account && d.Value.Parties[1].Account != account {
		return docstore.Doc[connectionRecord]{}, connectionNotFound(id)()
	}
	return d, nil
}

// liveConnection is the pair's live connection, if any (found is false
// when there is none).
func liveConnection(ctx context.Context, r store.Reader, catalog, a, b string) (d docstore.Doc[connectionRecord], found bool, err error) {
	rows, _, err := docstore.List[connectionRecord](ctx, r, store.DocumentQuery{
		Kind: kindConnection, Catalog: catalog, Match: map[string][]string{"pair": {pairKey(a, b)}}, Limit: 1,
	})
	if err != nil || len(rows) == 0 {
		return d, false, err
	}
	d, err = docstore.Get[connectionRecord](ctx, r, kindConnection, catalog, rows[0].Id, connectionNotFound(rows[0].Id))
	return d, err == nil, err
}

func saveConnection(ctx context.Context, tx store.Tx, d docstore.Doc[connectionRecord]) error {
	_, err := docstore.Put(ctx, tx, kindConnection, d.Value.Catalog, d.Value, d.Version)
	return err
}

// connectionArn: connections are shared by two accounts, so their ARN
// carries none (semantics §4).
func (s *Service) connectionArn(catalog, id string) string {
	return s.arn("", catalog, "connection/"+id)
}
