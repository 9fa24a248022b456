package account

import (
	"context"
	"strings"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// taggedPartner resolves a TaggableResourceArn to the caller's partner it
// names. Partners are the taggable Account resources: the model's ARN
// pattern requires an account, which connection and invitation ARNs lack,
// and AWS's Sandbox IAM grants tagging on catalog/*/partner/* only. An ARN
// of another account is AccessDenied; any other resource type is refused
// as a bad value.
func taggedPartner(ctx context.Context, r store.Reader, account, arn string) error {
	if arnAccount(arn) != account {
		return accessDenied(arn)
	}
	_, resource, _ := strings.Cut(strings.SplitN(arn, ":", 6)[5], "catalog/")
	catalog, id, ok := strings.Cut(resource, "/partner/")
	if !ok || (catalog != CatalogAWS && catalog != CatalogSandbox) {
		return apierr.RequestInvalid(apierr.FieldError{FieldName: "resourceArn", Code: apierr.CodeInvalidValue,
			Message: "Only partner resources (arn:aws:partnercentral:{region}:{account}:catalog/{catalog}/partner/{id}) can be tagged."})
	}
	d, err := docstore.Get[partnerRecord](ctx, r, kindPartner, catalog, id, func() error { return partnerNotFound(arn) })
	if err != nil {
		return err
	}
	if d.Value.Arn != arn { // another region's, or another account's id under ours
		return partnerNotFound(arn)
	}
	return nil
}

// TagResource adds or overwrites tags on the caller's partner.
func (s *Service) TagResource(ctx context.Context, account string, in *api.TagResourceRequest) (*api.TagResourceResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := taggedPartner(ctx, tx, account, in.ResourceArn); err != nil {
			return err
		}
		return docstore.PutTags(ctx, tx, account, in.ResourceArn, store.TagsOf(in.Tags), docstore.TooManyTags)
	})
	if err != nil {
		return nil, err
	}
	return &api.TagResourceResponse{}, nil
}

// UntagResource removes tag keys from the caller's partner; keys it does
// not carry are ignored.
func (s *Service) UntagResource(ctx context.Context, account string, in *api.UntagResourceRequest) (*api.UntagResourceResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := taggedPartner(ctx, tx, account, in.ResourceArn); err != nil {
			return err
		}
		return tx.RemoveTags(ctx, account, in.ResourceArn, in.TagKeys)
	})
	if err != nil {
		return nil, err
	}
	return &api.UntagResourceResponse{}, nil
}

// ListTagsForResource lists the tags of the caller's partner.
func (s *Service) ListTagsForResource(ctx context.Context, account string, in *api.ListTagsForResourceRequest) (*api.ListTagsForResourceResponse, error) {
	if err := taggedPartner(ctx, s.store, account, in.ResourceArn); err != nil {
		return nil, err
	}
	tags, err := s.store.ListTags(ctx, account, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	out := &api.ListTagsForResourceResponse{ResourceArn: in.ResourceArn, Tags: make([]api.Tag, len(tags))}
	for i, t := range tags {
		out.Tags[i] = api.Tag{Key: t.Key, Value: t.Value}
	}
	return out, nil
}
