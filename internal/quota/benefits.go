package quota

// benefitsService is the Benefits API's Smithy service name.
const benefitsService = "PartnerCentralBenefitsService"

// The Benefits API's quota classes (developer guide, "Benefits quotas";
// semantics-2026 §3.7): per account, every operation of the API has one.
var (
	BenefitsRead  = Class{Name: "benefits read", PerSecond: 20}
	BenefitsList  = Class{Name: "benefit application list", PerSecond: 30}
	BenefitsWrite = Class{Name: "benefits write", PerSecond: 10}
)

var benefitsClasses = map[string]*Class{
	"GetBenefit":             &BenefitsRead,
	"ListBenefits":           &BenefitsRead,
	"GetBenefitAllocation":   &BenefitsRead,
	"ListBenefitAllocations": &BenefitsRead,
	"GetBenefitApplication":  &BenefitsRead,

	"ListBenefitApplications": &BenefitsList,

	"CreateBenefitApplication":               &BenefitsWrite,
	"UpdateBenefitApplication":               &BenefitsWrite,
	"SubmitBenefitApplication":               &BenefitsWrite,
	"AmendBenefitApplication":                &BenefitsWrite,
	"CancelBenefitApplication":               &BenefitsWrite,
	"RecallBenefitApplication":               &BenefitsWrite,
	"AssociateBenefitApplicationResource":    &BenefitsWrite,
	"DisassociateBenefitApplicationResource": &BenefitsWrite,
	// AWS lists no rate for the tag operations; they count as writes
	// (TagResource, UntagResource) and reads (ListTagsForResource).
	"TagResource":         &BenefitsWrite,
	"UntagResource":       &BenefitsWrite,
	"ListTagsForResource": &BenefitsRead,
}
