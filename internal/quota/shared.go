package quota

import (
	"context"
	"strconv"
	"time"

	"github.com/cosell/cosell/internal/store"
)

// StoreCounter keeps each account's daily windows in the store several
// servers share, so the daily quota is exact across them: a request is
// checked and recorded in one transaction (SERIALIZABLE on PostgreSQL),
// so two servers cannot both admit the last one. The window counts
// requests per minute, so it rolls by the minute rather than by the
// instant: a request leaves it at the end of the minute it fell in, 24
// hours later.
type StoreCounter struct{ Store store.Store }

// minuteCounts are one window's requests by the minute they fell in (Unix
// seconds of its start).
type minuteCounts map[string]int

func dailySetting(c *Class) string { return "quota-daily:" + c.Name }

// Admit implements DailyCounter. The window is an account setting with
// no catalog, so a full reset empties it and a reset of one catalog
// leaves it, as quota usage is per account across catalogs.
func (s StoreCounter) Admit(ctx context.Context, account string, c *Class, now time.Time) (bool, error) {
	scope := store.Scope{Account: account}
	var admitted bool
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		admitted = false
		counts := minuteCounts{}
		if _, err := store.ReadJSONSetting(ctx, tx, scope, dailySetting(c), &counts); err != nil {
			return err
		}
		total := 0
		for k, n := range counts {
			start, err := strconv.ParseInt(k, 10, 64)
			if err != nil || now.Sub(time.Unix(start, 0)) >= Window+time.Minute {
				delete(counts, k)
				continue
			}
			total += n
		}
		if total >= c.Daily {
			return nil
		}
		counts[strconv.FormatInt(now.Truncate(time.Minute).Unix(), 10)]++
		admitted = true
		return store.WriteJSONSetting(ctx, tx, scope, dailySetting(c), counts)
	})
	return admitted, err
}
