package channel

import (
	"context"
	"strings"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// taggedResource checks that arn (the model's TaggableArn: a PMA, a
// relationship or a handshake) names an existing resource of account.
// Tags belong to the resource's owner, whose account its ARN names; an ARN
// of another account is AccessDenied, as IAM answers.
func (s *Service) taggedResource(ctx context.Context, r store.Reader, account, arn string) error {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return notFound("resource", arn)
	}
	if parts[4] != account {
		return apierr.AccessDenied("User is not authorized to access resource %s.", arn)
	}
	path := strings.Split(parts[5], "/") // catalog/<Catalog>/<type>/<id>[/relationship/<id>]
	if len(path) < 4 || checkCatalog(path[1]) != nil {
		return notFound("resource", arn)
	}
	catalog := path[1]
	var err error
	switch {
	case path[2] == "channel-handshake":
		// The whole ARN must match, so its account is the owner's.
		_, err = anyHandshake(ctx, r, catalog, arn)
	case len(path) == 6:
		_, err = ownRelationship(ctx, r, account, catalog, arn, nil)
	default:
		_, err = ownPMA(ctx, r, account, catalog, arn)
	}
	return err
}

// TagResource adds or overwrites tags on a resource of the caller.
func (s *Service) TagResource(ctx context.Context, account string, in *api.TagResourceRequest) (*api.TagResourceResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := s.taggedResource(ctx, tx, account, in.ResourceArn); err != nil {
			return err
		}
		return putTags(ctx, tx, account, in.ResourceArn, in.Tags)
	})
	if err != nil {
		return nil, err
	}
	return &api.TagResourceResponse{}, nil
}

// UntagResource removes tag keys from a resource of the caller; keys it
// does not carry are ignored.
func (s *Service) UntagResource(ctx context.Context, account string, in *api.UntagResourceRequest) (*api.UntagResourceResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := s.taggedResource(ctx, tx, account, in.ResourceArn); err != nil {
			return err
		}
		return tx.RemoveTags(ctx, account, in.ResourceArn, in.TagKeys)
	})
	if err != nil {
		return nil, err
	}
	return &api.UntagResourceResponse{}, nil
}

// ListTagsForResource lists the tags of a resource of the caller.
func (s *Service) ListTagsForResource(ctx context.Context, account string, in *api.ListTagsForResourceRequest) (*api.ListTagsForResourceResponse, error) {
	if err := s.taggedResource(ctx, s.store, account, in.ResourceArn); err != nil {
		return nil, err
	}
	tags, err := s.store.ListTags(ctx, account, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	out := &api.ListTagsForResourceResponse{Tags: make([]api.Tag, len(tags))}
	for i, t := range tags {
		out.Tags[i] = api.Tag{Key: t.Key, Value: t.Value}
	}
	return out, nil
}
