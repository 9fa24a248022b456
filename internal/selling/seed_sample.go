package selling

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/selling"
)

// Vocabulary for sample opportunities. The lists are sized so that company
// names repeat (as real pipelines have several deals per customer) yet spread
// over thousands of values, which keeps the customer-company index realistic.
var (
	sampleNameHeads = []string{"Acme", "Apex", "Blue", "Bright", "Cedar", "Crest", "Delta", "Eagle", "Ember", "Fable",
		"Granite", "Harbor", "Helix", "Indigo", "Juniper", "Keystone", "Lumen", "Maple", "Meridian", "Nimbus",
		"Northwind", "Orbit", "Pioneer", "Quartz", "Redwood", "Riverside", "Sable", "Summit", "Tidal", "Vertex"}
	sampleNameTails = []string{"Analytics", "Bank", "Biotech", "Capital", "Foods", "Freight", "Health", "Insurance",
		"Labs", "Logistics", "Media", "Motors", "Networks", "Pharma", "Retail", "Robotics", "Software", "Systems",
		"Telecom", "Travel"}
	sampleNameSuffixes = []string{"Inc.", "LLC", "GmbH", "Ltd", "Corp.", "Group", "S.A.", "K.K."}

	sampleIndustries = []api.Industry{api.IndustryAerospace, api.IndustryAutomotive, api.IndustryEducation,
		api.IndustryFinancialServices, api.IndustryGaming, api.IndustryHealthcare, api.IndustryManufacturing,
		api.IndustryMediaAndEntertainment, api.IndustryRetail, api.IndustrySoftwareAndInternet, api.IndustryTelecommunications}

	sampleUseCases = []string{"AI Machine Learning and Analytics", "Business Intelligence & Data Warehouse",
		"Migration / Database Migration", "Containers & Serverless", "Security & Compliance", "Storage & Backup",
		"IoT", "Contact Center"}

	sampleProblems = []string{
		"The customer's on-premises data warehouse cannot keep up with nightly batch volumes.",
		"Legacy order management runs on end-of-life hardware that must be retired this year.",
		"Support agents lack a single view of the customer across channels.",
		"Regulators require the customer to keep auditable copies of every transaction for seven years.",
		"Peak season traffic overwhelms the current hosting provider every quarter.",
	}

	sampleNeeds = []api.PrimaryNeedFromAws{api.PrimaryNeedFromAwsCoSellArchitecturalValidation,
		api.PrimaryNeedFromAwsCoSellBusinessPresentation, api.PrimaryNeedFromAwsCoSellPricingAssistance,
		api.PrimaryNeedFromAwsCoSellTechnicalConsultation, api.PrimaryNeedFromAwsCoSellDealSupport}

	sampleDeliveryModels = []api.DeliveryModel{api.DeliveryModelSaaSOrPaaS, api.DeliveryModelManagedServices,
		api.DeliveryModelProfessionalServices, api.DeliveryModelResell}

	sampleActivities = []api.SalesActivity{api.SalesActivityInitializedDiscussionsWithCustomer,
		api.SalesActivityCustomerHasShownInterestInSolution, api.SalesActivityConductedPocDemo,
		api.SalesActivityInEvaluationPlanningStage, api.SalesActivityAgreedOnSolutionToBusinessProblem}

	sampleFirstNames = []string{"Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jamal"}
	sampleLastNames  = []string{"Garcia", "Ito", "Kowalski", "Mensah", "Novak", "Okafor", "Rossi", "Schmidt", "Singh", "Walsh"}
)

// sampleAddress is a city with a postal code format its country accepts.
type sampleAddress struct {
	country     api.CountryCode
	city, state string // state only for the US: AWS refuses StateOrRegion elsewhere
	postalCode  string
}

var sampleAddresses = []sampleAddress{
	{api.CountryCodeUs, "Seattle", "Washington", "98101"},
	{api.CountryCodeUs, "Austin", "Texas", "73301"},
	{api.CountryCodeUs, "New York", "New York", "10001"},
	{api.CountryCodeDe, "Berlin", "", "10115"},
	{api.CountryCodeGb, "London", "", "EC1A 1BB"},
	{api.CountryCodeFr, "Lyon", "", "69001"},
	{api.CountryCodeJp, "Osaka", "", "530-0001"},
	{api.CountryCodeIn, "Bengaluru", "", "560001"},
}

// sampleCreateStages are the stages a partner can create an opportunity in
// without first associating a solution (Committed and Launched need one).
var sampleCreateStages = []api.Stage{api.StageProspect, api.StageQualified, api.StageTechnicalValidation,
	api.StageBusinessValidation, api.StageClosedLost}

// SampleOpportunity returns a realistic CreateOpportunity request that
// passes the model's validation and the business rules on day today: a
// varied customer, project, spend and life cycle, drawn from rng. The
// caller sets ClientToken. Seeding builds its stored records from these, and
// load tests send them, so both exercise the same shapes of data.
func SampleOpportunity(rng *rand.Rand, catalog string, today time.Time) *api.CreateOpportunityRequest {
	company := fmt.Sprintf("%s %s %s", pick(rng, sampleNameHeads), pick(rng, sampleNameTails), pick(rng, sampleNameSuffixes))
	domain := strings.ToLower(strings.Fields(company)[0]+strings.Fields(company)[1]) + ".example.com"
	addr := pick(rng, sampleAddresses)
	address := &api.Address{City: ptr(addr.city), CountryCode: ptr(addr.country), PostalCode: ptr(addr.postalCode),
		StreetAddress: ptr(fmt.Sprintf("%d Market Street", 1+rng.IntN(999)))}
	if addr.state != "" {
		address.StateOrRegion = ptr(addr.state)
	}
	useCase := pick(rng, sampleUseCases)
	lc := &api.LifeCycle{
		Stage:           ptr(pick(rng, sampleCreateStages)),
		NextSteps:       ptr("Schedule the architecture review with the customer's platform team."),
		TargetCloseDate: ptr(today.AddDate(0, 0, 7+rng.IntN(540)).Format(time.DateOnly)),
	}
	if *lc.Stage == api.StageClosedLost {
		lc.ClosedLostReason = ptr(api.ClosedLostReasonPrice)
	}
	return &api.CreateOpportunityRequest{
		Catalog:                      catalog,
		PrimaryNeedsFromAws:          []api.PrimaryNeedFromAws{pick(rng, sampleNeeds)},
		NationalSecurity:             ptr(api.NationalSecurityNo),
		PartnerOpportunityIdentifier: ptr(fmt.Sprintf("CRM-%08d", rng.IntN(100_000_000))),
		OpportunityType:              ptr(api.OpportunityTypeNetNewBusiness),
		Customer: &api.Customer{
			Account: &api.Account{CompanyName: company, Industry: ptr(pick(rng, sampleIndustries)),
				WebsiteUrl: ptr("https://www." + domain), Address: address},
			Contacts: []api.Contact{sampleContact(rng, domain, "Head of Platform Engineering")},
		},
		Project: &api.Project{
			Title:                   ptr(useCase + " for " + company),
			CustomerBusinessProblem: ptr(pick(rng, sampleProblems)),
			CustomerUseCase:         ptr(useCase),
			DeliveryModels:          []api.DeliveryModel{pick(rng, sampleDeliveryModels)},
			ExpectedCustomerSpend: []api.ExpectedCustomerSpend{{
				Amount: ptr(fmt.Sprintf("%d", 500*(1+rng.IntN(400)))), CurrencyCode: api.CurrencyCodeUsd,
				Frequency: api.PaymentFrequencyMonthly, TargetCompany: "AWS",
			}},
			SalesActivities: []api.SalesActivity{pick(rng, sampleActivities)},
		},
		LifeCycle:       lc,
		OpportunityTeam: []api.Contact{sampleContact(rng, "partner.example.com", "Account Executive")},
	}
}

func sampleContact(rng *rand.Rand, domain, title string) api.Contact {
	first, last := pick(rng, sampleFirstNames), pick(rng, sampleLastNames)
	return api.Contact{
		FirstName: ptr(first), LastName: ptr(last), BusinessTitle: ptr(title),
		Email: ptr(strings.ToLower(first+"."+last) + "@" + domain),
		Phone: ptr(fmt.Sprintf("+1206555%04d", rng.IntN(10000))),
	}
}

func pick[T any](rng *rand.Rand, from []T) T { return from[rng.IntN(len(from))] }
