package benefits

import (
	"context"
	"strings"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// taggable checks that arn names an application or allocation of the
// caller: the model's TaggableResourceArn requires an account, which
// benefit ARNs lack. Another account's resource is AccessDenied, as IAM
// would answer.
func (s *Service) taggable(ctx context.Context, r store.Reader, account, arn string) error {
	if arnAccount(arn) != account {
		return apierr.AccessDenied("User is not authorized to access resource %s.", arn)
	}
	_, rest, _ := strings.Cut(arn, ":catalog/")
	catalog, _, _ := strings.Cut(rest, "/")
	switch {
	case strings.Contains(arn, "/benefit-application/"):
		_, err := s.loadApplication(ctx, r, account, catalog, arn)
		return err
	case strings.Contains(arn, "/benefit-allocation/"):
		_, err := s.loadAllocation(ctx, r, account, catalog, arn)
		return err
	}
	return apierr.NotFound("Resource %s does not exist.", arn)
}

// TagResource adds or overwrites tags on an application or allocation.
func (s *Service) TagResource(ctx context.Context, account string, in *api.TagResourceRequest) (*api.TagResourceResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := s.taggable(ctx, tx, account, in.ResourceArn); err != nil {
			return err
		}
		return docstore.PutTags(ctx, tx, account, in.ResourceArn, store.TagsOf(in.Tags), docstore.TooManyTags)
	})
	if err != nil {
		return nil, err
	}
	return &api.TagResourceResponse{}, nil
}

// UntagResource removes tag keys; keys the resource does not carry are ignored.
func (s *Service) UntagResource(ctx context.Context, account string, in *api.UntagResourceRequest) (*api.UntagResourceResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := s.taggable(ctx, tx, account, in.ResourceArn); err != nil {
			return err
		}
		return tx.RemoveTags(ctx, account, in.ResourceArn, in.TagKeys)
	})
	if err != nil {
		return nil, err
	}
	return &api.UntagResourceResponse{}, nil
}

// ListTagsForResource lists the tags of an application or allocation.
func (s *Service) ListTagsForResource(ctx context.Context, account string, in *api.ListTagsForResourceRequest) (*listTagsOutput, error) {
	if err := s.taggable(ctx, s.store, account, in.ResourceArn); err != nil {
		return nil, err
	}
	tags, err := s.store.ListTags(ctx, account, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	out := &listTagsOutput{Tags: make([]api.Tag, len(tags))}
	for i, t := range tags {
		out.Tags[i] = api.Tag{Key: t.Key, Value: t.Value}
	}
	return out, nil
}

// listTagsOutput is ListTagsForResource's answer, its list there even
// when empty (see listApplicationsOutput).
type listTagsOutput struct {
	Tags []api.Tag `json:"tags"`
}
