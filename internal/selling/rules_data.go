package selling

// countriesWithoutPostalCode are the ISO 3166 alpha-2 codes of the countries
// AWS's opportunity field rules list as having no postal code
// (shared/reference/ace-s3/CountriesWithoutPostalCode.csv, by country name).
// A PostalCode for one of them is refused.
var countriesWithoutPostalCode = setOf(
	"AE", "AG", "AN", "AO", "AW", "BF", "BI", "BJ", "BO", "BQ", "BS", "BW", "BZ",
	"CF", "CG", "CI", "CK", "CM", "CW", "DJ", "DM", "ER", "FJ", "GD", "GH", "GM",
	"GQ", "GY", "HK", "HM", "KI", "KM", "KN", "LY", "ML", "MO", "MR", "MW", "NR",
	"NU", "QA", "RW", "SB", "SC", "SH", "SL", "SR", "ST", "SY", "TF", "TG", "TK",
	"TL", "TO", "TV", "UG", "VU", "YE", "ZW",
)

// actionRequiredEditable are the fields a partner may change while an
// opportunity is in "Action Required" (semantics.md §2.2, AWS DG
// working-with-opportunity-updates.html). Paths are the FieldName form.
var actionRequiredEditable = setOf(
	"customer.account.address.city",
	"customer.account.address.countryCode",
	"customer.account.address.postalCode",
	"customer.account.address.stateOrRegion",
	"customer.account.address.streetAddress",
	"customer.account.websiteUrl",
	"lifeCycle.targetCloseDate",
	"project.expectedCustomerSpend",
	"project.customerBusinessProblem",
	"partnerOpportunityIdentifier",
)

// frozenAfterApproval are the fields that can no longer change once AWS has
// approved the opportunity (same source).
var frozenAfterApproval = setOf(
	"customer.account.address.countryCode",
	"customer.account.address.postalCode",
	"customer.account.industry",
	"customer.account.websiteUrl",
	"project.customerBusinessProblem",
	"partnerOpportunityIdentifier",
	"project.title",
)

func setOf(values ...string) map[string]bool {
	m := make(map[string]bool, len(values))
	for _, v := range values {
		m[v] = true
	}
	return m
}
