package ace

import (
	"strconv"
	"strings"
	"time"

	"github.com/cosell/cosell/api/selling"
)

// maskedText is what AWS shows in place of an AWS referral's personal data until the partner accepts it.
const maskedText = "Accept To View"

// outboundTime is the samples' timestamp, "2022-03-08T13:15:35.000Z".
func outboundTime(t time.Time) string { return t.UTC().Format(processedLayout) }

// OutboundOpportunity renders an opportunity as a v2.0 outbound record: every field the CSV marks for the
// "Outbound Payload", read from o by the same API paths the inbound mapping uses, and the aws* fields from the
// AWS-side summary (summary may be nil: they are then null).
func OutboundOpportunity(o *selling.GetOpportunityResponse, summary *selling.GetAwsOpportunitySummaryResponse) map[string]any {
	out := map[string]any{}
	for i := range opportunityFields {
		f := &opportunityFields[i]
		if !f.outbound {
			continue
		}
		out[f.name] = nil
		if f.apiPath != "" {
			out[f.name] = outboundValue(f, getPath(o, f.apiPath))
		}
	}
	for _, name := range sampleOnlyFields {
		out[name] = nil
	}
	out["createdDate"] = outboundTime(o.CreatedDate)
	out["lastModifiedDate"] = outboundTime(o.LastModifiedDate)
	out["opportunityOwnership"] = string(selling.OpportunityOriginPartnerReferral)
	out["partnerAcceptanceStatus"] = nil
	if o.LifeCycle != nil && len(o.LifeCycle.NextStepsHistory) > 0 {
		var lines []string
		for _, h := range o.LifeCycle.NextStepsHistory {
			lines = append(lines, outboundTime(h.Time)+" "+h.Value)
		}
		out["nextStepHistory"] = strings.Join(lines, "\n")
	}
	if summary != nil {
		awsSide(out, summary)
	}
	return out
}

// sampleOnlyFields are in Opportunity-Outbound-Sample.json but not in the CSV, and have no API source.
var sampleOnlyFields = []string{"partnerDeveloperManagerPhone"}

// outboundValue turns an API value back into ACE's: enum values to AWS's S3 spelling, country codes to names,
// multi selects joined by ";", amounts to numbers.
func outboundValue(f *field, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []string:
		if f.kind == "Array" {
			return x
		}
		for i := range x {
			x[i] = outboundScalar(f, x[i]).(string)
		}
		return strings.Join(x, ";")
	case string:
		if strings.HasPrefix(f.kind, "Currency") {
			if n, err := strconv.ParseFloat(x, 64); err == nil {
				return n
			}
		}
		return outboundScalar(f, x)
	}
	return nil
}

func outboundScalar(f *field, s string) any {
	switch f.name {
	case "country":
		if name, ok := countryNames[selling.CountryCode(s)]; ok {
			return name
		}
		return s
	case "IsOppFromMarketingActivity":
		for ace, api := range marketingSources {
			if api == s {
				return ace
			}
		}
	}
	if list, ok := opportunityPicklists[f.name]; ok {
		return fromAPIValue(s, list)
	}
	return s
}

// awsTeamFields are the outbound name and email fields of each AWS team role.
var awsTeamFields = map[selling.AwsMemberBusinessTitle][2]string{
	selling.AwsMemberBusinessTitleAWSSalesRep:     {"aWSSalesRepName", "aWSSalesRepEmail"},
	selling.AwsMemberBusinessTitleAWSAccountOwner: {"aWSAccountOwnerName", "aWSAccountOwnerEmail"},
	selling.AwsMemberBusinessTitleWwpspdm:         {"wWPSPDM", "wWPSPDMEmail"},
	selling.AwsMemberBusinessTitlePdm:             {"partnerDeveloperManager", "partnerDeveloperManagerEmail"},
	selling.AwsMemberBusinessTitlePsm:             {"aWSPartnerSuccessManagerName", "aWSPartnerSuccessManagerEmail"},
	selling.AwsMemberBusinessTitleIsvsm:           {"aWSISVSuccessManagerName", "aWSISVSuccessManagerEmail"},
}

// awsSide fills the fields the CSV takes from AWS's side of the opportunity (AWSOpportunityTeam.*,
// AWSSalesLifeCycle.*, the insights).
func awsSide(out map[string]any, s *selling.GetAwsOpportunitySummaryResponse) {
	for _, m := range s.OpportunityTeam {
		if m.BusinessTitle == nil {
			continue
		}
		if names, ok := awsTeamFields[*m.BusinessTitle]; ok {
			out[names[0]] = fullName(m.FirstName, m.LastName)
			out[names[1]] = text(m.Email)
		}
	}
	if s.Origin != nil {
		out["opportunityOwnership"] = string(*s.Origin)
	}
	if lc := s.LifeCycle; lc != nil {
		out["aWSStage"] = enumText(lc.Stage)
		out["aWSCloseDate"] = text(lc.TargetCloseDate)
		out["aWSClosedLostReason"] = enumText(lc.ClosedLostReason)
	}
	if in := s.Insights; in != nil {
		out["engagementScore"] = enumText(in.EngagementScore)
		out["recommendedNextBestActions"] = text(in.NextBestActions)
	}
	out["cosellConvertReason"] = enumText(s.InvolvementTypeChangeReason)
}

// text is *s, or nil (JSON null) when unset.
func text(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// enumText is an optional enum's value, or nil.
func enumText[T ~string](v *T) any {
	if v == nil {
		return nil
	}
	return string(*v)
}

func fullName(first, last *string) any {
	var parts []string
	for _, p := range []*string{first, last} {
		if p != nil && *p != "" {
			parts = append(parts, *p)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return strings.Join(parts, " ")
}

// referralPII are the outbound fields that identify the customer, masked until the partner accepts.
var referralPII = []string{"customerCompanyName", "customerWebsite", "customerFirstName", "customerLastName",
	"customerEmail", "customerPhone", "customerTitle", "streetAddress", "city", "state", "postalCode", "customerDuns"}

// OutboundReferral renders a pending AWS opportunity referral (an OpportunityInvitation the partner has not
// answered) with the customer's PII masked as "Accept To View". apnCrmUniqueIdentifier is the invitation's id:
// the partner's opportunity only exists after acceptance.
func OutboundReferral(inv *selling.GetEngagementInvitationResponse) map[string]any {
	out := map[string]any{}
	for i := range opportunityFields {
		if opportunityFields[i].outbound {
			out[opportunityFields[i].name] = nil
		}
	}
	for _, name := range sampleOnlyFields {
		out[name] = nil
	}
	for _, name := range referralPII {
		out[name] = maskedText
	}
	out["apnCrmUniqueIdentifier"] = inv.Id
	out["opportunityOwnership"] = string(selling.OpportunityOriginAwsReferral)
	out["stage"] = string(selling.StageProspect) // AWS referrals are always shared at Prospect
	out["partnerAcceptanceStatus"] = nil
	if inv.ExpirationDate != nil {
		out["acceptBy"] = outboundTime(*inv.ExpirationDate)
	}
	if inv.InvitationDate != nil {
		out["createdDate"] = outboundTime(*inv.InvitationDate)
		out["lastModifiedDate"] = outboundTime(*inv.InvitationDate)
	}
	if inv.Payload == nil || inv.Payload.OpportunityInvitation == nil {
		return out
	}
	p := inv.Payload.OpportunityInvitation
	out["industry"] = outboundScalar(fieldsByName["industry"], string(p.Customer.Industry))
	out["country"] = outboundScalar(fieldsByName["country"], string(p.Customer.CountryCode))
	out["partnerProjectTitle"] = p.Project.Title
	out["projectDescription"] = p.Project.BusinessProblem
	out["targetCloseDate"] = p.Project.TargetCompletionDate
	for _, s := range p.Project.ExpectedCustomerSpend {
		if s.Amount != nil && s.Frequency == "Monthly" {
			if n, err := strconv.ParseFloat(*s.Amount, 64); err == nil {
				out["expectedMonthlyAwsRevenue"] = n
			}
		}
	}
	for _, c := range p.SenderContacts {
		out["aWSSalesRepName"] = fullName(c.FirstName, c.LastName)
		out["aWSSalesRepEmail"] = c.Email
		break // the first sender is the AWS seller who shares the referral
	}
	return out
}
