package docstore

import (
	"context"
	"fmt"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// PutTags adds or overwrites tags on a resource unless it would then carry
// more than store.MaxTagsPerResource; then it returns tooMany(n) for the n
// tags it would have had, each service reporting the limit its own way.
func PutTags(ctx context.Context, tx store.Tx, account, arn string, tags []store.Tag, tooMany func(n int) error) error {
	if len(tags) == 0 {
		return nil
	}
	existing, err := tx.ListTags(ctx, account, arn)
	if err != nil {
		return err
	}
	if n := store.TagCountAfterPut(existing, tags); n > store.MaxTagsPerResource {
		return tooMany(n)
	}
	return tx.PutTags(ctx, account, arn, tags)
}

// TooManyTags is the tag limit as a request ValidationException on "tags",
// the form of the Account, Benefits and Channel APIs.
func TooManyTags(n int) error {
	return apierr.RequestInvalid(apierr.FieldError{FieldName: "tags", Code: apierr.CodeTooManyValues,
		Message: fmt.Sprintf("A resource can have at most %d tags; this request would leave %d.", store.MaxTagsPerResource, n)})
}
