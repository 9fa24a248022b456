package selling

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// partnerFields are the members a partner writes with Create/UpdateOpportunity.
// An update replaces all of them: an omitted member becomes null.
type partnerFields struct {
	PrimaryNeedsFromAws          []api.PrimaryNeedFromAws
	NationalSecurity             *api.NationalSecurity
	PartnerOpportunityIdentifier *string
	Customer                     *api.Customer
	Project                      *api.Project
	OpportunityType              *api.OpportunityType
	Marketing                    *api.Marketing
	SoftwareRevenue              *api.SoftwareRevenue
	LifeCycle                    *api.LifeCycle
}

// CreateOpportunity creates an opportunity in Pending Submission.
func (s *Service) CreateOpportunity(ctx context.Context, account string, in *api.CreateOpportunityRequest) (*api.CreateOpportunityResponse, error) {
	scope := scopeOf(account, in.Catalog)
	origin := deref(in.Origin)
	if origin == "" {
		origin = api.OpportunityOriginPartnerReferral
	}
	if origin == api.OpportunityOriginAwsReferral && in.Catalog != CatalogSandbox {
		return nil, apierr.BusinessInvalid("Origin AWS Referral can be used only in the Sandbox catalog.", apierr.FieldError{
			FieldName: "origin", Code: apierr.CodeInvalidValue,
			Message: "Only Partner Referral opportunities can be created in the AWS catalog.",
		})
	}
	if err := selfEntryRequired(in.Project); err != nil {
		return nil, err
	}
	return idempotency.Run(ctx, s.store, s.now(), scope, "CreateOpportunity", in.ClientToken, in, func(tx store.Tx) (*api.CreateOpportunityResponse, error) {
		return s.createOpportunity(ctx, tx, scope, origin, in)
	})
}

func (s *Service) createOpportunity(ctx context.Context, tx store.Tx, scope store.Scope, origin api.OpportunityOrigin, in *api.CreateOpportunityRequest) (*api.CreateOpportunityResponse, error) {
	rec, err := s.insertOpportunity(ctx, tx, scope, newOpportunity{
		origin: origin, reviewStatus: api.ReviewStatusPendingSubmission, fields: fieldsOfCreate(in), team: in.OpportunityTeam,
	})
	if err != nil {
		return nil, err
	}
	if err := s.referFromAws(ctx, tx, scope, rec); err != nil {
		return nil, err
	}
	o := &rec.Opportunity
	if len(in.Tags) > 0 {
		if err := tx.PutTags(ctx, scope.Account, *o.Arn, store.TagsOf(in.Tags)); err != nil {
			return nil, internal("tag opportunity", err)
		}
	}
	return &api.CreateOpportunityResponse{Id: o.Id, PartnerOpportunityIdentifier: o.PartnerOpportunityIdentifier, LastModifiedDate: &o.LastModifiedDate}, nil
}

// newOpportunity is what an opportunity starts from: a partner's
// CreateOpportunity, an accepted invitation or a converted lead.
type newOpportunity struct {
	origin          api.OpportunityOrigin
	reviewStatus    api.ReviewStatus
	followsReviewOf string // see record.FollowsReviewOf
	fields          partnerFields
	team            []api.Contact
}

// insertOpportunity creates an opportunity in scope, under the business
// rules, with the next opportunity number.
func (s *Service) insertOpportunity(ctx context.Context, tx store.Tx, scope store.Scope, n newOpportunity) (*record, error) {
	num, err := tx.NextOpportunityNumber(ctx)
	if err != nil {
		return nil, internal("next opportunity number", err)
	}
	now := s.now()
	id := fmt.Sprintf("O%d", num)
	rec := &record{Origin: n.origin, FollowsReviewOf: n.followsReviewOf}
	o := &rec.Opportunity
	o.Catalog, o.Id, o.Arn = scope.Catalog, id, ptr(s.opportunityArn(scope, id))
	o.CreatedDate, o.LastModifiedDate = now, now
	o.OpportunityTeam = n.team
	o.LifeCycle = &api.LifeCycle{ReviewStatus: ptr(n.reviewStatus)}
	rec.replacePartnerFields(n.fields, now)
	if errs := s.checkRules(rec); len(errs) > 0 {
		return nil, businessInvalid(errs)
	}
	row, err := rec.row(scope)
	if err != nil {
		return nil, internal("encode opportunity", err)
	}
	if err := tx.InsertOpportunity(ctx, row); err != nil {
		return nil, internal("insert opportunity", err)
	}
	if err := s.opportunityCreated(ctx, tx, scope, id); err != nil {
		return nil, err
	}
	return rec, nil
}

func fieldsOfCreate(in *api.CreateOpportunityRequest) partnerFields {
	return partnerFields{
		PrimaryNeedsFromAws: in.PrimaryNeedsFromAws, NationalSecurity: in.NationalSecurity,
		PartnerOpportunityIdentifier: in.PartnerOpportunityIdentifier, Customer: in.Customer, Project: in.Project,
		OpportunityType: in.OpportunityType, Marketing: in.Marketing, SoftwareRevenue: in.SoftwareRevenue, LifeCycle: in.LifeCycle,
	}
}

func fieldsOfUpdate(in *api.UpdateOpportunityRequest) partnerFields {
	return partnerFields{
		PrimaryNeedsFromAws: in.PrimaryNeedsFromAws, NationalSecurity: in.NationalSecurity,
		PartnerOpportunityIdentifier: in.PartnerOpportunityIdentifier, Customer: in.Customer, Project: in.Project,
		OpportunityType: in.OpportunityType, Marketing: in.Marketing, SoftwareRevenue: in.SoftwareRevenue, LifeCycle: in.LifeCycle,
	}
}

// keepDealSizing is deal sizing's exception to UpdateOpportunity's full
// replace (DG working-with-deal-sizing-insights): an update that leaves
// ExpectedContractDuration out keeps the stored one ("no change"), and one
// that gives a duration without a Self spend entry keeps the stored Self
// entry ("reconstructed"). AWS clears the duration on an explicit null,
// which the decoded request cannot tell from an omission; cosell keeps it.
func keepDealSizing(f partnerFields, rec *record) partnerFields {
	stored := deref(rec.Opportunity.Project)
	if f.Project == nil {
		return f
	}
	p := *f.Project
	if p.ExpectedContractDuration == nil {
		p.ExpectedContractDuration = stored.ExpectedContractDuration
	}
	if p.ExpectedContractDuration != nil && selfEntry(p.ExpectedCustomerSpend) < 0 {
		if i := selfEntry(stored.ExpectedCustomerSpend); i >= 0 {
			p.ExpectedCustomerSpend = append(slices.Clone(p.ExpectedCustomerSpend), stored.ExpectedCustomerSpend[i])
		}
	}
	f.Project = &p
	return f
}

// selfEntry is the index of the partner's own (Self) spend entry, or -1.
func selfEntry(spend []api.ExpectedCustomerSpend) int {
	return slices.IndexFunc(spend, func(e api.ExpectedCustomerSpend) bool { return e.TargetCompany == "Self" })
}

// GetOpportunity returns one opportunity of the caller's catalog, as the
// stored answer (see record.MarshalJSON).
func (s *Service) GetOpportunity(ctx context.Context, account string, in *api.GetOpportunityRequest) (*storedJSON, error) {
	if err := s.decideDueReviews(ctx, scopeOf(account, in.Catalog)); err != nil {
		return nil, err
	}
	row, err := s.store.GetOpportunity(ctx, scopeOf(account, in.Catalog), in.Identifier)
	if errors.Is(err, store.ErrNotFound) {
		return nil, opportunityNotFound(in.Identifier)
	}
	if err != nil {
		return nil, internal("get opportunity", err)
	}
	opp, err := storedOpportunity(row.Doc)
	if err != nil {
		return nil, internal("decode opportunity", err)
	}
	out := storedJSON(opp)
	return &out, nil
}

// UpdateOpportunity replaces the partner's fields of an opportunity, guarded
// by LastModifiedDate. In the Sandbox a change of LifeCycle.ReviewStatus
// instead simulates AWS's review (see simulateReview).
func (s *Service) UpdateOpportunity(ctx context.Context, account string, in *api.UpdateOpportunityRequest) (*api.UpdateOpportunityResponse, error) {
	scope := scopeOf(account, in.Catalog)
	var modified time.Time
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var reviewed *record // set when the update simulates AWS's review
		var err error
		modified, err = s.mutateTx(ctx, tx, scope, in.Identifier, func(_ store.Tx, rec *record, now time.Time) error {
			if !in.LastModifiedDate.Equal(rec.Opportunity.LastModifiedDate) {
				return staleWrite(in.Identifier)
			}
			if target, ok := requestedReviewStatus(in, rec); ok {
				reviewed = rec
				return s.simulateReview(scope, rec, target, in.LifeCycle)
			}
			return s.applyPartnerUpdate(rec, keepDealSizing(fieldsOfUpdate(in), rec), now)
		})
		if err != nil || reviewed == nil {
			return err
		}
		// A simulated review has the effects of AWS's (see reviewTx).
		if err := s.settleAwsInvitation(ctx, tx, scope, in.Identifier, *reviewed.Opportunity.LifeCycle); err != nil {
			return err
		}
		if reviewed.reviewStatus() == api.ReviewStatusApproved {
			err = s.approveFollowers(ctx, tx, scope, reviewed)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &api.UpdateOpportunityResponse{Id: in.Identifier, LastModifiedDate: modified}, nil
}

// mutate is every write to an existing opportunity: load it in a
// transaction, let change edit it, stamp a new LastModifiedDate and save it
// with a compare-and-swap on the old one. It returns the new LastModifiedDate.
func (s *Service) mutate(ctx context.Context, scope store.Scope, id string, change func(tx store.Tx, rec *record, now time.Time) error) (time.Time, error) {
	var modified time.Time
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		modified, err = s.mutateTx(ctx, tx, scope, id, change)
		return err
	})
	return modified, err
}

// mutateTx is mutate inside a transaction the caller runs, for operations
// that change an opportunity as one step of a larger change (tasks).
func (s *Service) mutateTx(ctx context.Context, tx store.Tx, scope store.Scope, id string, change func(tx store.Tx, rec *record, now time.Time) error) (time.Time, error) {
	row, rec, err := loadOpportunity(ctx, tx, scope, id)
	if err != nil {
		return time.Time{}, err
	}
	now := s.nextModified(row.LastModifiedDate)
	if err := change(tx, rec, now); err != nil {
		return time.Time{}, err
	}
	rec.touch(now)
	if err := s.save(ctx, tx, scope, rec, row.LastModifiedDate); err != nil {
		return time.Time{}, err
	}
	if err := s.opportunityUpdated(ctx, tx, scope, id); err != nil {
		return time.Time{}, err
	}
	if err := s.opportunityChanged(ctx, tx, scope, rec); err != nil {
		return time.Time{}, err
	}
	return now, nil
}

// save writes rec back if nobody else wrote since expected.
func (s *Service) save(ctx context.Context, tx store.Tx, scope store.Scope, rec *record, expected time.Time) error {
	row, err := rec.row(scope)
	if err != nil {
		return internal("encode opportunity", err)
	}
	switch err := tx.UpdateOpportunity(ctx, row, expected); {
	case errors.Is(err, store.ErrStale):
		return staleWrite(row.ID)
	case errors.Is(err, store.ErrNotFound):
		return opportunityNotFound(row.ID)
	case err != nil:
		return internal("update opportunity", err)
	}
	return nil
}

func staleWrite(id string) error {
	return apierr.Conflict("Opportunity %s was modified since the LastModifiedDate in the request. Fetch the latest version with GetOpportunity and retry.", id)
}
