package benefits

import (
	"crypto/sha256"
	"encoding/json"
	"math/big"

	api "github.com/cosell/cosell/api/benefits"
)

// The seeded catalog: benefits of the programs AWS's developer guide names
// (MAP, MDF, ISVWMP, Innovation Sandbox, POC, Partner Initiative Funding)
// and of each fulfillment type, each with a request schema of the fields
// such an application asks for in Partner Central. Both catalogs hold the
// same benefits under different ids, as AWS's do (semantics-2026 §3.1).

// Fragments the schemas share.
const (
	accountIDProp = `"AccountId":{"type":"string","pattern":"^[0-9]{12}$","description":"The AWS account that receives the credits."}`
	customerProp  = `"CustomerName":{"type":"string","minLength":1,"maxLength":255}`
	amountProp    = `"RequestedAmount":{"type":"number","minimum":1,"description":"Amount requested, in USD."}`
	datesProps    = `"StartDate":{"type":"string","format":"date"},"EndDate":{"type":"string","format":"date"}`
)

// seedBenefit is a catalog entry before its per-catalog id.
type seedBenefit struct {
	key string // stable name the id derives from
	Benefit
}

var seedBenefits = []seedBenefit{
	{"map-assess", Benefit{
		Name:        "MAP Assess",
		Description: "Migration Acceleration Program funding for a migration readiness assessment and business case.",
		Programs:    []string{"MAP"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCredits, api.FulfillmentTypeCash},
		RequestSchema: schemaOf(`{"type":"object","required":["AccountId","CustomerName","EstimatedArr","MigrationWorkloads"],"properties":{` +
			accountIDProp + `,` + customerProp + `,"EstimatedArr":{"type":"number","minimum":0,"description":"Estimated annual recurring revenue after migration, in USD."},` +
			`"MigrationWorkloads":{"type":"array","minItems":1,"items":{"type":"string","minLength":1}},` +
			`"AssessmentType":{"type":"string","enum":["MRA","MPA","TCO"]},` + datesProps + `}}`),
		AmendableFieldPaths: []string{"$.AccountId"},
		DefaultAmount:       &api.MonetaryValue{Amount: "25000", CurrencyCode: api.CurrencyCodeUsd}, ValidDays: 180,
	}},
	{"map-mobilize", Benefit{
		Name:        "MAP Mobilize",
		Description: "Migration Acceleration Program credits and cash for landing zone, pilot migrations and migration planning.",
		Programs:    []string{"MAP"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCredits, api.FulfillmentTypeCash},
		RequestSchema: schemaOf(`{"type":"object","required":["AccountId","CustomerName","EstimatedArr","MapAgreementId"],"properties":{` +
			accountIDProp + `,` + customerProp + `,"EstimatedArr":{"type":"number","minimum":0},` +
			`"MapAgreementId":{"type":"string","pattern":"^MAP-[A-Z0-9]{6,12}$"},` + amountProp + `,` + datesProps + `}}`),
		AmendableFieldPaths: []string{"$.AccountId"},
		DefaultAmount:       &api.MonetaryValue{Amount: "100000", CurrencyCode: api.CurrencyCodeUsd}, ValidDays: 365,
	}},
	{"poc-credits", Benefit{
		Name:        "Proof of Concept Credits",
		Description: "AWS Promotional Credits for a customer proof of concept of a partner solution.",
		Programs:    []string{"POC"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCredits},
		RequestSchema: schemaOf(`{"type":"object","required":["AccountId","CustomerName","UseCase","RequestedAmount"],"properties":{` +
			accountIDProp + `,` + customerProp + `,"UseCase":{"type":"string","minLength":20,"maxLength":2000},` +
			`"RequestedAmount":{"type":"number","minimum":1,"maximum":25000},"SuccessCriteria":{"type":"string","maxLength":2000},` + datesProps + `}}`),
		AmendableFieldPaths: []string{"$.AccountId"},
		DefaultAmount:       &api.MonetaryValue{Amount: "10000", CurrencyCode: api.CurrencyCodeUsd}, ValidDays: 90,
	}},
	{"mdf-cash", Benefit{
		Name:        "Marketing Development Funds",
		Description: "Cash reimbursement of co-marketing activities that generate demand for AWS and the partner's solutions.",
		Programs:    []string{"MDF"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCash},
		RequestSchema: schemaOf(`{"type":"object","required":["ActivityName","ActivityType","RequestedAmount","StartDate","EndDate","ExpectedLeads"],"properties":{` +
			`"ActivityName":{"type":"string","minLength":1,"maxLength":255},` +
			`"ActivityType":{"type":"string","enum":["EVENT","WEBINAR","DIGITAL_CAMPAIGN","CONTENT_SYNDICATION","IMMERSION_DAY"]},` +
			amountProp + `,"ExpectedLeads":{"type":"integer","minimum":0},` + datesProps + `}}`),
		DefaultAmount: &api.MonetaryValue{Amount: "15000", CurrencyCode: api.CurrencyCodeUsd}, ValidDays: 120,
	}},
	{"isvwmp", Benefit{
		Name:        "ISV Workload Migration Program",
		Description: "Credits for migrating a customer's ISV workload to AWS, paid in two tranches.",
		Programs:    []string{"ISVWMP"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCredits},
		RequestSchema: schemaOf(`{"type":"object","required":["AccountId","CustomerName","WorkloadName","EstimatedArr"],"properties":{` +
			accountIDProp + `,` + customerProp + `,"WorkloadName":{"type":"string","minLength":1,"maxLength":255},` +
			`"EstimatedArr":{"type":"number","minimum":0},"IsvWmpSecondTrancheConsentCaptured":{"type":"boolean"}}}`),
		AmendableFieldPaths: []string{"$.IsvWmpSecondTrancheConsentCaptured"},
		DefaultAmount:       &api.MonetaryValue{Amount: "50000", CurrencyCode: api.CurrencyCodeUsd}, ValidDays: 365,
	}},
	{"innovation-sandbox", Benefit{
		Name:        "Innovation Sandbox Credits",
		Description: "AWS Promotional Credits for building and testing new partner solutions.",
		Programs:    []string{"INNOVATION_SANDBOX"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCredits},
		RequestSchema: schemaOf(`{"type":"object","required":["AccountId","SolutionName","ProjectDescription"],"properties":{` +
			accountIDProp + `,"SolutionName":{"type":"string","minLength":1,"maxLength":255},"ProjectDescription":{"type":"string","minLength":20,"maxLength":2000}}}`),
		DefaultAmount: &api.MonetaryValue{Amount: "5000", CurrencyCode: api.CurrencyCodeUsd}, ValidDays: 365,
	}},
	{"partner-initiative", Benefit{
		Name:        "Partner Initiative Funding",
		Description: "Cash funding for partner practice-building initiatives agreed with AWS.",
		Programs:    []string{"PARTNER_INITIATIVE_FUNDING"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCash},
		RequestSchema: schemaOf(`{"type":"object","required":["InitiativeName","RequestedAmount","Milestones"],"properties":{` +
			`"InitiativeName":{"type":"string","minLength":1,"maxLength":255},` + amountProp + `,` +
			`"Milestones":{"type":"array","minItems":1,"maxItems":10,"items":{"type":"string","minLength":1}},` + datesProps + `}}`),
		DefaultAmount: &api.MonetaryValue{Amount: "20000", CurrencyCode: api.CurrencyCodeUsd}, ValidDays: 365,
	}},
	{"skill-builder", Benefit{
		Name:        "AWS Skill Builder Team Subscription",
		Description: "Seats of AWS Skill Builder's team subscription for the partner's technical staff.",
		Programs:    []string{"TRAINING"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeAccess},
		RequestSchema: schemaOf(`{"type":"object","required":["Seats","AdminEmail"],"properties":{` +
			`"Seats":{"type":"integer","minimum":1,"maximum":100},"AdminEmail":{"type":"string","format":"email"}}}`),
		ValidDays: 365, AccessDescription: "Sign in to AWS Skill Builder with the administrator email and assign the seats under Team management.",
	}},
	{"map-legacy", Benefit{
		Name:        "MAP 2.0 Migrate (legacy)",
		Description: "Superseded by MAP Mobilize; kept for applications made before the change.",
		Programs:    []string{"MAP"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCredits},
		Status:        api.BenefitStatusInactive,
		RequestSchema: schemaOf(`{"type":"object","required":["AccountId"],"properties":{` + accountIDProp + `}}`),
	}},
}

// seedCatalog is a fresh copy of the seeded benefits of catalog; a catalog
// other than AWS and Sandbox has none (it exists for nothing).
func seedCatalog(catalog string) []Benefit {
	if catalog != CatalogAWS && catalog != CatalogSandbox {
		return nil
	}
	out := make([]Benefit, len(seedBenefits))
	for i, s := range seedBenefits {
		b := s.Benefit
		b.Id = seedID(catalog, s.key)
		if b.Status == "" {
			b.Status = api.BenefitStatusActive
		}
		out[i] = b
	}
	return out
}

// seedID is a seeded benefit's id: stable across restarts and resets,
// different in each catalog.
func seedID(catalog, key string) string {
	sum := sha256.Sum256([]byte(catalog + "/" + key))
	digits := new(big.Int).SetBytes(sum[:]).Text(36)
	return "ben-" + digits[:14]
}

// schemaOf checks a seeded schema at start: a typo is a programming error.
func schemaOf(text string) json.RawMessage {
	if _, err := parseSchema(json.RawMessage(text)); err != nil {
		panic("benefits: seeded schema: " + err.Error())
	}
	return json.RawMessage(text)
}
