package ace

import (
	"strings"

	"github.com/cosell/cosell/api/selling"
)

// identifiers name the opportunity a record updates rather than change it; the exchange handles them itself.
var identifiers = map[string]bool{"apnCrmUniqueIdentifier": true, "partnerCrmUniqueIdentifier": true}

// IgnoredFields are the fields of r that UpdateOpportunity(current, r) leaves out although they name a member
// of the update: sent with a value, but read-only for current's ReviewStatus and stage per the CSV's update
// columns. They are in the CSV's order. While AWS reviews the opportunity the whole record is refused instead
// ("Record is not editable."), so nothing is ignored then. Fields set by other calls (solutions, products,
// offers) and fields that name no member of the update are not reported.
func IgnoredFields(current *selling.GetOpportunityResponse, r Record) []string {
	if current == nil {
		return nil
	}
	editable, open := editableFields(current)
	if !open {
		return nil
	}
	request := typeOf[selling.UpdateOpportunityRequest]()
	var ignored []string
	for i := range opportunityFields {
		f := &opportunityFields[i]
		if f.apiPath == "" || identifiers[f.name] || !r.Has(f.name) || editable(f) || leafType(request, f.apiPath) == nil {
			continue
		}
		ignored = append(ignored, f.name)
	}
	return ignored
}

// ignoredSuffix ends the result-file warning for an ignored field.
const ignoredSuffix = ": not updatable in the opportunity's current state; ignored"

// IgnoredWarning is the result-file warning for a field IgnoredFields reported.
func IgnoredWarning(field string) string { return field + ignoredSuffix }

// IgnoredField is the field an IgnoredWarning names; ok is false for any other warning.
func IgnoredField(warning string) (field string, ok bool) {
	field, ok = strings.CutSuffix(warning, ignoredSuffix)
	return field, ok && field != ""
}
