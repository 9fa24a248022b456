package selling

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// snapshotOutput is GetResourceSnapshot's answer with the payload as stored
// (its view keeps empty related-entity lists as []).
type snapshotOutput struct {
	api.GetResourceSnapshotResponse
	Payload *snapshotPayload `json:"Payload,omitempty"`
}

// GetResourceSnapshot returns one revision, the latest when Revision is
// omitted, to a member of the engagement allowed to read the template.
func (s *Service) GetResourceSnapshot(ctx context.Context, account string, in *api.GetResourceSnapshotRequest) (*snapshotOutput, error) {
	if _, err := memberEngagement(ctx, s.store, in.Catalog, in.EngagementIdentifier, account); err != nil {
		return nil, err
	}
	v := snapshotView{Engagement: in.EngagementIdentifier, ResourceType: in.ResourceType, ResourceId: in.ResourceIdentifier, Template: in.ResourceSnapshotTemplateIdentifier}
	snap, err := readSnapshot(ctx, s.store, in.Catalog, v, in.Revision)
	if err != nil {
		return nil, err
	}
	if ownerOnly(v.Template) && snap.CreatedBy != account {
		return nil, apierr.AccessDenied("Only the creator of a %s snapshot can read it.", v.Template)
	}
	return &snapshotOutput{
		GetResourceSnapshotResponse: api.GetResourceSnapshotResponse{
			Catalog: snap.Catalog, Arn: &snap.Arn, CreatedBy: &snap.CreatedBy, CreatedAt: &snap.CreatedAt,
			EngagementId: &v.Engagement, ResourceType: &v.ResourceType, ResourceId: &v.ResourceId,
			ResourceSnapshotTemplateName: &v.Template, Revision: &snap.Revision,
		},
		Payload: &snap.Payload,
	}, nil
}

// readSnapshot reads a revision of a view, or its latest for nil.
func readSnapshot(ctx context.Context, r store.Reader, catalog string, v snapshotView, revision *int32) (*snapshotRecord, error) {
	if revision != nil {
		d, err := docstore.Get[snapshotRecord](ctx, r, kindSnapshot, catalog, snapshotID(v, *revision), snapshotNotFound(v))
		return d.Value, err
	}
	snap, err := latestSnapshot(ctx, r, catalog, v)
	if err == nil && snap == nil {
		err = snapshotNotFound(v)()
	}
	return snap, err
}

// ListResourceSnapshots lists an engagement's snapshots, oldest first, to a
// member: every member's shared templates and the caller's own owner-only
// ones.
func (s *Service) ListResourceSnapshots(ctx context.Context, account string, in *api.ListResourceSnapshotsRequest) (*api.ListResourceSnapshotsResponse, error) {
	if _, err := memberEngagement(ctx, s.store, in.Catalog, in.EngagementIdentifier, account); err != nil {
		return nil, err
	}
	binding, err := pagetoken.Binding(account, in.Catalog, "ListResourceSnapshots", in, func(r *api.ListResourceSnapshotsRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	q := store.DocumentQuery{Kind: kindSnapshot, Catalog: in.Catalog, Match: keyFilter(map[string][]string{
		"engagement":   {in.EngagementIdentifier},
		"reader":       {everyMember, account},
		"resourceType": asStrings(optionalList(in.ResourceType)),
		"resourceId":   optionalList(in.ResourceIdentifier),
		"template":     optionalList(in.ResourceSnapshotTemplateIdentifier),
		"createdBy":    optionalList(in.CreatedBy),
	})}
	snaps, next, err := documentPage[snapshotRecord](ctx, s, binding, in.NextToken, limitOr(in.MaxResults, defaultSnapshotPage), q)
	if err != nil {
		return nil, err
	}
	out := &api.ListResourceSnapshotsResponse{ResourceSnapshotSummaries: make([]api.ResourceSnapshotSummary, len(snaps)), NextToken: next}
	for i, snap := range snaps {
		out.ResourceSnapshotSummaries[i] = api.ResourceSnapshotSummary{
			Arn: &snap.Arn, Revision: &snap.Revision, ResourceType: &snap.View.ResourceType, ResourceId: &snap.View.ResourceId,
			ResourceSnapshotTemplateName: &snap.View.Template, CreatedBy: &snap.CreatedBy,
		}
	}
	return out, nil
}

// optionalList is a filter's one value, or none when the filter is absent.
func optionalList[T any](p *T) []T {
	if p == nil {
		return nil
	}
	return []T{*p}
}
