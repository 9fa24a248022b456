package selling

import (
	"strconv"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

// checkRules applies the business rules AWS enforces on an opportunity's
// content (semantics.md §2.5–2.6) and returns every violation.
func (s *Service) checkRules(r *record) []apierr.FieldError {
	var errs []apierr.FieldError
	add := func(field, code, msg string) {
		errs = append(errs, apierr.FieldError{FieldName: field, Code: code, Message: msg})
	}
	o := &r.Opportunity
	lc := deref(o.LifeCycle)
	stage := deref(lc.Stage)
	switch {
	case stage == api.StageClosedLost && lc.ClosedLostReason == nil:
		add("lifeCycle.closedLostReason", apierr.CodeRequiredFieldMissing, "ClosedLostReason is required when Stage is Closed Lost.")
	case stage != api.StageClosedLost && lc.ClosedLostReason != nil:
		add("lifeCycle.closedLostReason", apierr.CodeInvalidValue, "ClosedLostReason can be set only when Stage is Closed Lost.")
	}
	if d := deref(lc.TargetCloseDate); d != "" && d < s.now().Format(time.DateOnly) {
		add("lifeCycle.targetCloseDate", apierr.CodeInvalidValue, "TargetCloseDate cannot be in the past.")
	}
	if stage == api.StageCommitted || stage == api.StageLaunched {
		rel := o.RelatedEntityIdentifiers
		if len(rel.Solutions)+len(rel.AwsMarketplaceOffers)+len(rel.AwsMarketplaceOfferSets)+len(rel.AwsMarketplaceSolutions)+len(rel.AwsMarketplaceProducts) == 0 {
			add("lifeCycle.stage", apierr.CodeInvalidValue, "To move the opportunity to Committed or Launched, associate a solution, an AWS Marketplace solution or product, or an AWS Marketplace offer first.")
		}
	}
	account := customerAccount(o)
	if stage == api.StageLaunched && deref(account.AwsAccountId) == "" {
		add("customer.account.awsAccountId", apierr.CodeRequiredFieldMissing, "The customer's AWS account ID is required when Stage is Launched.")
	}
	addr := deref(account.Address)
	country := deref(addr.CountryCode)
	if addr.StateOrRegion != nil && country != api.CountryCodeUs {
		add("customer.account.address.stateOrRegion", apierr.CodeInvalidValue, "StateOrRegion is accepted only when CountryCode is US.")
	}
	if addr.PostalCode != nil && countriesWithoutPostalCode[string(country)] {
		add("customer.account.address.postalCode", apierr.CodeInvalidValue, "Country "+string(country)+" has no postal codes; PostalCode must be empty.")
	}
	if deref(o.NationalSecurity) == api.NationalSecurityYes && deref(account.Industry) != api.IndustryGovernment {
		add("nationalSecurity", apierr.CodeInvalidValue, "NationalSecurity can be Yes only when the customer's Industry is Government.")
	}
	if deref(account.Industry) == api.IndustryOther && deref(account.OtherIndustry) == "" {
		add("customer.account.otherIndustry", apierr.CodeRequiredFieldMissing, "OtherIndustry is required when Industry is Other.")
	}
	errs = append(errs, dealSizingRules(deref(o.Project))...)
	if m := o.Marketing; m != nil && deref(m.Source) == api.MarketingSourceNone &&
		(m.CampaignName != nil || len(m.UseCases) > 0 || len(m.Channels) > 0 || m.AwsFundingUsed != nil) {
		add("marketing.source", apierr.CodeInvalidValue, "Marketing details must be empty when Source is None.")
	}
	return errs
}

// maxContractMonths is the longest ExpectedContractDuration (1–144 Months).
const maxContractMonths = 144

// dealSizingRules checks ExpectedCustomerSpend and ExpectedContractDuration
// with the messages AWS documents for deal sizing (DG
// working-with-deal-sizing-insights.html): every TCV rule is INVALID_VALUE.
// The rule that an ExpectedContractDuration needs a Self entry applies on
// create only (selfEntryRequired), since an update may leave the Self entry
// to the stored one.
func dealSizingRules(p api.Project) []apierr.FieldError {
	var errs []apierr.FieldError
	add := func(field, msg string) {
		errs = append(errs, apierr.FieldError{FieldName: field, Code: apierr.CodeInvalidValue, Message: msg})
	}
	spend := p.ExpectedCustomerSpend
	selfEntries := 0
	for i, e := range spend {
		if e.TargetCompany != "AWS" && e.TargetCompany != "Self" {
			add("project.expectedCustomerSpend.targetCompany", "TargetCompany must be 'AWS' or 'Self'")
		}
		if i > 0 && e.CurrencyCode != spend[0].CurrencyCode {
			add("project.expectedCustomerSpend.currencyCode", "CurrencyCode must match between entries")
		}
		if e.TargetCompany == "Self" {
			selfEntries++
			if e.EstimationUrl != nil {
				add("project.expectedCustomerSpend.estimationUrl", "Self entry and EstimationUrl cannot coexist")
			}
		}
	}
	if selfEntries > 1 {
		add("project.expectedCustomerSpend", "Only one Self entry is allowed")
	}
	d := p.ExpectedContractDuration
	if selfEntries > 0 && d == nil {
		add("project.expectedContractDuration", "ExpectedContractDuration is required when a Self entry is present")
	}
	if d != nil {
		if months, err := strconv.Atoi(d.Value); err != nil || months < 1 || months > maxContractMonths || strconv.Itoa(months) != d.Value {
			add("project.expectedContractDuration.value", "ExpectedContractDuration must be a whole number of Months from 1 to 144")
		}
	}
	return errs
}

// selfEntryRequired is CreateOpportunity's deal-sizing rule: an
// ExpectedContractDuration comes with a Self entry.
func selfEntryRequired(p *api.Project) error {
	if p == nil || p.ExpectedContractDuration == nil || selfEntry(p.ExpectedCustomerSpend) >= 0 {
		return nil
	}
	return businessInvalid([]apierr.FieldError{{FieldName: "project.expectedCustomerSpend", Code: apierr.CodeInvalidValue,
		Message: "A Self entry is required when ExpectedContractDuration is present"}})
}

func customerAccount(o *api.GetOpportunityResponse) api.Account {
	if o.Customer == nil || o.Customer.Account == nil {
		return api.Account{}
	}
	return *o.Customer.Account
}

func businessInvalid(errs []apierr.FieldError) error {
	msg := "The opportunity does not satisfy Partner Central's business rules: " + errs[0].Message
	if len(errs) > 1 {
		msg = "The opportunity does not satisfy Partner Central's business rules; see ErrorList."
	}
	return apierr.BusinessInvalid(msg, errs...)
}
