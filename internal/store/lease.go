package store

import (
	"context"
	"time"
)

// A lease lets one of several servers sharing a store do a piece of work
// that must run in one place at a time (deliver to a webhook, process the
// ACE exchange): the holder renews it well before it expires, and when the
// holder dies another server takes it over once it has expired.
//
// A lease is a server-wide setting written in an Update, so every store
// gets it from its transactions: SQLite's single writer, PostgreSQL's
// SERIALIZABLE isolation (two servers taking an expired lease at once: one
// commits, the other's transaction is retried and then sees the winner).
// Expiry is by the servers' real-time clocks, so they must agree to well
// within the lease's time to live (NTP does; on one machine they are one).

// leaseState is a lease as kept in its setting.
type leaseState struct {
	Holder  string    `json:"holder"`
	Expires time.Time `json:"expires"`
}

func leaseSetting(name string) string { return "lease:" + name }

// AcquireLease takes or renews the lease name for holder until now+ttl,
// and reports whether holder has it: false when another holder's lease has
// not expired by now.
func AcquireLease(ctx context.Context, st Store, name, holder string, ttl time.Duration, now time.Time) (bool, error) {
	var held bool
	err := st.Update(ctx, func(tx Tx) error {
		held = false
		var l leaseState
		if _, err := ReadJSONSetting(ctx, tx, Scope{}, leaseSetting(name), &l); err != nil {
			return err
		}
		if l.Holder != "" && l.Holder != holder && now.Before(l.Expires) {
			return nil
		}
		held = true
		return WriteJSONSetting(ctx, tx, Scope{}, leaseSetting(name), leaseState{Holder: holder, Expires: now.Add(ttl)})
	})
	return held, err
}

// ReleaseLease gives up holder's lease name, so another server may take it
// at once instead of after it expires; a lease holder does not hold is
// left alone.
func ReleaseLease(ctx context.Context, st Store, name, holder string) error {
	return st.Update(ctx, func(tx Tx) error {
		var l leaseState
		if _, err := ReadJSONSetting(ctx, tx, Scope{}, leaseSetting(name), &l); err != nil || l.Holder != holder {
			return err
		}
		return WriteJSONSetting(ctx, tx, Scope{}, leaseSetting(name), leaseState{})
	})
}

// LeaseHolder is who holds the lease name at now, or "" when nobody does.
func LeaseHolder(ctx context.Context, r Reader, name string, now time.Time) (string, error) {
	var l leaseState
	if _, err := ReadJSONSetting(ctx, r, Scope{}, leaseSetting(name), &l); err != nil {
		return "", err
	}
	if !now.Before(l.Expires) {
		return "", nil
	}
	return l.Holder, nil
}
