package account

import (
	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/store"
)

func storeTags(tags []api.Tag) []store.Tag {
	out := make([]store.Tag, len(tags))
	for i, t := range tags {
		out[i] = store.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}
