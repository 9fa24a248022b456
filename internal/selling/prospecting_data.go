package selling

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// What AWS's enrichment says about a lead's customer. AWS draws it from its
// own data, which cosell does not have; it derives plausible values from
// the lead instead, the same ones every time for the same lead, so tests
// can rely on them: what the lead says is kept (country, industry,
// segment), and what it does not say is picked by a hash of the company
// name.

// geoOf places a country in AWS's sales geographies (Geo, Region). Other
// countries get no geography.
var geoOf = map[api.CountryCode][2]string{
	api.CountryCodeUs: {"AMER", "North America"}, api.CountryCodeCa: {"AMER", "North America"},
	api.CountryCodeBr: {"AMER", "Latin America"}, api.CountryCodeMx: {"AMER", "Latin America"},
	api.CountryCodeGb: {"EMEA", "Europe"}, api.CountryCodeDe: {"EMEA", "Europe"}, api.CountryCodeFr: {"EMEA", "Europe"},
	api.CountryCodeAe: {"EMEA", "Middle East"}, api.CountryCodeZa: {"EMEA", "Africa"},
	api.CountryCodeJp: {"APJ", "Japan"}, api.CountryCodeAu: {"APJ", "ANZ"}, api.CountryCodeIn: {"APJ", "India"}, api.CountryCodeSg: {"APJ", "ASEAN"},
}

// companySizes by market segment (the lead's MarketSegment values).
var companySizes = map[string]string{
	"Enterprise": "10,000+ employees", "Strategic": "10,000+ employees", "Large": "1,000-9,999 employees",
	"Medium": "100-999 employees", "Small": "10-99 employees", "Micro": "1-9 employees",
}

var segments = []string{"Enterprise", "Large", "Medium", "Small"}

// solutionAreas are the SolutionCategory and SolutionSubCategory pairs the
// enrichment picks from.
var solutionAreas = [][2]string{
	{"Analytics", "Data Warehousing"}, {"Security", "Identity and Access Management"}, {"Migration", "Application Migration"},
	{"Machine Learning", "Generative AI"}, {"Storage", "Backup and Recovery"},
}

var scores = []string{"High", "Medium", "Low"}

// hashPick chooses one of n values by the lead's company name and a salt, so
// different fields do not move together.
func hashPick(company, salt string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(salt + "\x00" + company))
	return int(h.Sum32() % uint32(n))
}

// prospectedCustomer is AWS's view of the lead's customer.
func prospectedCustomer(lead *api.LeadContext) *api.ProspectingResultCustomer {
	c := lead.Customer
	name := c.CompanyName
	out := &api.ProspectingResultCustomer{AccountName: ptr(name), Industry: asEnum[api.Industry](c.Industry)}
	if out.Industry == nil {
		industries := api.Industry("").Values()
		out.Industry = &industries[hashPick(name, "industry", len(industries)-1)] // never Other
	}
	if c.Address != nil {
		out.Country = asEnum[api.CountryCode](c.Address.CountryCode)
	}
	if out.Country != nil {
		if g, ok := geoOf[*out.Country]; ok {
			out.Geo, out.Region = ptr(g[0]), ptr(g[1])
		}
	}
	segment := deref(c.MarketSegment)
	if _, ok := companySizes[segment]; !ok {
		segment = segments[hashPick(name, "segment", len(segments))]
	}
	out.Segment, out.CompanySize = ptr(segment), ptr(companySizes[segment])
	// Greenfield programs are for customers new to AWS; a lead that says the
	// customer already runs on AWS qualifies for none.
	out.EligiblePrograms = []string{}
	if deref(c.AwsMaturity) == "" || deref(c.AwsMaturity) == "None" {
		out.EligiblePrograms = []string{"Greenfield Acceleration"}
	}
	where := "an unknown country"
	if out.Country != nil {
		where = string(*out.Country)
	}
	out.PublicProfileSummary = ptr(fmt.Sprintf("%s is a %s organisation in %s (%s segment, %s), according to public sources.",
		name, *out.Industry, where, segment, companySizes[segment]))
	return out
}

// prospectingInsights is AWS's scoring of the lead's propensity.
func prospectingInsights(lead *api.LeadContext) *api.ProspectingInsights {
	name := lead.Customer.CompanyName
	area := solutionAreas[hashPick(name, "solution", len(solutionAreas))]
	return &api.ProspectingInsights{
		MarketplaceEngagementScore: ptr(scores[hashPick(name, "marketplace", len(scores))]),
		SolutionScore:              ptr(fmt.Sprint(40 + hashPick(name, "score", 60))),
		SolutionCategory:           ptr(area[0]),
		SolutionSubCategory:        ptr(area[1]),
	}
}

// leadReadiness is AWS's LeadReadinessScore: how much of what a seller
// needs the lead already gives (AWS scores with AI; cosell counts).
func leadReadiness(lead *api.LeadContext) string {
	c := lead.Customer
	known := 0
	for _, given := range []bool{c.Industry != nil, c.WebsiteUrl != nil, c.Address != nil, c.MarketSegment != nil, c.AwsMaturity != nil} {
		if given {
			known++
		}
	}
	if n := len(lead.Interactions); n > 0 {
		last := lead.Interactions[n-1]
		if deref(last.BusinessProblem) != "" {
			known++
		}
		if last.Contact.Phone != nil {
			known++
		}
	}
	switch {
	case known >= 5:
		return "High"
	case known >= 3:
		return "Medium"
	}
	return "Low"
}

// readinessScores are the values of LeadReadinessScore (model doc).
var readinessScores = []string{"Low", "Medium", "High"}

// checkReadiness refuses a LeadReadinessScore AWS would not give.
func checkReadiness(field string, insights *api.LeadInsights) error {
	if insights == nil || insights.LeadReadinessScore == nil || slices.Contains(readinessScores, *insights.LeadReadinessScore) {
		return nil
	}
	return apierr.RequestInvalid(apierr.FieldError{FieldName: field, Code: apierr.CodeInvalidValue, Message: "LeadReadinessScore is Low, Medium or High."})
}

// ScoreLead is AWS setting the LeadReadinessScore of an engagement's lead,
// as its AI scoring does. The engagement changes as AWS's write (Engagement
// Updated to its members). It answers the lead's insights.
func (s *Service) ScoreLead(ctx context.Context, catalog, engagementID, score string) (*api.LeadInsights, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	insights := &api.LeadInsights{LeadReadinessScore: &score}
	if err := checkReadiness("LeadReadinessScore", insights); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := loadEngagement(ctx, tx, catalog, engagementID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(d.Value.Contexts, func(c api.EngagementContextDetails) bool { return c.Payload != nil && c.Payload.Lead != nil })
		if i < 0 {
			return apierr.Conflict("Engagement %s has no Lead context to score.", engagementID)
		}
		d.Value.Contexts[i].Payload.Lead.Insights = insights
		_, err = s.saveEngagement(ctx, tx, d, awsParty)
		return err
	})
	if err != nil {
		return nil, err
	}
	return insights, nil
}
