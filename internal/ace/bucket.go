package ace

import "strings"

// Folders of an ACE bucket (semantics.md §6.2), each with its trailing slash.
const (
	OpportunityOutbound        = "opportunity-outbound/"
	OpportunityOutboundArchive = "opportunity-outbound-archive/"
	OpportunityInbound         = "opportunity-inbound/"
	OpportunityInboundArchive  = "opportunity-inbound-archive/"
	OpportunityResults         = "opportunity-inbound-processed-results/"
	OpportunityResultsArchive  = "opportunity-inbound-processed-results-archive/"
	LeadOutbound               = "lead-outbound/"
	LeadOutboundArchive        = "lead-outbound-archive/"
	LeadInbound                = "lead-inbound/"
	LeadInboundArchive         = "lead-inbound-archive/"
	LeadResults                = "lead-inbound-processed-results/"
	LeadResultsArchive         = "lead-inbound-processed-results-archive/"
)

// Kind is what a file carries.
type Kind string

// The kinds of ACE files.
const (
	KindOpportunity Kind = "opportunity"
	KindLead        Kind = "lead"
)

// The catalog of a bucket follows from its environment: "beta" is the Sandbox, "prod" is AWS.
var bucketEnvironments = map[string]string{"Sandbox": "beta", "AWS": "prod"}

const (
	bucketPrefix = "ace-apn-"
	bucketSuffix = "-us-west-2"
)

// BucketName is the partner's ACE bucket for a catalog: "ace-apn-{spmsId}-beta-us-west-2" for Sandbox,
// "ace-apn-{spmsId}-prod-us-west-2" for AWS.
func BucketName(spmsID, catalog string) string {
	env, ok := bucketEnvironments[catalog]
	if !ok {
		env = bucketEnvironments["AWS"]
	}
	return bucketPrefix + spmsID + "-" + env + bucketSuffix
}

// ParseBucketName inverts BucketName; ok is false for any other name.
func ParseBucketName(bucket string) (spmsID, catalog string, ok bool) {
	rest, found := strings.CutPrefix(bucket, bucketPrefix)
	if !found {
		return "", "", false
	}
	rest, found = strings.CutSuffix(rest, bucketSuffix)
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '-')
	if i <= 0 {
		return "", "", false
	}
	for cat, env := range bucketEnvironments {
		if rest[i+1:] == env {
			return rest[:i], cat, true
		}
	}
	return "", "", false
}
