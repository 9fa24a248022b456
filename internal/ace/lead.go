package ace

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cosell/cosell/api/selling"
)

// noLeadUpdate is AWS's message for a lead update that changes nothing (Lead-Results_With-Errors-Sample.json).
const noLeadUpdate = "No new update identified for this record"

// leadPaths maps the updatable inbound lead fields (Leads-Fields.csv, which names no API paths) onto the API's
// LeadContext. leadStatusReason, segmentCompanySize and streetAddress have no place in LeadContext and are
// ignored.
var leadPaths = map[string]string{
	"status":             "QualificationStatus",
	"industry":           "Customer.Industry",
	"website":            "Customer.WebsiteUrl",
	"country":            "Customer.Address.CountryCode",
	"state":              "Customer.Address.StateOrRegion",
	"city":               "Customer.Address.City",
	"postalCode":         "Customer.Address.PostalCode",
	"projectDescription": "Interactions[0].BusinessProblem",
	"useCaseWorkload":    "Interactions[0].Usecase",
	"firstName":          "Interactions[0].Contact.FirstName",
	"lastName":           "Interactions[0].Contact.LastName",
	"email":              "Interactions[0].Contact.Email",
	"phone":              "Interactions[0].Contact.Phone",
	"title":              "Interactions[0].Contact.BusinessTitle",
}

// leadLabels are the labels of the lead picklist fields in messages.
var leadLabels = map[string]string{"status": "Status", "industry": "Industry Vertical", "country": "Country",
	"state": "State/Province", "useCaseWorkload": "Use Case", "currentLeadStage": "Current Lead Stage"}

// LeadAnswer reports whether the record accepts (currentLeadStage Accepted) or rejects (Rejected) an AWS lead;
// ok is false when the record carries no currentLeadStage.
func LeadAnswer(r Record) (accept bool, ok bool, problems []string) {
	if !r.Has("currentLeadStage") {
		return false, false, nil
	}
	stage, valid := leadPicklists["currentLeadStage"].standard(r.Text("currentLeadStage"))
	if !valid {
		return false, true, []string{sprintf(msgPicklist, leadLabels["currentLeadStage"])}
	}
	return stage == "Accepted", true, nil
}

// LeadUpdate maps the record's sent fields onto a copy of the lead context; unchanged=true is AWS's
// "No new update identified for this record". Contact fields need the lead's interaction; a lead without one
// keeps them unset.
func LeadUpdate(current *selling.LeadContext, r Record) (updated *selling.LeadContext, unchanged bool, problems []string) {
	updated = &selling.LeadContext{}
	before, err := json.Marshal(current)
	if err != nil || json.Unmarshal(before, updated) != nil {
		return current, true, []string{noLeadUpdate}
	}
	// The lead's latest interaction holds its current contact and need: the
	// API appends each update's interaction to the history rather than
	// editing one, so the record's contact fields edit (a copy of) the latest.
	latest := fmt.Sprintf("Interactions[%d]", len(updated.Interactions)-1)
	for name, path := range leadPaths {
		if !r.Has(name) || (strings.HasPrefix(path, "Interactions[0]") && len(updated.Interactions) == 0) {
			continue
		}
		path = strings.Replace(path, "Interactions[0]", latest, 1)
		v, bad := leadValue(name, r)
		if bad != "" {
			problems = append(problems, bad)
			continue
		}
		setPath(updated, path, v)
	}
	if code, ok := r.value("postalCode"); ok && r.Has("country") {
		if msg := checkPostalCode(r.Text("country"), code); msg != "" {
			problems = append(problems, msg)
		}
	}
	after, _ := json.Marshal(updated)
	return updated, string(before) == string(after), problems
}

// leadValue is the API value of lead field name, or the problem with it.
func leadValue(name string, r Record) (string, string) {
	v, _ := r.value(name)
	list, isPicklist := leadPicklists[name]
	if !isPicklist {
		return v, ""
	}
	invalid := sprintf(msgPicklist, leadLabels[name])
	var values []string
	for _, item := range compact(strings.Split(v, ";")) {
		std, ok := list.standard(item)
		if !ok {
			return "", invalid
		}
		values = append(values, std)
	}
	if len(values) == 0 {
		return "", invalid
	}
	switch name {
	case "country":
		code, ok := countryCode(values[0])
		if !ok {
			return "", invalid
		}
		return string(code), ""
	case "industry":
		// Lead industries are an older list; those the API's Industry lacks cannot be stored.
		a, ok := toAPIValue(values[0], enumValues(typeOf[selling.Industry]()))
		if !ok {
			return "", invalid
		}
		return a, ""
	}
	return strings.Join(values, ";"), ""
}

// leadPII are the outbound lead fields masked until the partner accepts (Lead-Outbound-Sample.json).
var leadPII = []string{"title", "streetAddress", "state", "postalCode", "phone", "fullName", "email", "country",
	"company", "city"}

// OutboundLead renders a lead as a v1 outbound record; masked=true replaces the PII fields by "Accept To View"
// (before the partner accepts).
func OutboundLead(engagementID string, lead *selling.LeadContext, status string, masked bool, created, modified time.Time) map[string]any {
	out := map[string]any{
		"apnCrmUniqueIdentifier": engagementID, "partnerCrmLeadId": nil, "status": nilIfEmpty(status),
		"currentLeadStage": nil, "createdDate": outboundTime(created), "lastModifiedDate": outboundTime(modified),
		"leadAge": math.Floor(modified.Sub(created).Hours() / 24), "createdBy": nil, "lastModifiedBy": nil,
		"leadOwnerName": nil, "leadOwnerEmail": nil, "leadStatusReason": nil, "campaignMemberStatus": nil,
		"segmentCompanySize": nil, "streetAddress": nil,
	}
	if !masked {
		out["currentLeadStage"] = "Accepted"
	}
	if lead != nil {
		c := lead.Customer
		out["company"] = c.CompanyName
		out["website"] = text(c.WebsiteUrl)
		out["industry"] = enumText(c.Industry)
		out["levelofAWSUsage"] = text(c.AwsMaturity)
		out["segmentCompanySize"] = enumText(c.MarketSegment)
		// The address is optional since the 2026-08 model.
		address := selling.LeadAddress{}
		if c.Address != nil {
			address = *c.Address
		}
		out["city"] = text(address.City)
		out["state"] = text(address.StateOrRegion)
		out["postalCode"] = text(address.PostalCode)
		out["country"] = nil
		if address.CountryCode != nil {
			out["country"] = outboundScalar(fieldsByName["country"], *address.CountryCode)
		}
		if n := len(lead.Interactions); n > 0 {
			// The first interaction made the lead (its source); the latest
			// has the current contact and need, as updates append.
			first, in := lead.Interactions[0], lead.Interactions[n-1]
			ct := in.Contact
			out["fullName"] = fullName(&ct.FirstName, &ct.LastName)
			out["email"], out["phone"], out["title"] = ct.Email, text(ct.Phone), ct.BusinessTitle
			out["useCaseWorkload"] = text(in.Usecase)
			out["projectDescription"] = text(in.BusinessProblem)
			out["leadSource"] = first.SourceType
			out["campaignName"] = first.SourceName
		}
		if lead.QualificationStatus != nil && status == "" {
			out["status"] = *lead.QualificationStatus
		}
	}
	if masked {
		for _, name := range leadPII {
			out[name] = maskedText
		}
	}
	return out
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
