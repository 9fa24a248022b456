package benefits

import (
	"context"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/store"
)

// The Benefits API's EventBridge detail-types (developer guide, "Benefits
// API events"; semantics-2026 §3.8). Each goes to the account that owns
// the application or allocation. Update, Cancel, Recall, Amend and
// resource association emit none.
const (
	detailApplicationCreated      = "Benefit Application Created"
	detailApplicationInReview     = "Benefit Application In Review"
	detailApplicationActionReq    = "Benefit Application Action Required"
	detailApplicationRejected     = "Benefit Application Rejected"
	detailApplicationApproved     = "Benefit Application Approved"
	detailApplicationStageChanged = "Benefit Application Stage Changed"
	detailAllocationActivated     = "Benefit Allocation Activated"
	detailAllocationInactivated   = "Benefit Allocation Inactivated"
	detailAllocationFulfilled     = "Benefit Allocation Fulfilled"
)

// stagedDetails are the application events whose documented example
// carries the review stage.
var stagedDetails = map[string]bool{detailApplicationInReview: true, detailApplicationActionReq: true, detailApplicationStageChanged: true}

// applicationDetail is an application event's detail, as the documented
// example shapes it. The examples carry no version key in the envelope;
// cosell's envelope keeps EventBridge's version "0", which EventBridge
// adds to every event it delivers.
type applicationDetail struct {
	Catalog            string           `json:"catalog"`
	BenefitApplication eventApplication `json:"benefitApplication"`
	Benefit            eventBenefit     `json:"benefit"`
}

type eventApplication struct {
	Id               string                       `json:"id"`
	FulfillmentTypes []api.FulfillmentType        `json:"fulfillmentTypes"`
	Status           api.BenefitApplicationStatus `json:"status"`
	Stage            *string                      `json:"stage,omitempty"`
	Revision         string                       `json:"revision"`
}

type eventBenefit struct {
	Id      string   `json:"id"`
	Name    string   `json:"name"`
	Program []string `json:"program"`
}

// allocationDetail is an allocation event's detail.
type allocationDetail struct {
	Catalog            string          `json:"catalog"`
	BenefitAllocation  eventAllocation `json:"benefitAllocation"`
	BenefitApplication struct {
		Id string `json:"id"`
	} `json:"benefitApplication"`
	Benefit eventBenefit `json:"benefit"`
}

type eventAllocation struct {
	Id              string                      `json:"id"`
	FulfillmentType api.FulfillmentType         `json:"fulfillmentType"`
	Status          api.BenefitAllocationStatus `json:"status"`
}

func benefitOf(b *Benefit) eventBenefit {
	return eventBenefit{Id: b.Id, Name: b.Name, Program: b.Programs}
}

// applicationEvent reports a's current state to its owner. The resource is
// the application's full ARN; the documented examples leave out its
// catalog/<Catalog>/ part, which AWS's ARN format has.
func (s *Service) applicationEvent(ctx context.Context, tx store.Tx, a *applicationRecord, b *Benefit, detailType string) error {
	d := applicationDetail{Catalog: a.Catalog, Benefit: benefitOf(b), BenefitApplication: eventApplication{
		Id: a.Id, FulfillmentTypes: a.FulfillmentTypes, Status: a.Status, Revision: a.Revision,
	}}
	if stagedDetails[detailType] {
		d.BenefitApplication.Stage = a.Stage
	}
	return s.emit(ctx, tx, a.Owner, detailType, []string{a.Arn}, d)
}

// allocationEvent reports an allocation's status to its owner.
func (s *Service) allocationEvent(ctx context.Context, tx store.Tx, al *allocationRecord, b *Benefit) error {
	detailType := map[api.BenefitAllocationStatus]string{
		api.BenefitAllocationStatusActive:    detailAllocationActivated,
		api.BenefitAllocationStatusInactive:  detailAllocationInactivated,
		api.BenefitAllocationStatusFulfilled: detailAllocationFulfilled,
	}[al.Status]
	d := allocationDetail{Catalog: al.Catalog, Benefit: benefitOf(b),
		BenefitAllocation: eventAllocation{Id: al.Id, FulfillmentType: al.FulfillmentType, Status: al.Status}}
	d.BenefitApplication.Id = al.ApplicationId
	return s.emit(ctx, tx, al.Owner, detailType, []string{al.Arn}, d)
}
