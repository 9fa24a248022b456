package selling

import (
	"context"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// ReadableOpportunity tells another domain (Benefits, which associates
// applications with opportunities) whether account may read the
// opportunity arn names in catalog: its own opportunity there, as for
// tagging. Another account's is AccessDenied; a missing one, or an ARN of
// another kind or catalog, ResourceNotFound. r reads inside the caller's
// transaction.
func (s *Service) ReadableOpportunity(ctx context.Context, r store.Reader, account, catalog, arn string) error {
	t, err := s.resolveTaggable(ctx, r, account, arn)
	if err != nil {
		return err
	}
	if t.kind != "opportunity" || t.scope.Catalog != catalog {
		return apierr.NotFound("Resource %s does not exist.", arn)
	}
	return nil
}
