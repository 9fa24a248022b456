package exchange

import (
	"strings"

	"github.com/cosell/cosell/internal/ace"
)

// folders are the folders of one kind of file.
type folders struct {
	kind                            ace.Kind
	inbound, inboundArchive         string
	results, resultsArchive         string
	outbound, outboundArchive, stem string // stem names export files
}

var kinds = []folders{
	{kind: ace.KindOpportunity, inbound: ace.OpportunityInbound, inboundArchive: ace.OpportunityInboundArchive,
		results: ace.OpportunityResults, resultsArchive: ace.OpportunityResultsArchive,
		outbound: ace.OpportunityOutbound, outboundArchive: ace.OpportunityOutboundArchive, stem: "opportunity"},
	{kind: ace.KindLead, inbound: ace.LeadInbound, inboundArchive: ace.LeadInboundArchive,
		results: ace.LeadResults, resultsArchive: ace.LeadResultsArchive,
		outbound: ace.LeadOutbound, outboundArchive: ace.LeadOutboundArchive, stem: "lead"},
}

// inboundFile splits an inbound key into its folders and file name; ok is
// false for a key outside the inbound folders or a folder marker.
func inboundFile(key string) (f folders, name string, ok bool) {
	for _, f := range kinds {
		if name, found := strings.CutPrefix(key, f.inbound); found && name != "" {
			return f, name, true
		}
	}
	return folders{}, "", false
}

// resultsArchiveKey is where the archived copy of a results-folder file
// goes.
func (f folders) resultsArchiveKey(resultKey string) string {
	return f.resultsArchive + strings.TrimPrefix(resultKey, f.results)
}
