package selling

import (
	"bytes"
	"encoding/json"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

// Snapshot templates: the views of an opportunity a snapshot copies.
const (
	// templateOpportunitySummaryView is what snapshot jobs and events use.
	templateOpportunitySummaryView = "OpportunitySummaryView"
	// templateOpportunity is the name AWS's own samples snapshot with; its
	// payload is the same OpportunitySummary view (real GetResourceSnapshot).
	templateOpportunity = "Opportunity"
	// templateAwsOpportunitySummaryFullView is AWS's side of the opportunity,
	// readable only by the snapshot's creator.
	templateAwsOpportunitySummaryFullView = "AwsOpportunitySummaryFullView"
)

// snapshotPayload is ResourceSnapshotPayload as stored and answered.
type snapshotPayload struct {
	OpportunitySummary            *opportunityView                   `json:"OpportunitySummary,omitempty"`
	AwsOpportunitySummaryFullView *api.AwsOpportunitySummaryFullView `json:"AwsOpportunitySummaryFullView,omitempty"`
}

// opportunityView is OpportunitySummaryView with its related-entity lists
// always present: the real capture shows empty ones as [].
type opportunityView struct {
	api.OpportunitySummaryView
	RelatedEntityIdentifiers relatedEntities `json:"RelatedEntityIdentifiers"`
}

// templatePayload copies the template's fields out of rec. An unknown
// template is a validation error: the model says the name "must correspond
// to an existing and valid template for the specified ResourceType", and
// AWS reports such business checks as ValidationException.
func templatePayload(template string, rec *record) (*snapshotPayload, error) {
	switch template {
	case templateOpportunitySummaryView, templateOpportunity:
		return &snapshotPayload{OpportunitySummary: summaryViewOf(rec)}, nil
	case templateAwsOpportunitySummaryFullView:
		return &snapshotPayload{AwsOpportunitySummaryFullView: fullViewOf(awsSummaryOf(rec))}, nil
	}
	return nil, apierr.BusinessInvalid("The resource snapshot template "+template+" does not exist for resource type Opportunity.", apierr.FieldError{
		FieldName: "resourceSnapshotTemplateIdentifier", Code: apierr.CodeInvalidValue,
		Message: "Use one of " + templateOpportunitySummaryView + ", " + templateAwsOpportunitySummaryFullView + " or " + templateOpportunity + ".",
	})
}

// ownerOnly reports whether only a snapshot's creator may read it:
// AwsOpportunitySummaryFullView carries AWS's side of the creator's
// opportunity, which other members never see.
func ownerOnly(template string) bool { return template == templateAwsOpportunitySummaryFullView }

func summaryViewOf(rec *record) *opportunityView {
	o := &rec.Opportunity
	v := &opportunityView{
		OpportunitySummaryView: api.OpportunitySummaryView{
			OpportunityType: o.OpportunityType, OpportunityTeam: o.OpportunityTeam,
			PrimaryNeedsFromAws: o.PrimaryNeedsFromAws, Customer: o.Customer,
		},
		RelatedEntityIdentifiers: outputOf(rec).RelatedEntityIdentifiers,
	}
	if lc := o.LifeCycle; lc != nil {
		v.Lifecycle = &api.LifeCycleForView{TargetCloseDate: lc.TargetCloseDate, ReviewStatus: lc.ReviewStatus, Stage: lc.Stage, NextSteps: lc.NextSteps}
	}
	if p := o.Project; p != nil {
		v.Project = &api.ProjectView{
			DeliveryModels: p.DeliveryModels, ExpectedCustomerSpend: p.ExpectedCustomerSpend, CustomerUseCase: p.CustomerUseCase,
			SalesActivities: p.SalesActivities, OtherSolutionDescription: p.OtherSolutionDescription, ExpectedContractDuration: p.ExpectedContractDuration,
		}
	}
	return v
}

// fullViewOf is GetAwsOpportunitySummary's answer without its Catalog,
// which the view does not have.
func fullViewOf(r *api.GetAwsOpportunitySummaryResponse) *api.AwsOpportunitySummaryFullView {
	return &api.AwsOpportunitySummaryFullView{
		RelatedOpportunityId: r.RelatedOpportunityId, Origin: r.Origin, InvolvementType: r.InvolvementType, Visibility: r.Visibility,
		LifeCycle: r.LifeCycle, OpportunityTeam: r.OpportunityTeam, Insights: r.Insights, InvolvementTypeChangeReason: r.InvolvementTypeChangeReason,
		RelatedEntityIds: r.RelatedEntityIds, Customer: r.Customer, Project: r.Project, CosellMotion: r.CosellMotion, SoftwareRevenue: r.SoftwareRevenue,
	}
}

// samePayload reports whether two payloads would answer the same JSON.
func samePayload(a, b *snapshotPayload) (bool, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return false, internal("encode snapshot payload", err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		return false, internal("encode snapshot payload", err)
	}
	return bytes.Equal(ja, jb), nil
}
