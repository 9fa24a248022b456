package selling

import (
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
		if len(rel.Solutions)+len(rel.AwsMarketplaceOffers)+len(rel.AwsMarketplaceOfferSets) == 0 {
			add("lifeCycle.stage", apierr.CodeInvalidValue, "To move the opportunity to Committed or Launched, associate a solution or an AWS Marketplace offer first.")
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
	errs = append(errs, spendRules(deref(o.Project).ExpectedCustomerSpend)...)
	if m := o.Marketing; m != nil && deref(m.Source) == api.MarketingSourceNone &&
		(m.CampaignName != nil || len(m.UseCases) > 0 || len(m.Channels) > 0 || m.AwsFundingUsed != nil) {
		add("marketing.source", apierr.CodeInvalidValue, "Marketing details must be empty when Source is None.")
	}
	return errs
}

// spendRules checks ExpectedCustomerSpend with the messages AWS documents
// for deal sizing (DG working-with-deal-sizing-insights.html).
func spendRules(spend []api.ExpectedCustomerSpend) []apierr.FieldError {
	var errs []apierr.FieldError
	for i, e := range spend {
		if e.TargetCompany != "AWS" && e.TargetCompany != "Self" {
			errs = append(errs, apierr.FieldError{FieldName: "project.expectedCustomerSpend.targetCompany", Code: apierr.CodeInvalidValue, Message: "TargetCompany must be 'AWS' or 'Self'"})
		}
		if i > 0 && e.CurrencyCode != spend[0].CurrencyCode {
			errs = append(errs, apierr.FieldError{FieldName: "project.expectedCustomerSpend.currencyCode", Code: apierr.CodeInvalidValue, Message: "CurrencyCode must match between entries"})
		}
	}
	return errs
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
