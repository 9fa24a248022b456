package revenue

import (
	"context"
	"errors"

	api "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// Revenue attributions and Marketplace revenue shares are the taggable
// resources (the model's ResourceARN pattern); allocations are not.

// taggedResource checks that arn names one of the caller's attributions or
// revenue shares: another account's is AccessDenied, a missing one
// NotFound.
func taggedResource(ctx context.Context, r store.Reader, account, arn string) error {
	p, ok := parseArn(arn)
	if !ok {
		return notFound("Resource %s was not found.", arn)
	}
	if p.account != account {
		return accessDenied("Resource %s belongs to another account.", arn)
	}
	kind := kindAttribution
	if p.kind == "marketplace-revenue-share" {
		kind = kindShare
	}
	d, err := r.GetDocument(ctx, kind, p.catalog, p.id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !ownedBy(d, account)) {
		return notFound("Resource %s was not found.", arn)
	}
	return err
}

// ownedBy reads the owner key every document of this API carries.
func ownedBy(d *store.Document, account string) bool {
	owners := d.Keys["account"]
	return len(owners) == 1 && owners[0] == account
}

// putTags adds tags to arn within the tag limit, which the model reports
// as ServiceQuotaExceeded TAG_LIMIT_EXCEEDED.
func putTags(ctx context.Context, tx store.Tx, account, arn string, tags []store.Tag) error {
	return docstore.PutTags(ctx, tx, account, arn, tags, func(n int) error {
		return apierr.QuotaExceeded("A resource can have at most %d tags; this request would leave %d.", store.MaxTagsPerResource, n).
			WithReason(string(api.ServiceQuotaExceededExceptionReasonTagLimitExceeded))
	})
}

// TagResource adds or overwrites tags on the caller's resource.
func (s *Service) TagResource(ctx context.Context, account string, in *api.TagResourceInput) (*struct{}, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := taggedResource(ctx, tx, account, in.ResourceArn); err != nil {
			return err
		}
		return putTags(ctx, tx, account, in.ResourceArn, store.TagsOf(in.Tags))
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// UntagResource removes tag keys; keys the resource lacks are ignored.
func (s *Service) UntagResource(ctx context.Context, account string, in *api.UntagResourceInput) (*struct{}, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := taggedResource(ctx, tx, account, in.ResourceArn); err != nil {
			return err
		}
		return tx.RemoveTags(ctx, account, in.ResourceArn, in.TagKeys)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// ListTagsForResource lists the resource's tags.
func (s *Service) ListTagsForResource(ctx context.Context, account string, in *api.ListTagsForResourceInput) (*api.ListTagsForResourceOutput, error) {
	if err := taggedResource(ctx, s.store, account, in.ResourceArn); err != nil {
		return nil, err
	}
	tags, err := s.store.ListTags(ctx, account, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	out := &api.ListTagsForResourceOutput{Tags: make([]api.Tag, len(tags))}
	for i, t := range tags {
		out.Tags[i] = api.Tag(t)
	}
	return out, nil
}
