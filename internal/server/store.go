package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// openDomainStore opens the store both APIs share, under the data
// directory (":memory:" for a throwaway one), and the NextToken key kept in
// it; the store is closed with the server.
func openDomainStore(d *deps) error {
	st, err := openStore(d.cfg.DataDir)
	if err != nil {
		return err
	}
	d.onClose(st)
	d.store = st
	d.tokenKey, err = tokenKey(context.Background(), st)
	return err
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
