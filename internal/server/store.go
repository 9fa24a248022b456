package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/cosell/cosell/internal/datadir"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/postgres"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// openDomainStore opens the store both APIs share — the PostgreSQL
// database Config.Store names, else SQLite under the data directory
// (":memory:" for a throwaway one) — and the NextToken key kept in it; the
// store is closed with the server.
func openDomainStore(d *deps) error {
	lock, st, err := openStore(d.cfg.Store, d.cfg.DataDir)
	if err != nil {
		return err
	}
	d.onClose(lock) // closed after the store: closers run in reverse
	d.onClose(st)
	d.store = st
	d.tokenKey, err = tokenKey(context.Background(), st)
	return err
}

// ParseStore checks a --store value and returns Config.Store: "" and
// "sqlite" are the embedded SQLite store under the data directory (the
// zero-config default); a postgres:// or postgresql:// URL is a PostgreSQL
// database, which several servers may share.
func ParseStore(v string) (string, error) {
	switch {
	case v == "" || v == "sqlite":
		return "", nil
	case strings.HasPrefix(v, "postgres://") || strings.HasPrefix(v, "postgresql://"):
		if _, err := url.Parse(v); err != nil {
			return "", errors.New("--store: not a valid URL") // the error would repeat the password
		}
		return v, nil
	}
	if scheme, _, ok := strings.Cut(v, "://"); ok {
		v = scheme + "://…" // the rest may hold a password
	}
	return "", fmt.Errorf("--store %q: want sqlite or a postgres:// URL", v)
}

// openStore opens the PostgreSQL store at postgresURL when it is set: it is
// made to be shared by several servers, so no lock is taken (lock is nil).
// Otherwise it takes the data directory's lock (see internal/datadir), then
// opens the SQLite store in it; close the store before the lock. A
// ":memory:" store is private to the process and needs no lock either.
func openStore(postgresURL, dataDir string) (*datadir.Lock, store.Store, error) {
	if postgresURL != "" {
		st, err := postgres.Open(postgresURL)
		if err != nil {
			return nil, nil, err
		}
		return nil, st, nil
	}
	if dataDir == ":memory:" {
		st, err := sqlite.Open(":memory:")
		if err != nil {
			return nil, nil, err
		}
		return nil, st, nil
	}
	lock, err := datadir.Acquire(dataDir)
	if err != nil {
		return nil, nil, err
	}
	st, err := sqlite.Open(filepath.Join(dataDir, "cosell.db"))
	if err != nil {
		return nil, nil, errors.Join(err, lock.Close())
	}
	return lock, st, nil
}

// tokenKey is the server's NextToken signing key, made once and kept in the
// store so tokens stay valid across restarts. It is read and, the first
// time, made in one transaction, so replicas starting together on one
// database end up with the same key.
func tokenKey(ctx context.Context, st store.Store) ([]byte, error) {
	server := store.Scope{} // server-wide settings live in the empty scope
	const name = "pagetoken-key"
	var key []byte
	err := st.Update(ctx, func(tx store.Tx) error {
		v, err := tx.GetSetting(ctx, server, name)
		if err == nil && v != "" {
			key, err = hex.DecodeString(v)
			return err
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		return tx.PutSetting(ctx, server, name, hex.EncodeToString(key))
	})
	return key, err
}
