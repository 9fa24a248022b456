package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cosell/cosell/internal/store"
)

// BulkInsertOpportunities inserts many opportunities in one transaction with
// one prepared statement, for seeding large stores. It fails with
// store.ErrExists (inserting nothing) if any key is already present. The
// opportunity number sequence is moved past the highest O<number> inserted,
// so later NextOpportunityNumber calls never collide with seeded IDs.
func (s *Store) BulkInsertOpportunities(ctx context.Context, opps []store.Opportunity) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: bulk insert: %w", err)
	}
	defer sqlTx.Rollback()
	stmt, err := sqlTx.PrepareContext(ctx, insertOpportunitySQL)
	if err != nil {
		return fmt.Errorf("sqlite: bulk insert: %w", err)
	}
	defer stmt.Close()
	var highest int64
	for i := range opps {
		res, err := stmt.ExecContext(ctx, insertOpportunityArgs(&opps[i])...)
		if err != nil {
			return fmt.Errorf("sqlite: bulk insert %s: %w", opps[i].ID, err)
		}
		if err := existsUnlessInserted(res); err != nil {
			return fmt.Errorf("sqlite: bulk insert %s: %w", opps[i].ID, err)
		}
		if digits, ok := strings.CutPrefix(opps[i].ID, "O"); ok {
			if n, err := strconv.ParseInt(digits, 10, 64); err == nil && n > highest {
				highest = n
			}
		}
	}
	if _, err := sqlTx.ExecContext(ctx, `UPDATE sequences SET value = max(value, ?) WHERE name = 'opportunity'`,
		highest); err != nil {
		return fmt.Errorf("sqlite: bulk insert: %w", err)
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: bulk insert: commit: %w", err)
	}
	return nil
}
