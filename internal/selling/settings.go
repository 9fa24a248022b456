package selling

import (
	"context"
	"errors"
	"strings"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/store"
)

const settingSnapshotJobRole = "ResourceSnapshotJobRoleArn"

// GetSellingSystemSettings returns the catalog's settings.
func (s *Service) GetSellingSystemSettings(ctx context.Context, account string, in *api.GetSellingSystemSettingsRequest) (*api.GetSellingSystemSettingsResponse, error) {
	role, err := s.store.GetSetting(ctx, scopeOf(account, in.Catalog), settingSnapshotJobRole)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, internal("get setting", err)
	}
	out := &api.GetSellingSystemSettingsResponse{Catalog: in.Catalog}
	if role != "" {
		out.ResourceSnapshotJobRoleArn = &role
	}
	return out, nil
}

// PutSellingSystemSettings sets the role resource snapshot jobs run as. A
// bare role name is completed to the caller's role ARN, as AWS does.
func (s *Service) PutSellingSystemSettings(ctx context.Context, account string, in *api.PutSellingSystemSettingsRequest) (*api.PutSellingSystemSettingsResponse, error) {
	scope := scopeOf(account, in.Catalog)
	role := deref(in.ResourceSnapshotJobRoleIdentifier)
	if role != "" && !strings.HasPrefix(role, "arn:") {
		role = "arn:aws:iam::" + account + ":role/" + role
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutSetting(ctx, scope, settingSnapshotJobRole, role); err != nil {
			return internal("put setting", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &api.PutSellingSystemSettingsResponse{Catalog: in.Catalog}
	if role != "" {
		out.ResourceSnapshotJobRoleArn = &role
	}
	return out, nil
}
