package selling

import (
	"context"
	"fmt"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// snapshotJobRecord is a resource snapshot job: an account's standing order
// to snapshot its resource into an engagement whenever the resource changes.
type snapshotJobRecord struct {
	Id                          string                        `json:"id"`
	Arn                         string                        `json:"arn"`
	Catalog                     string                        `json:"catalog"`
	Owner                       string                        `json:"owner"`
	View                        snapshotView                  `json:"view"`
	ResourceArn                 string                        `json:"resourceArn"`
	CreatedAt                   time.Time                     `json:"createdAt"`
	Status                      api.ResourceSnapshotJobStatus `json:"status"`
	LastSuccessfulExecutionDate *time.Time                    `json:"lastSuccessfulExecutionDate,omitempty"`
	LastFailure                 *string                       `json:"lastFailure,omitempty"`
	// Deleted jobs stay as tombstones (the store has no delete) with no
	// keys, so no listing or run finds them.
	Deleted bool `json:"deleted,omitempty"`
}

func (j *snapshotJobRecord) DocID() string         { return j.Id }
func (j *snapshotJobRecord) DocCreated() time.Time { return j.CreatedAt }

// keys serve ListResourceSnapshotJobs ("owner", "engagement", "status") and
// the lookup of the jobs an opportunity write must run ("runsOn").
func (j *snapshotJobRecord) DocKeys() map[string][]string {
	if j.Deleted {
		return nil
	}
	k := map[string][]string{"owner": {j.Owner}, "engagement": {j.View.Engagement}, "status": {string(j.Status)}}
	if j.Status == api.ResourceSnapshotJobStatusRunning {
		k["runsOn"] = []string{runsOn(j.Owner, j.View.ResourceType, j.View.ResourceId)}
	}
	return k
}

// runsOn names an account's resource for the "runsOn" key.
func runsOn(owner string, resourceType api.ResourceType, resourceID string) string {
	return owner + "/" + string(resourceType) + "/" + resourceID
}

func (s *Service) snapshotJobArn(account, catalog, id string) string {
	return fmt.Sprintf("arn:aws:partnercentral:%s:%s:catalog/%s/resource-snapshot-job/%s", s.region, account, catalog, id)
}

// loadSnapshotJob reads a job of the caller. Jobs belong to their creator's
// account (their ARN carries it); another account's job is AccessDenied, as
// IAM answers for a resource of another account.
func loadSnapshotJob(ctx context.Context, r store.Reader, scope store.Scope, id string) (docstore.Doc[snapshotJobRecord], error) {
	notFound := func() error { return apierr.NotFound("Resource snapshot job %s does not exist.", id) }
	d, err := docstore.Get[snapshotJobRecord](ctx, r, kindSnapshotJob, scope.Catalog, id, notFound)
	if err != nil {
		return d, err
	}
	if d.Value.Deleted {
		return d, notFound()
	}
	if d.Value.Owner != scope.Account {
		return d, apierr.AccessDenied("User is not authorized to access resource snapshot job %s.", id)
	}
	return d, nil
}

// CreateResourceSnapshotJob creates a Stopped job: the real capture shows a
// fresh job Stopped until StartResourceSnapshotJob.
func (s *Service) CreateResourceSnapshotJob(ctx context.Context, account string, in *api.CreateResourceSnapshotJobRequest) (*api.CreateResourceSnapshotJobResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "CreateResourceSnapshotJob", in.ClientToken, in, func(tx store.Tx) (*api.CreateResourceSnapshotJobResponse, error) {
		job, err := s.createSnapshotJob(ctx, tx, account, in.Catalog, in.EngagementIdentifier, in.ResourceType, in.ResourceIdentifier, in.ResourceSnapshotTemplateIdentifier)
		if err != nil {
			return nil, err
		}
		if len(in.Tags) > 0 {
			if err := tx.PutTags(ctx, account, job.Arn, store.TagsOf(in.Tags)); err != nil {
				return nil, internal("tag resource snapshot job", err)
			}
		}
		return &api.CreateResourceSnapshotJobResponse{Id: &job.Id, Arn: &job.Arn}, nil
	})
}

// createSnapshotJob is CreateResourceSnapshotJob without client token and
// tags, for tasks. The checks are those of a direct snapshot: a member of
// the engagement, snapshotting its own opportunity with a known template.
func (s *Service) createSnapshotJob(ctx context.Context, tx store.Tx, account, catalog, engagementID string, resourceType api.ResourceType, resourceID, template string) (*snapshotJobRecord, error) {
	if _, err := memberEngagement(ctx, tx, catalog, engagementID, account); err != nil {
		return nil, err
	}
	scope := scopeOf(account, catalog)
	_, rec, err := loadOpportunity(ctx, tx, scope, resourceID)
	if err != nil {
		return nil, err
	}
	if _, err := templatePayload(template, rec); err != nil {
		return nil, err
	}
	id := docstore.NewID("job-", 13)
	job := &snapshotJobRecord{
		Id: id, Arn: s.snapshotJobArn(account, catalog, id), Catalog: catalog, Owner: account,
		View:        snapshotView{Engagement: engagementID, ResourceType: resourceType, ResourceId: resourceID, Template: template},
		ResourceArn: s.opportunityArn(scope, resourceID), CreatedAt: s.now(), Status: api.ResourceSnapshotJobStatusStopped,
	}
	if _, err := docstore.Put(ctx, tx, kindSnapshotJob, catalog, job, 0); err != nil {
		return nil, err
	}
	return job, nil
}

// GetResourceSnapshotJob returns one of the caller's jobs.
func (s *Service) GetResourceSnapshotJob(ctx context.Context, account string, in *api.GetResourceSnapshotJobRequest) (*api.GetResourceSnapshotJobResponse, error) {
	d, err := loadSnapshotJob(ctx, s.store, scopeOf(account, in.Catalog), in.ResourceSnapshotJobIdentifier)
	if err != nil {
		return nil, err
	}
	j := d.Value
	return &api.GetResourceSnapshotJobResponse{
		Catalog: j.Catalog, Id: &j.Id, Arn: &j.Arn, EngagementId: &j.View.Engagement,
		ResourceType: &j.View.ResourceType, ResourceId: &j.View.ResourceId, ResourceArn: &j.ResourceArn,
		ResourceSnapshotTemplateName: &j.View.Template, CreatedAt: &j.CreatedAt, Status: &j.Status,
		LastSuccessfulExecutionDate: j.LastSuccessfulExecutionDate, LastFailure: j.LastFailure,
	}, nil
}

// StartResourceSnapshotJob sets a Stopped job Running.
func (s *Service) StartResourceSnapshotJob(ctx context.Context, account string, in *api.StartResourceSnapshotJobRequest) (*struct{}, error) {
	return nil, s.store.Update(ctx, func(tx store.Tx) error {
		return s.startSnapshotJob(ctx, tx, account, in.Catalog, in.ResourceSnapshotJobIdentifier)
	})
}

// startSnapshotJob is StartResourceSnapshotJob inside the caller's
// transaction, for tasks. Starting takes no snapshot: a Running job acts on
// the opportunity's next change.
func (s *Service) startSnapshotJob(ctx context.Context, tx store.Tx, account, catalog, jobID string) error {
	scope := scopeOf(account, catalog)
	if err := s.switchSnapshotJob(ctx, tx, scope, jobID, api.ResourceSnapshotJobStatusRunning); err != nil {
		return err
	}
	// A started job runs once at once: a resource with no snapshot yet, or
	// one changed while the job was stopped, gets its revision now rather
	// than at some later write.
	d, err := loadSnapshotJob(ctx, tx, scope, jobID)
	if err != nil {
		return err
	}
	_, rec, err := loadOpportunity(ctx, tx, scope, d.Value.View.ResourceId)
	if err != nil {
		return err
	}
	return s.runSnapshotJob(ctx, tx, scope, jobID, rec)
}

// StopResourceSnapshotJob sets a Running job Stopped.
func (s *Service) StopResourceSnapshotJob(ctx context.Context, account string, in *api.StopResourceSnapshotJobRequest) (*struct{}, error) {
	return nil, s.store.Update(ctx, func(tx store.Tx) error {
		return s.switchSnapshotJob(ctx, tx, scopeOf(account, in.Catalog), in.ResourceSnapshotJobIdentifier, api.ResourceSnapshotJobStatusStopped)
	})
}

// switchSnapshotJob moves a job to status from the other one. A job
// already there is a ValidationException (INVALID_RESOURCE_STATE): the
// model documents "The job must be started prior to being stopped" and
// lists no ConflictException for Start or Stop, so an SDK could not decode
// one.
func (s *Service) switchSnapshotJob(ctx context.Context, tx store.Tx, scope store.Scope, id string, to api.ResourceSnapshotJobStatus) error {
	d, err := loadSnapshotJob(ctx, tx, scope, id)
	if err != nil {
		return err
	}
	if d.Value.Status == to {
		return apierr.BusinessInvalid(fmt.Sprintf("Resource snapshot job %s is already %s.", id, to), apierr.FieldError{
			FieldName: "resourceSnapshotJobIdentifier", Code: apierr.CodeInvalidResourceState, Message: "The job is " + string(to) + ".",
		})
	}
	d.Value.Status = to
	_, err = docstore.Put(ctx, tx, kindSnapshotJob, scope.Catalog, d.Value, d.Version)
	return err
}

// DeleteResourceSnapshotJob deletes a Stopped job and its tags. A Running
// job is a ConflictException: the model requires "a stopped state before it
// can be deleted" and lists ConflictException for this operation only.
func (s *Service) DeleteResourceSnapshotJob(ctx context.Context, account string, in *api.DeleteResourceSnapshotJobRequest) (*struct{}, error) {
	scope := scopeOf(account, in.Catalog)
	return nil, s.store.Update(ctx, func(tx store.Tx) error {
		d, err := loadSnapshotJob(ctx, tx, scope, in.ResourceSnapshotJobIdentifier)
		if err != nil {
			return err
		}
		j := d.Value
		if j.Status != api.ResourceSnapshotJobStatusStopped {
			return apierr.Conflict("Resource snapshot job %s is %s; stop it before deleting it.", j.Id, j.Status)
		}
		j.Deleted = true
		if _, err := docstore.Put(ctx, tx, kindSnapshotJob, scope.Catalog, j, d.Version); err != nil {
			return err
		}
		tags, err := tx.ListTags(ctx, account, j.Arn)
		if err != nil {
			return internal("list tags", err)
		}
		keys := make([]string, len(tags))
		for i, t := range tags {
			keys[i] = t.Key
		}
		if err := tx.RemoveTags(ctx, account, j.Arn, keys); err != nil {
			return internal("remove tags", err)
		}
		return nil
	})
}
