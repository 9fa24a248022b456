package benefits

import (
	"context"
	"encoding/json"
	"sort"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// ListBenefitApplications lists the caller's applications, oldest first
// (AWS documents no order), matching every filter given; within a filter,
// any value matches. AssociatedResources filters match by ARN, or by type
// and identifier when no ARN is given.
func (s *Service) ListBenefitApplications(ctx context.Context, account string, in *api.ListBenefitApplicationsInput) (*listApplicationsOutput, error) {
	if err := s.decideDueReviews(ctx, account, in.Catalog); err != nil {
		return nil, err
	}
	match := map[string][]string{"owner": {account}}
	filter := func(key string, values []string) {
		if len(values) > 0 {
			match[key] = values
		}
	}
	filter("program", in.Programs)
	filter("fulfillment", stringsOf(in.FulfillmentTypes))
	filter("benefit", s.idsOf(in.BenefitIdentifiers, in.Catalog, "benefit"))
	filter("status", stringsOf(in.Status))
	filter("stage", in.Stages)
	filter("resource", in.AssociatedResourceArns)
	if len(in.AssociatedResources) > 0 {
		// A ListBenefitApplications filter by type and identifier stands
		// for the ARN that resource has in the caller's catalog.
		arns := make([]string, 0, len(in.AssociatedResources))
		for _, r := range in.AssociatedResources {
			arns = append(arns, s.resourceArn(account, in.Catalog, r))
		}
		if len(in.AssociatedResourceArns) > 0 {
			// Both filters: the application has a resource of each.
			arns = intersect(arns, in.AssociatedResourceArns)
		}
		match["resource"] = arns
	}
	bind, err := pagetoken.Binding(account, in.Catalog, "ListBenefitApplications", in, func(r *api.ListBenefitApplicationsInput) { r.NextToken, r.MaxResults = nil, nil })
	if err != nil {
		return nil, err
	}
	rows, next, err := docstore.ListPage[applicationRecord](ctx, s.tokens, s.store, docstore.Page{
		Query: store.DocumentQuery{Kind: kindApplication, Catalog: in.Catalog, Match: match}, Binding: bind, Token: in.NextToken, Size: pageSize(in.MaxResults),
	})
	if err != nil {
		return nil, err
	}
	out := &listApplicationsOutput{BenefitApplicationSummaries: make([]api.BenefitApplicationSummary, len(rows))}
	out.NextToken = next
	for i, a := range rows {
		out.BenefitApplicationSummaries[i] = api.BenefitApplicationSummary{
			Catalog: &a.Catalog, Name: a.Name, Id: &a.Id, Arn: &a.Arn, BenefitId: &a.BenefitId, Programs: a.Programs,
			FulfillmentTypes: a.FulfillmentTypes, Status: &a.Status, Stage: a.Stage, CreatedAt: &a.CreatedAt, UpdatedAt: &a.UpdatedAt,
			BenefitApplicationDetails: summaryDetails(a.Details), AssociatedResources: a.Resources,
		}
	}
	return out, nil
}

// listApplicationsOutput is ListBenefitApplications' answer, whose list
// is there even when empty, as AWS's list answers carry [] (the generated
// type would leave it out).
type listApplicationsOutput struct {
	api.ListBenefitApplicationsOutput
	BenefitApplicationSummaries []api.BenefitApplicationSummary `json:"BenefitApplicationSummaries"`
}

// resourceArn is the ARN of a resource named by type and identifier (or
// ARN) in the caller's catalog.
func (s *Service) resourceArn(account, catalog string, r api.AssociatedResource) string {
	if r.ResourceArn != nil {
		return *r.ResourceArn
	}
	ident := deref(r.ResourceIdentifier)
	switch deref(r.ResourceType) {
	case api.ResourceTypeOpportunity:
		return "arn:aws:partnercentral:" + s.region + ":" + account + ":catalog/" + catalog + "/opportunity/" + ident
	case api.ResourceTypeBenefitAllocation:
		return s.allocationArn(account, catalog, ident)
	}
	return "\x00none"
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
			}
		}
	}
	if out == nil {
		return []string{"\x00none"}
	}
	return out
}

// summaryDetails is a summary's BenefitApplicationDetails, a map of
// strings: the details' top-level members that are plain values, as text.
// AWS says only that the owner selects the fields; these are the ones a
// string map can hold faithfully.
func summaryDetails(raw json.RawMessage) map[string]string {
	details, err := decodeDetails(raw)
	if err != nil || len(details) == 0 {
		return nil
	}
	out := map[string]string{}
	names := make([]string, 0, len(details))
	for k := range details {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		switch v := details[k].(type) {
		case string:
			out[k] = v
		case json.Number:
			out[k] = v.String()
		case bool:
			if v {
				out[k] = "true"
			} else {
				out[k] = "false"
			}
		}
	}
	return out
}
