package account

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// kindVisibilityLog is the document that remembers a partner's recent
// visibility changes, for the daily quota.
const kindVisibilityLog = "profile-visibility-log"

// visibilityChangesPerDay is the quota on PutProfileVisibility (§5.3).
const visibilityChangesPerDay = 5

// visibilityLog holds the times of one partner's visibility changes within
// the quota window; older ones are dropped on every write, so it stays at
// most visibilityChangesPerDay long.
type visibilityLog struct {
	PartnerId string      `json:"partnerId"`
	CreatedAt time.Time   `json:"createdAt"`
	Changes   []time.Time `json:"changes"`
}

func (v *visibilityLog) DocID() string                { return v.PartnerId }
func (v *visibilityLog) DocCreated() time.Time        { return v.CreatedAt }
func (v *visibilityLog) DocKeys() map[string][]string { return nil }

// GetProfileVisibility returns whether the caller's profile is PUBLIC or
// PRIVATE.
func (s *Service) GetProfileVisibility(ctx context.Context, account string, in *api.GetProfileVisibilityRequest) (*api.GetProfileVisibilityResponse, error) {
	p, err := s.identifiedPartner(ctx, s.store, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	out, err := visibilityOf(p.Value)
	if err != nil {
		return nil, err
	}
	return (*api.GetProfileVisibilityResponse)(out), nil
}

// PutProfileVisibility sets the caller's profile PUBLIC or PRIVATE, apart
// from its content. Every accepted call counts toward the daily quota,
// including one that repeats the current value: AWS's quotas count
// requests, and nothing says an unchanged value is exempt.
func (s *Service) PutProfileVisibility(ctx context.Context, account string, in *api.PutProfileVisibilityRequest) (*api.PutProfileVisibilityResponse, error) {
	var out *api.PutProfileVisibilityResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		p, err := s.identifiedPartner(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return err
		}
		if err := s.countVisibilityChange(ctx, tx, p.Value); err != nil {
			return err
		}
		p.Value.Visibility = in.Visibility
		if _, err := savePartner(ctx, tx, p); err != nil {
			return err
		}
		out, err = visibilityOf(p.Value)
		return err
	})
	return out, err
}

// countVisibilityChange records one change now, or refuses it when the
// partner already made the day's quota of changes.
func (s *Service) countVisibilityChange(ctx context.Context, tx store.Tx, p *partnerRecord) error {
	now := s.now()
	d, err := docstore.Get[visibilityLog](ctx, tx, kindVisibilityLog, p.Catalog, p.Id, func() error { return nil })
	if err != nil {
		return err
	}
	if d.Value == nil {
		d.Value = &visibilityLog{PartnerId: p.Id, CreatedAt: now}
	}
	recent := d.Value.Changes[:0]
	for _, at := range d.Value.Changes {
		if now.Sub(at) < quotaWindow {
			recent = append(recent, at)
		}
	}
	if len(recent) >= visibilityChangesPerDay {
		return dailyQuotaExceeded("profile visibility changes", visibilityChangesPerDay, api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfProfileVisibilityUpdatePerDay)
	}
	d.Value.Changes = append(recent, now)
	_, err = docstore.Put(ctx, tx, kindVisibilityLog, p.Catalog, d.Value, d.Version)
	return err
}

// visibilityOf is the visibility answer for a partner; Get and Put share
// the shape (PutProfileVisibilityResponse converts to it).
func visibilityOf(p *partnerRecord) (*api.PutProfileVisibilityResponse, error) {
	id, err := profileID(p)
	if err != nil {
		return nil, err
	}
	return &api.PutProfileVisibilityResponse{Catalog: p.Catalog, Arn: p.Arn, Id: p.Id, Visibility: p.Visibility, ProfileId: id}, nil
}
