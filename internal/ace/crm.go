package ace

import (
	"time"

	"github.com/cosell/cosell/api/selling"
)

// OpportunityFromOutbound reads an outbound opportunity record (AWS -> partner) back into the Selling API's
// opportunity, the shape a CRM connector stores: the inverse of OutboundOpportunity over the same field table.
// AWS-side fields the opportunity has no place for are left out; skipped are the messages of fields whose value
// does not translate (the record is still usable without them).
func OpportunityFromOutbound(catalog string, r Record) (o *selling.GetOpportunityResponse, skipped []string) {
	o = &selling.GetOpportunityResponse{Catalog: catalog}
	for i := range opportunityFields {
		f := &opportunityFields[i]
		if _, isDate := outboundDates[f.name]; isDate || !r.Has(f.name) {
			continue
		}
		skipped = append(skipped, apply(o, f, r)...)
	}
	// The record's timestamps are the samples' "2022-03-08T13:15:35.000Z", not the Date fields' YYYY-MM-DD.
	for name, set := range outboundDates {
		if t, err := time.Parse(time.RFC3339Nano, r.Text(name)); err == nil {
			set(o, t)
		}
	}
	return o, skipped
}

var outboundDates = map[string]func(*selling.GetOpportunityResponse, time.Time){
	"createdDate":      func(o *selling.GetOpportunityResponse, t time.Time) { o.CreatedDate = t },
	"lastModifiedDate": func(o *selling.GetOpportunityResponse, t time.Time) { o.LastModifiedDate = t },
}
