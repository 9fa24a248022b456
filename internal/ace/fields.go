package ace

import "strings"

// field is a row of Opportunity-Fields.csv.
type field struct {
	name    string // the ACE JSON name
	label   string // "Name on ACE pipeline Manager", used in messages
	kind    string // the CSV's Datatype: "Single select picklist", "Date", "Array", ...
	apiPath string // where it lives in the Selling API's opportunity; "" when nowhere
	// inbound is the CSV's "Inbound - Mandatory / Conditionally Mandatory / Optional".
	inbound string
	// Which updates may change the field (the CSV's update columns) and whether a create may set it.
	onActionRequired, afterLaunch, beforeLaunch, onCreate bool
	outbound                                              bool
}

// opportunityFields are the rows of Opportunity-Fields.csv, in its order; fieldsByName indexes them.
var (
	opportunityFields []field
	fieldsByName      = map[string]*field{}
)

// apiPathFixes corrects the CSV's "Field Name - AWS Partner Selling APIs" where it names an older draft of the
// API: the key is the ACE field, the value the path in the generated selling types ("" = not on the opportunity).
// Paths naming nothing on a type (AWSOpportunityTeam.*, AWSSalesLifeCycle.*) are simply skipped there; the AWS
// summary fields are rendered from GetAwsOpportunitySummary instead (outbound.go).
var apiPathFixes = map[string]string{
	"doesOppBelongToNatSec":         "NationalSecurity",
	"country":                       "Customer.Account.Address.CountryCode",
	"awsAccountId":                  "Customer.Account.AwsAccountId",
	"awsProducts":                   "RelatedEntityIdentifiers.AwsProducts",
	"targetCloseDate":               "LifeCycle.TargetCloseDate",
	"deliveryModel":                 "Project.DeliveryModels",
	"marketingActivityChannel":      "Marketing.Channels",
	"marketingActivityUsecase":      "Marketing.UseCases",
	"isMarketingDevelopmentFunded":  "Marketing.AwsFundingUsed",
	"nextStepHistory":               "LifeCycle.NextStepsHistory",
	"partnerPrimaryNeedFromAws":     "PrimaryNeedsFromAws",
	"expectedMonthlyAwsRevenue":     "Project.ExpectedCustomerSpend[0].Amount",
	"campaignName":                  "Project.ApnPrograms",
	"competitiveTracking":           "Project.CompetitorName",
	"customerEmail":                 "Customer.Contacts[0].Email",
	"customerFirstName":             "Customer.Contacts[0].FirstName",
	"customerLastName":              "Customer.Contacts[0].LastName",
	"customerPhone":                 "Customer.Contacts[0].Phone",
	"customerTitle":                 "Customer.Contacts[0].BusinessTitle",
	"primaryContactEmail":           "OpportunityTeam[0].Email",
	"primaryContactFirstName":       "OpportunityTeam[0].FirstName",
	"primaryContactLastName":        "OpportunityTeam[0].LastName",
	"primaryContactPhone":           "OpportunityTeam[0].Phone",
	"primaryContactTitle":           "OpportunityTeam[0].BusinessTitle",
	"status":                        "LifeCycle.ReviewStatus",
	"offers":                        "RelatedEntityIdentifiers.AwsMarketplaceOffers",
	"customerSoftwareValueCurrency": "SoftwareRevenue.Value.CurrencyCode",
	"apnCrmUniqueIdentifier":        "Id",
	// The owner is set with AssignOpportunity, the acceptance on the invitation, the rest by AWS.
	"opportunityOwnerEmail":      "",
	"opportunityOwnerName":       "",
	"opportunityOwnership":       "",
	"engagementScore":            "",
	"recommendedNextBestActions": "",
	"acceptBy":                   "",
	"partnerAcceptanceStatus":    "",
	"rejectionReason":            "",
	"cosellConvertReason":        "",
	"apnCrmLeadUniqueIdentifier": "",
}

func init() {
	_, rows := readTable("Opportunity-Fields.csv")
	for _, row := range rows {
		f := field{
			name: cell(row, 0), label: cell(row, 1), kind: cell(row, 2), apiPath: firstLine(cell(row, 3)),
			inbound:          cell(row, 8),
			onActionRequired: yes(cell(row, 12)), afterLaunch: yes(cell(row, 13)), beforeLaunch: yes(cell(row, 14)),
			onCreate: yes(cell(row, 15)), outbound: yes(cell(row, 16)),
		}
		if fix, ok := apiPathFixes[f.name]; ok {
			f.apiPath = fix
		}
		if f.apiPath == "#N/A" {
			f.apiPath = ""
		}
		opportunityFields = append(opportunityFields, f)
	}
	for i := range opportunityFields {
		fieldsByName[opportunityFields[i].name] = &opportunityFields[i]
	}
}

// yes reads the CSV's "Yes", "Yes (ISV Partners Only)", "Yes (For special programs)" as true.
func yes(s string) bool { return strings.HasPrefix(s, "Yes") }

// firstLine keeps the first path of a cell listing several (names split into FirstName and LastName).
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}

// isMultiSelect reports a `;`-separated multi select picklist field.
func (f *field) isMultiSelect() bool { return strings.HasPrefix(f.kind, "Multi select") }

// isPicklist reports a single or multi select picklist field.
func (f *field) isPicklist() bool { return strings.Contains(f.kind, "picklist") }
