package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"path/filepath"

	"github.com/cosell/cosell/internal/datadir"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// openDomainStore opens the store both APIs share, under the data
// directory (":memory:" for a throwaway one), and the NextToken key kept in
// it; the store is closed with the server.
func openDomainStore(d *deps) error {
	lock, st, err := openStore(d.cfg.DataDir)
	if err != nil {
		return err
	}
	d.onClose(lock) // closed after the store: closers run in reverse
	d.onClose(st)
	d.store = st
	d.tokenKey, err = tokenKey(context.Background(), st)
	return err
}

// openStore takes the data directory's lock (see internal/datadir), then
// opens the store in it; close the store before the lock. A ":memory:"
// store is private to the process and needs no lock (lock is then nil).
func openStore(dataDir string) (lock *datadir.Lock, st *sqlite.Store, err error) {
	if dataDir == ":memory:" {
		st, err = sqlite.Open(":memory:")
		return nil, st, err
	}
	if lock, err = datadir.Acquire(dataDir); err != nil {
		return nil, nil, err
	}
	if st, err = sqlite.Open(filepath.Join(dataDir, "cosell.db")); err != nil {
		return nil, nil, errors.Join(err, lock.Close())
	}
	return lock, st, nil
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
