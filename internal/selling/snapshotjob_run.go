package selling

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// opportunityChanged runs the owner's Running snapshot jobs on an
// opportunity just written in tx. Without jobs it costs one query.
func (s *Service) opportunityChanged(ctx context.Context, tx store.Tx, scope store.Scope, rec *record) error {
	jobs, _, err := docstore.List[snapshotJobRecord](ctx, tx, store.DocumentQuery{
		Kind: kindSnapshotJob, Catalog: scope.Catalog,
		Match: map[string][]string{"runsOn": {runsOn(scope.Account, api.ResourceTypeOpportunity, rec.Opportunity.Id)}},
	})
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if err := s.runSnapshotJob(ctx, tx, scope, j.Id, rec); err != nil {
			return err
		}
	}
	return nil
}

// runSnapshotJob writes a new revision when the template's view of rec
// differs from the latest one ("The job creates a new snapshot only if the
// resource state has changed"). A run the rules refuse — the owner is no
// longer a member, the engagement is gone — is the job's LastFailure, not
// the opportunity write's: AWS runs jobs asynchronously.
func (s *Service) runSnapshotJob(ctx context.Context, tx store.Tx, scope store.Scope, id string, rec *record) error {
	d, err := loadSnapshotJob(ctx, tx, scope, id)
	if err != nil {
		return err
	}
	job := d.Value
	if err := s.snapshotIfChanged(ctx, tx, job, rec); err == nil {
		job.LastSuccessfulExecutionDate, job.LastFailure = ptr(s.now()), nil
	} else if e, ok := apierr.As(err); ok {
		job.LastFailure = &e.Message
	} else {
		return err
	}
	_, err = docstore.Put(ctx, tx, kindSnapshotJob, job.Catalog, job, d.Version)
	return err
}

func (s *Service) snapshotIfChanged(ctx context.Context, tx store.Tx, job *snapshotJobRecord, rec *record) error {
	eng, err := memberEngagement(ctx, tx, job.Catalog, job.View.Engagement, job.Owner)
	if err != nil {
		return err
	}
	payload, err := templatePayload(job.View.Template, rec)
	if err != nil {
		return err
	}
	prev, err := latestSnapshot(ctx, tx, job.Catalog, job.View)
	if err != nil {
		return err
	}
	if prev != nil {
		if same, err := samePayload(&prev.Payload, payload); err != nil || same {
			return err
		}
	}
	_, err = s.writeSnapshot(ctx, tx, eng, job.Owner, rec, job.View, payload, prev)
	return err
}
