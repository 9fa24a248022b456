package ace

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"

	"github.com/cosell/cosell/api/selling"
)

// requiredLabels is the order and wording of AWS's "Required: ..." message (semantics §6.5); its labels differ
// from the CSV's screen labels. Other fields the CSV marks Mandatory follow, with the CSV's label.
var requiredLabels = []struct{ name, label string }{
	{"useCase", "Use Case"}, {"targetCloseDate", "Target Launch Date"},
	{"projectDescription", "Project Description/Business Need"}, {"postalCode", "Postal Code"},
	{"partnerProjectTitle", "Partner Project Title"}, {"industry", "Industry Vertical"},
	{"expectedMonthlyAwsRevenue", "Expected Monthly AWS Revenue"}, {"deliveryModel", "Delivery Model"},
	{"customerWebsite", "Customer Website"}, {"customerCompanyName", "Customer Company Name"},
	{"country", "Country"}, {"partnerPrimaryNeedFromAws", "Partner Primary Need from AWS"},
}

// ownMessages are mandatory fields AWS reports with a message of their own rather than in "Required: ..."
// (Opportunity - Testing Scenarios; FAQ 7.7).
var ownMessages = map[string]string{
	"salesActivities":            "Please enter Pre-sales Activities",
	"IsOppFromMarketingActivity": "Is Opportunity from Marketing Activity is required.",
}

// notRequiredOnCreate: the CSV's exception "Not required while creating a new Opportunity".
var notRequiredOnCreate = map[string]bool{"stage": true}

// NewOpportunity maps a create record to the API's CreateOpportunity request (catalog set, ClientToken left
// empty). problems are the per-record error strings, worded as AWS's result files word them; when it is
// non-empty the request must not be sent. Solutions, AWS products and offers are not part of the request: see
// Associations.
func NewOpportunity(catalog string, r Record) (*selling.CreateOpportunityRequest, []string) {
	req := &selling.CreateOpportunityRequest{Catalog: catalog}
	problems := missing(r)
	for i := range opportunityFields {
		f := &opportunityFields[i]
		if f.onCreate && r.Has(f.name) {
			problems = append(problems, apply(req, f, r)...)
		}
	}
	problems = append(problems, rules(r)...)
	completeSpend(req.Project)
	return req, problems
}

// apply stores field f of r into target (a *CreateOpportunityRequest or *UpdateOpportunityRequest) when target
// has the field's path; fields the type does not carry are read-only there and ignored.
func apply(target any, f *field, r Record) []string {
	if f.apiPath == "" {
		return nil
	}
	leaf := leafType(reflect.TypeOf(target), f.apiPath)
	if leaf == nil {
		return nil
	}
	v, problems := apiValue(f, r, leaf)
	if len(problems) > 0 {
		return problems
	}
	if v == nil {
		v = []string{} // a picklist that says "none" (no co-sell need) clears the list
	}
	setPath(target, f.apiPath, v)
	return nil
}

// completeSpend fills what ACE's expectedMonthlyAwsRevenue implies: a monthly USD spend on AWS.
func completeSpend(p *selling.Project) {
	if p == nil {
		return
	}
	for i := range p.ExpectedCustomerSpend {
		s := &p.ExpectedCustomerSpend[i]
		if s.CurrencyCode == "" {
			s.CurrencyCode = "USD"
		}
		if s.Frequency == "" {
			s.Frequency = "Monthly"
		}
		if s.TargetCompany == "" {
			s.TargetCompany = "AWS"
		}
	}
}

// missing is the "Required: ..." message and the own messages of mandatory fields the record lacks.
func missing(r Record) []string {
	natSec := strings.EqualFold(r.Text("doesOppBelongToNatSec"), "Yes")
	exempt := map[string]bool{
		"customerWebsite":     natSec,
		"customerCompanyName": natSec,
		"postalCode":          noPostalCode[key(r.Text("country"))],
	}
	var labels, own []string
	seen := map[string]bool{}
	for _, l := range requiredLabels {
		seen[l.name] = true
		if !r.Has(l.name) && !exempt[l.name] {
			labels = append(labels, l.label)
		}
	}
	for _, f := range opportunityFields {
		if f.inbound != "Mandatory" || seen[f.name] || notRequiredOnCreate[f.name] || r.Has(f.name) {
			continue
		}
		if msg, ok := ownMessages[f.name]; ok {
			own = append(own, msg)
		} else {
			labels = append(labels, f.label)
		}
	}
	var problems []string
	if len(labels) > 0 {
		problems = append(problems, msgRequired+strings.Join(labels, ";"))
	}
	return append(problems, own...)
}

// rules are the conditional and cross-field validations of the CSV and FAQ 7.7/7.8, for the fields r sent.
func rules(r Record) []string {
	var p []string
	add := func(cond bool, msg string) {
		if cond {
			p = append(p, msg)
		}
	}
	country := r.Text("country")
	natSec := strings.EqualFold(r.Text("doesOppBelongToNatSec"), "Yes")
	// FAQ 7.7 wording.
	add(country != "" && key(country) == key("United States") && !natSec && !r.Has("state"),
		"Missing Required Field: State is required when Country is United States")
	add(r.Text("stage") == "Closed Lost" && !r.Has("closedLostReason"),
		"Missing Required Field: Closed Lost Reason is required when closing the opportunity")
	if r.Has("expectedMonthlyAwsRevenue") {
		n, ok := number(r, "expectedMonthlyAwsRevenue")
		add(ok && n <= 0, "Missing Required Field: Estimated AWS Monthly Recurring Revenue cannot be blank or 0")
	}
	add(r.Has("customerWebsite") && !websiteLike(r.Text("customerWebsite")),
		"Invalid Data: Customer website should be a valid domain")
	fromMarketing := r.Text("IsOppFromMarketingActivity")
	add(strings.EqualFold(fromMarketing, "Yes") && !r.Has("isMarketingDevelopmentFunded"),
		"Marketing Development Funds Used is required when Is Opportunity from Marketing Activity is Yes.")
	add(strings.EqualFold(fromMarketing, "No") && (r.Has("marketingActivityChannel") || r.Has("marketingActivityUsecase") ||
		r.Has("awsSFCampaignName") || r.Has("isMarketingDevelopmentFunded")),
		"Clear values in Marketing Activity Channel, Marketing Activity UseCase, AWS Campaign Name and Was Marketing Development Funds Used.")
	// The CSV's conditions; the wording is cosell's, in the style of FAQ 7.7.
	add(strings.EqualFold(r.Text("industry"), "Other") && !r.Has("industryOther"),
		"Missing Required Field: Other - Industry Vertical is required when Industry Vertical is Other")
	add(r.Text("competitiveTracking") == "*Other" && !r.Has("competitiveTrackingOther"),
		"Missing Required Field: Competitive Tracking Other is required when Competitive Tracking is *Other")
	solutions, _ := r.list("solutionOffered")
	add(containsFold(solutions, otherSolution) && !r.Has("otherSolutionOffered"),
		`Missing Required Field: Other Solution Offered is required when Solution offered is "Other"`)
	add(containsFold(solutions, otherSolution) && committedOrLater(selling.Stage(r.Text("stage"))), otherSolutionCommitted)
	add(r.Text("opportunityType") == "Flat Renewal" && !r.Has("parentOppId"),
		"Missing Required Field: Parent Opportunity ID is required when Opportunity Type is Flat Renewal")
	add(natSec && !strings.EqualFold(r.Text("industry"), "Government") && r.Has("industry"),
		"Invalid Data: National Security can be Yes only when Industry Vertical is Government")
	add(natSec && strings.Contains(r.Text("partnerPrimaryNeedFromAws"), noSalesRepNeed),
		"Invalid Data: "+noSalesRepNeed+" cannot be selected for a National Security opportunity")
	if d, ok := r.value("projectDescription"); ok {
		// The CSV (2023) says 20 characters; the 2022 FAQ said 50.
		add(len([]rune(d)) < 20, "Missing Required Field: Project description must have minimum of 20 characters")
	}
	if id, ok := r.value("awsAccountId"); ok {
		add(!digits(id, 12), "Invalid Data: Customer AWS Account ID needs to be a 12 digit number")
	}
	if code, ok := r.value("postalCode"); ok && country != "" {
		if msg := checkPostalCode(country, code); msg != "" {
			p = append(p, msg)
		}
	}
	return p
}

// websiteLike is a loose domain check: no spaces and a dot (AWS's own sample sends "test@test.com").
func websiteLike(s string) bool { return !strings.ContainsAny(s, " \t\n") && strings.Contains(s, ".") }

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func containsFold(items []string, s string) bool {
	for _, it := range items {
		if strings.EqualFold(it, s) {
			return true
		}
	}
	return false
}

// otherSolution is the solutionOffered value the CSV gives for "no Offering ID at hand": not a solution id but a
// placeholder, with the solution described in otherSolutionOffered (Project.OtherSolutionDescription). The CSV
// forbids it once the opportunity reaches Committed, where "it needs to be a valid solution".
const otherSolution = "Other"

// otherSolutionCommitted is cosell's wording (AWS publishes none) for "Other" at Committed or later.
const otherSolutionCommitted = `Invalid Data: Solution offered cannot be "Other" once the opportunity reaches the Committed stage; give a valid solution id (S-0001234)`

// committedOrLater is whether the CSV's "once the opportunity reaches the Committed stage" holds at stage.
func committedOrLater(stage selling.Stage) bool {
	return stage == selling.StageCommitted || stage == selling.StageLaunched
}

// Associations are what a record relates the opportunity to, which the API sets with AssociateOpportunity rather
// than in CreateOpportunity/UpdateOpportunity: solutionOffered, awsProducts and offers, as sent, less the "Other"
// placeholder, which names no solution to associate (the description goes to Project.OtherSolutionDescription).
func Associations(r Record) (solutions, awsProducts, offers []string) {
	solutions, _ = r.list("solutionOffered")
	solutions = slices.DeleteFunc(solutions, func(s string) bool { return strings.EqualFold(s, otherSolution) })
	awsProducts, _ = r.list("awsProducts")
	offers, _ = r.list("offers")
	return solutions, awsProducts, offers
}

// notEditable is AWS's message for an update while the opportunity is in AWS's review (semantics §6.5).
const notEditable = "Record is not editable."

// UpdateOpportunity applies the fields the record sent onto the current opportunity (partial update: read-only
// fields are ignored per the CSV's update columns and the current ReviewStatus and stage) and returns the
// full-replace UpdateOpportunity request (LastModifiedDate = current's). unchanged is true when nothing would
// change.
func UpdateOpportunity(current *selling.GetOpportunityResponse, r Record) (req *selling.UpdateOpportunityRequest, unchanged bool, problems []string) {
	req = &selling.UpdateOpportunityRequest{}
	before, err := json.Marshal(current)
	if current == nil || err != nil || json.Unmarshal(before, req) != nil {
		return nil, true, []string{notEditable}
	}
	req.Catalog, req.Identifier, req.LastModifiedDate = current.Catalog, current.Id, current.LastModifiedDate
	base, _ := json.Marshal(req)
	editable, open := editableFields(current)
	if !open {
		return req, true, []string{notEditable}
	}
	for i := range opportunityFields {
		f := &opportunityFields[i]
		if editable(f) && r.Has(f.name) {
			problems = append(problems, apply(req, f, r)...)
		}
	}
	problems = append(problems, rules(r)...)
	// An update that leaves the stage alone is held to the stage the opportunity is at.
	if solutions, _ := r.list("solutionOffered"); !r.Has("stage") && containsFold(solutions, otherSolution) &&
		current.LifeCycle != nil && current.LifeCycle.Stage != nil && committedOrLater(*current.LifeCycle.Stage) {
		problems = append(problems, otherSolutionCommitted)
	}
	if req.Project != nil {
		completeSpend(req.Project)
	}
	after, _ := json.Marshal(req)
	return req, string(base) == string(after), problems
}

// editableFields is which fields an update may change now; open is false while AWS reviews the opportunity.
func editableFields(o *selling.GetOpportunityResponse) (func(*field) bool, bool) {
	var review selling.ReviewStatus
	var stage selling.Stage
	if o.LifeCycle != nil {
		if o.LifeCycle.ReviewStatus != nil {
			review = *o.LifeCycle.ReviewStatus
		}
		if o.LifeCycle.Stage != nil {
			stage = *o.LifeCycle.Stage
		}
	}
	switch {
	case review == selling.ReviewStatusSubmitted || review == selling.ReviewStatusInReview:
		return nil, false
	case stage == selling.StageLaunched || stage == selling.StageClosedLost:
		return func(f *field) bool { return f.afterLaunch }, true
	case review == selling.ReviewStatusActionRequired:
		return func(f *field) bool { return f.onActionRequired }, true
	}
	return func(f *field) bool { return f.beforeLaunch }, true
}

// ReferralAnswer reports whether the record answers an AWS referral: {"partnerAcceptanceStatus":
// "Accepted"|"Rejected", "apnCrmUniqueIdentifier":..., "rejectionReason":...}; ok is false when the record
// does not carry partnerAcceptanceStatus.
func ReferralAnswer(r Record) (accept bool, rejectionReason string, ok bool, problems []string) {
	if !r.Has("partnerAcceptanceStatus") {
		return false, "", false, nil
	}
	status, valid := opportunityPicklists["partnerAcceptanceStatus"].standard(r.Text("partnerAcceptanceStatus"))
	if !valid {
		return false, "", true, []string{sprintf(msgPicklist, fieldsByName["partnerAcceptanceStatus"].label)}
	}
	if r.ApnCrmID() == "" {
		problems = append(problems, msgRequired+fieldsByName["apnCrmUniqueIdentifier"].label)
	}
	if status == "Accepted" {
		return true, "", true, problems
	}
	reason := r.Text("rejectionReason")
	switch std, known := opportunityPicklists["rejectionReason"].standard(reason); {
	case reason == "":
		// cosell's wording: the CSV makes the reason mandatory when partnerAcceptanceStatus is Rejected.
		problems = append(problems, "Missing Required Field: Rejection reason is required when Partner Acceptance Status is Rejected")
	case !known:
		problems = append(problems, sprintf(msgPicklist, fieldsByName["rejectionReason"].label))
	default:
		reason = std
	}
	return false, reason, true, problems
}
