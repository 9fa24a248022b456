package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
	"github.com/cosell/cosell/internal/wire"
)

// registerSelling is the one place the Selling domain joins the server:
// it opens the store under deps.cfg.DataDir (":memory:" for a throwaway
// one), hands it to deps.onClose, seeds every account's starter solutions
// and adds the handlers to the API. Operations left without a handler
// answer NotImplementedException.
func registerSelling(api *wire.API, d *deps) error {
	st, err := openStore(d.cfg.DataDir)
	if err != nil {
		return err
	}
	d.onClose(st)
	ctx := context.Background()
	key, err := tokenKey(ctx, st)
	if err != nil {
		return err
	}
	parties := make([]selling.Party, len(d.accounts))
	for i, a := range d.accounts {
		parties[i] = selling.Party{AccountID: a.AccountID, CompanyName: a.CompanyName}
	}
	svc := selling.New(selling.Config{Store: st, Clock: d.cfg.Clock, Region: d.cfg.Region, TokenKey: key, Parties: parties})
	for _, a := range d.accounts {
		if err := svc.SeedAccount(ctx, a.AccountID); err != nil {
			return fmt.Errorf("seed account %s: %w", a.AccountID, err)
		}
	}
	for _, handlers := range []map[string]wire.Handler{
		opportunityHandlers(svc),
		engagementHandlers(svc),
		invitationHandlers(svc),
		snapshotHandlers(svc),
		taskHandlers(svc),
	} {
		for name, h := range handlers {
			if _, ok := api.Service.Operations[name]; !ok {
				return fmt.Errorf("handler for %s, which the model does not have", name)
			}
			api.Handlers[name] = h
		}
	}
	return nil
}

// opportunityHandlers serve opportunities, solutions, tags and settings.
func opportunityHandlers(svc *selling.Service) map[string]wire.Handler {
	return map[string]wire.Handler{
		"CreateOpportunity":        bind(svc.CreateOpportunity),
		"GetOpportunity":           bind(svc.GetOpportunity),
		"UpdateOpportunity":        bind(svc.UpdateOpportunity),
		"ListOpportunities":        bind(svc.ListOpportunities),
		"SubmitOpportunity":        bind(svc.SubmitOpportunity),
		"AssignOpportunity":        bind(svc.AssignOpportunity),
		"AssociateOpportunity":     bind(svc.AssociateOpportunity),
		"DisassociateOpportunity":  bind(svc.DisassociateOpportunity),
		"GetAwsOpportunitySummary": bind(svc.GetAwsOpportunitySummary),
		"ListSolutions":            bind(svc.ListSolutions),
		"TagResource":              bind(svc.TagResource),
		"UntagResource":            bind(svc.UntagResource),
		"ListTagsForResource":      bind(svc.ListTagsForResource),
		"GetSellingSystemSettings": bind(svc.GetSellingSystemSettings),
		"PutSellingSystemSettings": bind(svc.PutSellingSystemSettings),
	}
}

// bind adapts a domain method, which takes the caller's account explicitly,
// to a wire handler, which finds the caller in the request context.
func bind[In, Out any](fn func(context.Context, string, *In) (*Out, error)) wire.Handler {
	return wire.Op(func(ctx context.Context, in *In) (*Out, error) {
		return fn(ctx, wire.CallerFrom(ctx).AccountID, in)
	})
}

func openStore(dataDir string) (*sqlite.Store, error) {
	if dataDir == ":memory:" {
		return sqlite.Open(":memory:")
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	return sqlite.Open(filepath.Join(dataDir, "cosell.db"))
}

// tokenKey is the server's NextToken signing key, made once and kept in the
// store so tokens stay valid across restarts.
func tokenKey(ctx context.Context, st store.Store) ([]byte, error) {
	server := store.Scope{} // server-wide settings live in the empty scope
	const name = "pagetoken-key"
	v, err := st.GetSetting(ctx, server, name)
	if err == nil && v != "" {
		return hex.DecodeString(v)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	err = st.Update(ctx, func(tx store.Tx) error { return tx.PutSetting(ctx, server, name, hex.EncodeToString(key)) })
	return key, err
}
