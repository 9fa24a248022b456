package selling

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	api "github.com/cosell/cosell/api/selling"
)

// fieldPaths flattens the partner-editable part of an opportunity into
// FieldName-style paths ("customer.account.address.postalCode") and the JSON
// of each leaf. Lists are leaves: editability rules speak of whole lists.
func fieldPaths(r *record) map[string]string {
	o := r.Opportunity
	f := partnerFields{
		PrimaryNeedsFromAws: o.PrimaryNeedsFromAws, NationalSecurity: o.NationalSecurity,
		PartnerOpportunityIdentifier: o.PartnerOpportunityIdentifier, Customer: o.Customer, Project: o.Project,
		OpportunityType: o.OpportunityType, Marketing: o.Marketing, SoftwareRevenue: o.SoftwareRevenue,
	}
	if lc := o.LifeCycle; lc != nil {
		// Review fields and the history are the service's, not the partner's.
		f.LifeCycle = &api.LifeCycle{Stage: lc.Stage, ClosedLostReason: lc.ClosedLostReason, NextSteps: lc.NextSteps, TargetCloseDate: lc.TargetCloseDate}
	}
	doc, _ := json.Marshal(f)
	var tree map[string]any
	_ = json.Unmarshal(doc, &tree)
	out := map[string]string{}
	flatten("", tree, out)
	return out
}

func flatten(prefix string, v any, out map[string]string) {
	if m, ok := v.(map[string]any); ok {
		for k, child := range m {
			flatten(joinPath(prefix, lowerFirst(k)), child, out)
		}
		return
	}
	if v == nil {
		return
	}
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	out[prefix] = b.String()
}

func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// changedPaths lists, sorted, the paths whose value differs between two
// flattenings, including paths present in only one of them.
func changedPaths(before, after map[string]string) []string {
	var changed []string
	for p, v := range after {
		if before[p] != v {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	return changed
}

// coveredBy reports whether path or one of its ancestors is in set.
func coveredBy(path string, set map[string]bool) bool {
	for {
		if set[path] {
			return true
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return false
		}
		path = path[:i]
	}
}
