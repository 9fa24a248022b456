package selling

import (
	"context"
	"errors"
	"fmt"
	"strings"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// taggable is a resource named by an ARN the caller may tag.
type taggable struct {
	arn   string
	scope store.Scope
	kind  string // "opportunity", ...
	id    string
}

// resolveTaggable checks that arn names an existing resource of the caller.
// Another account's resource is AccessDenied, as IAM would answer.
func (s *Service) resolveTaggable(ctx context.Context, r store.Reader, account, arn string) (*taggable, error) {
	// arn:aws:partnercentral:{region}:{account}:catalog/{Catalog}/{type}/{id}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "partnercentral" {
		return nil, apierr.NotFound("Resource %s does not exist.", arn)
	}
	if parts[4] != account {
		return nil, apierr.AccessDenied("User is not authorized to access resource %s.", arn)
	}
	path := strings.Split(parts[5], "/")
	if len(path) != 4 || path[0] != "catalog" || (path[1] != CatalogAWS && path[1] != CatalogSandbox) {
		return nil, apierr.NotFound("Resource %s does not exist.", arn)
	}
	t := &taggable{arn: arn, scope: scopeOf(account, path[1]), kind: path[2], id: path[3]}
	switch t.kind {
	case "opportunity":
		if parts[3] != s.region {
			return nil, apierr.NotFound("Resource %s does not exist.", arn)
		}
		if _, err := r.GetOpportunity(ctx, t.scope, t.id); errors.Is(err, store.ErrNotFound) {
			return nil, apierr.NotFound("Resource %s does not exist.", arn)
		} else if err != nil {
			return nil, internal("get opportunity", err)
		}
		return t, nil
	case "resource-snapshot-job":
		if parts[3] != s.region {
			return nil, apierr.NotFound("Resource %s does not exist.", arn)
		}
		if _, err := loadSnapshotJob(ctx, r, t.scope, t.id); err != nil {
			return nil, err
		}
		return t, nil
	}
	return nil, apierr.NotFound("Resource %s does not exist.", arn)
}

// TagResource adds or overwrites tags on a resource.
func (s *Service) TagResource(ctx context.Context, account string, in *api.TagResourceRequest) (*api.TagResourceResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		t, err := s.resolveTaggable(ctx, tx, account, in.ResourceArn)
		if err != nil {
			return err
		}
		return docstore.PutTags(ctx, tx, account, t.arn, store.TagsOf(in.Tags), func(n int) error {
			return apierr.BusinessInvalid(fmt.Sprintf("A resource can have at most %d tags; this request would leave %d.", store.MaxTagsPerResource, n), apierr.FieldError{
				FieldName: "tags", Code: apierr.CodeTooManyValues, Message: fmt.Sprintf("At most %d tags per resource.", store.MaxTagsPerResource),
			})
		})
	})
	if err != nil {
		return nil, err
	}
	return nil, nil
}

// UntagResource removes tag keys from a resource; absent keys are ignored.
func (s *Service) UntagResource(ctx context.Context, account string, in *api.UntagResourceRequest) (*api.UntagResourceResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		t, err := s.resolveTaggable(ctx, tx, account, in.ResourceArn)
		if err != nil {
			return err
		}
		if err := tx.RemoveTags(ctx, account, t.arn, in.TagKeys); err != nil {
			return internal("remove tags", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return nil, nil
}

// ListTagsForResource returns a resource's tags.
func (s *Service) ListTagsForResource(ctx context.Context, account string, in *api.ListTagsForResourceRequest) (*api.ListTagsForResourceResponse, error) {
	t, err := s.resolveTaggable(ctx, s.store, account, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	tags, err := s.store.ListTags(ctx, account, t.arn)
	if err != nil {
		return nil, internal("list tags", err)
	}
	out := &api.ListTagsForResourceResponse{Tags: make([]api.Tag, 0, len(tags))}
	for _, tag := range tags {
		out.Tags = append(out.Tags, api.Tag{Key: tag.Key, Value: tag.Value})
	}
	return out, nil
}
