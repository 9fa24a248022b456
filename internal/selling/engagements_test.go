package selling

import (
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

const acctC = "333333333333"

func leadPayload(company string) api.EngagementContextPayload {
	return api.EngagementContextPayload{Lead: &api.LeadContext{
		Customer: api.LeadCustomer{CompanyName: company, Address: &api.LeadAddress{CountryCode: ptr("US")}},
		Interactions: []api.LeadInteraction{{
			SourceType: ptr("Campaign"), SourceId: ptr("C1"), SourceName: ptr("Spring campaign"), CustomerAction: ptr("Completed Form"),
			Contact: api.LeadContact{BusinessTitle: "CTO", Email: "cto@example.com", FirstName: "Ada", LastName: "Lovelace"},
		}},
	}}
}

func projectPayload(title string) api.EngagementContextPayload {
	return api.EngagementContextPayload{CustomerProject: &api.CustomerProjectsContext{
		Customer: &api.EngagementCustomer{Industry: api.IndustryRetail, CompanyName: "Shop", WebsiteUrl: "shop.example", CountryCode: api.CountryCodeUs},
		Project:  &api.EngagementCustomerProjectDetails{Title: title, BusinessProblem: "Scale the shop", TargetCompletionDate: "2026-12-31"},
	}}
}

func (f *fixture) engagement(t *testing.T, account, token string, contexts ...api.EngagementContextDetails) string {
	t.Helper()
	out, err := f.svc.CreateEngagement(f.ctx, account, &api.CreateEngagementRequest{Catalog: CatalogSandbox, ClientToken: token, Title: ptr("Deal " + token), Description: ptr("About " + token), Contexts: contexts})
	if err != nil {
		t.Fatalf("CreateEngagement: %v", err)
	}
	return *out.Id
}

func (f *fixture) getEngagement(t *testing.T, account, id string) *api.GetEngagementResponse {
	t.Helper()
	out, err := f.svc.GetEngagement(f.ctx, account, &api.GetEngagementRequest{Catalog: CatalogSandbox, Identifier: id})
	if err != nil {
		t.Fatalf("GetEngagement: %v", err)
	}
	return out
}

// changeEngagement edits a stored engagement the way invitations and
// snapshots will: adding members and linking resources.
func (f *fixture) changeEngagement(t *testing.T, id string, change func(*engagementRecord)) {
	t.Helper()
	err := f.svc.store.Update(f.ctx, func(tx store.Tx) error {
		d, err := loadEngagement(f.ctx, tx, CatalogSandbox, id)
		if err != nil {
			return err
		}
		change(d.Value)
		_, err = f.svc.saveEngagement(f.ctx, tx, d, awsParty)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCreateAndGetEngagement(t *testing.T) {
	f := newFixture(t)
	in := &api.CreateEngagementRequest{Catalog: CatalogSandbox, ClientToken: "t1", Title: ptr("Deal"), Description: ptr("Big deal"), Contexts: []api.EngagementContextDetails{
		{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Acme"))},
		{Type: api.EngagementContextTypeCustomerProject, Payload: ptr(projectPayload("Lake"))},
	}}
	out, err := f.svc.CreateEngagement(f.ctx, acctA, in)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^eng-[0-9a-z]{14}$`).MatchString(*out.Id) {
		t.Errorf("Id %q", *out.Id)
	}
	if want := "arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/" + *out.Id; *out.Arn != want {
		t.Errorf("Arn %q, want %q", *out.Arn, want)
	}
	now := f.clock.Now()
	if !out.ModifiedAt.Equal(now) {
		t.Errorf("ModifiedAt %v, want %v", out.ModifiedAt, now)
	}

	got := f.getEngagement(t, acctA, *out.Arn) // an ARN identifies it too
	if *got.Id != *out.Id || *got.Title != "Deal" || *got.Description != "Big deal" || *got.CreatedBy != acctA || *got.ModifiedBy != acctA || *got.MemberCount != 1 {
		t.Errorf("GetEngagement: %+v", got)
	}
	if !got.CreatedAt.Equal(now) || !got.ModifiedAt.Equal(now) {
		t.Errorf("CreatedAt %v ModifiedAt %v, want both %v", got.CreatedAt, got.ModifiedAt, now)
	}
	if len(got.Contexts) != 2 || deref(got.Contexts[0].Id) != "1" || deref(got.Contexts[1].Id) != "2" ||
		got.Contexts[0].Payload.Lead.Customer.CompanyName != "Acme" || got.Contexts[1].Payload.CustomerProject.Project.Title != "Lake" {
		t.Fatalf("Contexts: %+v", got.Contexts)
	}
	if d := got.Contexts[0].Payload.Lead.Interactions[0].InteractionDate; d == nil || !d.Equal(now) {
		t.Errorf("an undated interaction is dated when recorded; got %v", d)
	}
	if in.Contexts[0].Payload.Lead.Interactions[0].InteractionDate != nil {
		t.Error("the request was modified")
	}

	again, err := f.svc.CreateEngagement(f.ctx, acctA, in)
	if err != nil || *again.Id != *out.Id {
		t.Errorf("replay: %v %v, want the first engagement", again, err)
	}
	changed := *in
	changed.Title = ptr("Other")
	_, err = f.svc.CreateEngagement(f.ctx, acctA, &changed)
	wantErr(t, err, apierr.KindConflict, "")

	_, err = f.svc.GetEngagement(f.ctx, acctB, &api.GetEngagementRequest{Catalog: CatalogSandbox, Identifier: *out.Id})
	wantErr(t, err, apierr.KindAccessDenied, "")
	for _, missing := range []struct{ catalog, id string }{
		{CatalogSandbox, "eng-00000000000000"}, {CatalogAWS, *out.Id},
		{CatalogSandbox, "arn:aws:partnercentral:us-east-1::catalog/AWS/engagement/" + *out.Id},
	} {
		_, err = f.svc.GetEngagement(f.ctx, acctA, &api.GetEngagementRequest{Catalog: missing.catalog, Identifier: missing.id})
		wantErr(t, err, apierr.KindNotFound, "")
	}
}

func TestCreateEngagementRejectsMismatchedPayload(t *testing.T) {
	f := newFixture(t)
	for _, c := range []api.EngagementContextDetails{
		{Type: api.EngagementContextTypeLead, Payload: ptr(projectPayload("Lake"))},
		{Type: api.EngagementContextTypeCustomerProject},
	} {
		_, err := f.svc.CreateEngagement(f.ctx, acctA, &api.CreateEngagementRequest{Catalog: CatalogSandbox, ClientToken: "t", Title: ptr("T"), Description: ptr("D"), Contexts: []api.EngagementContextDetails{c}})
		e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
		if !hasField(e, "contexts.payload", apierr.CodeInvalidValue) && !hasField(e, "contexts.payload", apierr.CodeRequiredFieldMissing) {
			t.Errorf("fields %+v", e.Fields)
		}
	}
}

func TestCreateEngagementContext(t *testing.T) {
	f := newFixture(t)
	id := f.engagement(t, acctA, "e", api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Acme"))})
	last := f.getEngagement(t, acctA, id).ModifiedAt
	add := func(account, token string, typ api.EngagementContextType, p api.EngagementContextPayload) (*api.CreateEngagementContextResponse, error) {
		return f.svc.CreateEngagementContext(f.ctx, account, &api.CreateEngagementContextRequest{Catalog: CatalogSandbox, EngagementIdentifier: id, ClientToken: token, Type: typ, Payload: p})
	}
	for n := 2; n <= maxContexts; n++ {
		out, err := add(acctA, fmt.Sprint("c", n), api.EngagementContextTypeCustomerProject, projectPayload(fmt.Sprint("P", n)))
		if err != nil {
			t.Fatal(err)
		}
		if *out.ContextId != fmt.Sprint(n) || *out.EngagementId != id || !out.EngagementLastModifiedAt.After(*last) {
			t.Errorf("context %d: %+v (previous modification %v)", n, out, last)
		}
		last = out.EngagementLastModifiedAt
	}
	replay, err := add(acctA, "c3", api.EngagementContextTypeCustomerProject, projectPayload("P3"))
	if err != nil || *replay.ContextId != "3" {
		t.Errorf("replay: %+v %v", replay, err)
	}
	_, err = add(acctA, "c6", api.EngagementContextTypeCustomerProject, projectPayload("P6"))
	wantErr(t, err, apierr.KindServiceQuotaExceeded, "")
	_, err = add(acctB, "b", api.EngagementContextTypeCustomerProject, projectPayload("B"))
	wantErr(t, err, apierr.KindAccessDenied, "")

	other := f.engagement(t, acctA, "other")
	_, err = f.svc.CreateEngagementContext(f.ctx, acctA, &api.CreateEngagementContextRequest{Catalog: CatalogSandbox, EngagementIdentifier: other, ClientToken: "m", Type: api.EngagementContextTypeLead, Payload: projectPayload("X")})
	e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
	if !hasField(e, "payload", apierr.CodeInvalidValue) {
		t.Errorf("fields %+v", e.Fields)
	}
	if n := len(f.getEngagement(t, acctA, other).Contexts); n != 0 {
		t.Errorf("a refused context was stored: %d contexts", n)
	}
}

func TestUpdateEngagementContext(t *testing.T) {
	f := newFixture(t)
	id := f.engagement(t, acctA, "e",
		api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Acme"))},
		api.EngagementContextDetails{Type: api.EngagementContextTypeCustomerProject, Payload: ptr(projectPayload("Lake"))})
	f.changeEngagement(t, id, func(e *engagementRecord) { e.addMember(Party{AccountID: acctB}) })
	created := f.getEngagement(t, acctA, id)
	lead := &api.UpdateLeadContext{
		QualificationStatus: ptr("Qualified"),
		Customer:            api.LeadCustomer{CompanyName: "Acme Renamed", Address: &api.LeadAddress{CountryCode: ptr("DE")}},
		Interaction:         &api.LeadInteraction{SourceType: ptr("Event"), SourceId: ptr("E1"), SourceName: ptr("Summit"), CustomerAction: ptr("Visited Booth")},
	}
	update := func(account, ctxID string, at time.Time, typ api.EngagementContextType, p api.UpdateEngagementContextPayload) (*api.UpdateEngagementContextResponse, error) {
		return f.svc.UpdateEngagementContext(f.ctx, account, &api.UpdateEngagementContextRequest{
			Catalog: CatalogSandbox, EngagementIdentifier: id, ContextIdentifier: ctxID, EngagementLastModifiedAt: at, Type: typ, Payload: p,
		})
	}

	f.clock.Advance(time.Second)
	out, err := update(acctB, "1", *created.ModifiedAt, api.EngagementContextTypeLead, api.UpdateEngagementContextPayload{Lead: lead})
	if err != nil {
		t.Fatal(err)
	}
	if out.ContextId != "1" || out.EngagementId != id || !out.EngagementLastModifiedAt.Equal(f.clock.Now()) {
		t.Errorf("response %+v", out)
	}
	got := f.getEngagement(t, acctA, id)
	l := got.Contexts[0].Payload.Lead
	if l.Customer.CompanyName != "Acme Renamed" || deref(l.QualificationStatus) != "Qualified" || len(l.Interactions) != 2 || deref(l.Interactions[1].SourceName) != "Summit" {
		t.Errorf("lead after update: %+v", l)
	}
	if *got.ModifiedBy != acctB || !got.ModifiedAt.Equal(out.EngagementLastModifiedAt) {
		t.Errorf("ModifiedBy %s ModifiedAt %v", *got.ModifiedBy, got.ModifiedAt)
	}

	_, err = update(acctA, "1", *created.ModifiedAt, api.EngagementContextTypeLead, api.UpdateEngagementContextPayload{Lead: lead})
	wantErr(t, err, apierr.KindConflict, "")

	fresh := out.EngagementLastModifiedAt
	project := &api.CustomerProjectsContext{Project: &api.EngagementCustomerProjectDetails{Title: "Lake v2", BusinessProblem: "More", TargetCompletionDate: "2027-01-31"}}
	if _, err := update(acctA, "2", fresh, api.EngagementContextTypeCustomerProject, api.UpdateEngagementContextPayload{CustomerProject: project}); err != nil {
		t.Fatal(err)
	}
	if p := f.getEngagement(t, acctA, id).Contexts[1].Payload.CustomerProject; p.Customer != nil || p.Project.Title != "Lake v2" {
		t.Errorf("a CustomerProject update replaces the payload: %+v", p)
	}

	fresh = *f.getEngagement(t, acctA, id).ModifiedAt
	_, err = update(acctA, "2", fresh, api.EngagementContextTypeLead, api.UpdateEngagementContextPayload{Lead: lead})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
	_, err = update(acctA, "1", fresh, api.EngagementContextTypeLead, api.UpdateEngagementContextPayload{CustomerProject: project})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
	_, err = update(acctA, "9", fresh, api.EngagementContextTypeLead, api.UpdateEngagementContextPayload{Lead: lead})
	wantErr(t, err, apierr.KindNotFound, "")
	_, err = update(acctC, "1", fresh, api.EngagementContextTypeLead, api.UpdateEngagementContextPayload{Lead: lead})
	wantErr(t, err, apierr.KindAccessDenied, "")
}

// listAll pages through ListEngagements with page size n.
func (f *fixture) listAll(t *testing.T, account string, in api.ListEngagementsRequest, n int32) []string {
	t.Helper()
	in.Catalog, in.MaxResults = CatalogSandbox, &n
	var ids []string
	for page := 0; ; page++ {
		out, err := f.svc.ListEngagements(f.ctx, account, &in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.EngagementSummaryList) > int(n) || (out.NextToken != nil && len(out.EngagementSummaryList) == 0) {
			t.Fatalf("page %d: %d items, token %v", page, len(out.EngagementSummaryList), out.NextToken)
		}
		for _, s := range out.EngagementSummaryList {
			ids = append(ids, *s.Id)
		}
		if out.NextToken == nil {
			return ids
		}
		in.NextToken = out.NextToken
	}
}

func TestListEngagements(t *testing.T) {
	f := newFixture(t)
	lead := api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Acme"))}
	project := api.EngagementContextDetails{Type: api.EngagementContextTypeCustomerProject, Payload: ptr(projectPayload("Lake"))}
	// Oldest first: A's lead, A's project, B's project, A's lead+project, A's bare one.
	var ids []string
	for i, c := range []struct {
		account  string
		contexts []api.EngagementContextDetails
	}{{acctA, []api.EngagementContextDetails{lead}}, {acctA, []api.EngagementContextDetails{project}}, {acctB, []api.EngagementContextDetails{project}}, {acctA, []api.EngagementContextDetails{lead, project}}, {acctA, nil}} {
		ids = append(ids, f.engagement(t, c.account, fmt.Sprint("e", i), c.contexts...))
		f.clock.Advance(time.Minute)
	}
	f.changeEngagement(t, ids[2], func(e *engagementRecord) { e.addMember(Party{AccountID: acctA}) })
	newest := func(i ...int) []string {
		var out []string
		for _, k := range slices.Backward(i) {
			out = append(out, ids[k])
		}
		return out
	}

	for _, c := range []struct {
		name    string
		account string
		in      api.ListEngagementsRequest
		want    []string
	}{
		{"default newest first", acctA, api.ListEngagementsRequest{}, newest(0, 1, 2, 3, 4)},
		{"ascending", acctA, api.ListEngagementsRequest{Sort: &api.EngagementSort{SortBy: api.EngagementSortNameCreatedDate, SortOrder: api.SortOrderAscending}}, ids},
		{"only the caller's", acctB, api.ListEngagementsRequest{}, newest(2)},
		{"created by", acctA, api.ListEngagementsRequest{CreatedBy: []string{acctB}}, newest(2)},
		{"exclude created by", acctA, api.ListEngagementsRequest{ExcludeCreatedBy: []string{acctB}}, newest(0, 1, 3, 4)},
		{"context types", acctA, api.ListEngagementsRequest{ContextTypes: []api.EngagementContextType{api.EngagementContextTypeLead}}, newest(0, 3)},
		{"exclude context types", acctA, api.ListEngagementsRequest{ExcludeContextTypes: []api.EngagementContextType{api.EngagementContextTypeLead}}, newest(1, 2, 4)},
		{"identifiers", acctA, api.ListEngagementsRequest{EngagementIdentifier: []string{ids[0], "arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/" + ids[3], ids[4]}}, newest(0, 3, 4)},
	} {
		for _, n := range []int32{1, 2, 100} {
			if got := f.listAll(t, c.account, c.in, n); !slices.Equal(got, c.want) {
				t.Errorf("%s, pages of %d: got %v, want %v", c.name, n, got, c.want)
			}
		}
	}

	out, err := f.svc.ListEngagements(f.ctx, acctA, &api.ListEngagementsRequest{Catalog: CatalogSandbox, MaxResults: ptr(int32(1))})
	if err != nil {
		t.Fatal(err)
	}
	s := out.EngagementSummaryList[0]
	if *s.Id != ids[4] || *s.MemberCount != 1 || *s.CreatedBy != acctA || len(s.ContextTypes) != 0 || s.ModifiedAt == nil {
		t.Errorf("summary %+v", s)
	}
	for _, other := range []struct {
		account string
		in      api.ListEngagementsRequest
	}{{acctB, api.ListEngagementsRequest{}}, {acctA, api.ListEngagementsRequest{CreatedBy: []string{acctA}}}, {acctA, api.ListEngagementsRequest{NextToken: ptr("garbage")}}} {
		other.in.Catalog = CatalogSandbox
		if other.in.NextToken == nil {
			other.in.NextToken = out.NextToken
		}
		_, err := f.svc.ListEngagements(f.ctx, other.account, &other.in)
		e := wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
		if !hasField(e, "nextToken", apierr.CodeInvalidValue) {
			t.Errorf("fields %+v", e.Fields)
		}
	}
}

func TestListEngagementMembers(t *testing.T) {
	f := newFixture(t)
	id := f.engagement(t, acctA, "e")
	f.changeEngagement(t, id, func(e *engagementRecord) {
		e.addMember(awsAsParty)
		e.addMember(Party{AccountID: acctB, CompanyName: "B Corp"})
	})
	list := func(account string, n int32, token *string) (*api.ListEngagementMembersResponse, error) {
		return f.svc.ListEngagementMembers(f.ctx, account, &api.ListEngagementMembersRequest{Catalog: CatalogSandbox, Identifier: id, MaxResults: &n, NextToken: token})
	}
	var got []string
	var token *string
	for {
		out, err := list(acctB, 2, token)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.EngagementMemberList {
			got = append(got, *m.AccountId+"/"+deref(m.CompanyName)+"/"+deref(m.WebsiteUrl))
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if want := []string{acctA + "//", "aws/AWS/www.aws.com", acctB + "/B Corp/"}; !slices.Equal(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	out, err := f.svc.ListEngagementMembers(f.ctx, acctA, &api.ListEngagementMembersRequest{Catalog: CatalogSandbox, Identifier: id})
	if err != nil || len(out.EngagementMemberList) != 3 || out.NextToken != nil {
		t.Errorf("default page: %+v %v", out, err)
	}
	_, err = list(acctC, 5, nil)
	wantErr(t, err, apierr.KindAccessDenied, "")
	_, err = list(acctA, 5, ptr("garbage"))
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
}

func TestListEngagementResourceAssociations(t *testing.T) {
	f := newFixture(t)
	e1 := f.engagement(t, acctA, "e1")
	f.clock.Advance(time.Minute)
	e2 := f.engagement(t, acctA, "e2")
	f.clock.Advance(time.Minute)
	e3 := f.engagement(t, acctB, "e3") // A is no member: its links stay hidden from A
	f.changeEngagement(t, e1, func(e *engagementRecord) {
		e.addMember(Party{AccountID: acctB})
		e.associate(resourceAssociation{ResourceType: api.ResourceTypeOpportunity, ResourceId: "O1", CreatedBy: acctA})
		e.associate(resourceAssociation{ResourceType: api.ResourceTypeOpportunity, ResourceId: "O2", CreatedBy: acctB})
		e.associate(resourceAssociation{ResourceType: api.ResourceTypeOpportunity, ResourceId: "O3", CreatedBy: acctA})
	})
	f.changeEngagement(t, e2, func(e *engagementRecord) {
		e.associate(resourceAssociation{ResourceType: api.ResourceTypeOpportunity, ResourceId: "O1", CreatedBy: acctA})
	})
	f.changeEngagement(t, e3, func(e *engagementRecord) {
		e.associate(resourceAssociation{ResourceType: api.ResourceTypeOpportunity, ResourceId: "O1", CreatedBy: acctB})
	})
	listAll := func(account string, in api.ListEngagementResourceAssociationsRequest, n int32) []string {
		t.Helper()
		in.Catalog, in.MaxResults = CatalogSandbox, &n
		var got []string
		for {
			out, err := f.svc.ListEngagementResourceAssociations(f.ctx, account, &in)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.EngagementResourceAssociationSummaries) > int(n) {
				t.Fatalf("%d items in a page of %d", len(out.EngagementResourceAssociationSummaries), n)
			}
			for _, a := range out.EngagementResourceAssociationSummaries {
				if a.Catalog != CatalogSandbox || *a.ResourceType != api.ResourceTypeOpportunity {
					t.Errorf("summary %+v", a)
				}
				got = append(got, *a.EngagementId+"/"+*a.ResourceId+"/"+*a.CreatedBy)
			}
			if out.NextToken == nil {
				return got
			}
			in.NextToken = out.NextToken
		}
	}
	for _, c := range []struct {
		name    string
		account string
		in      api.ListEngagementResourceAssociationsRequest
		want    []string
	}{
		{"all of A's", acctA, api.ListEngagementResourceAssociationsRequest{}, []string{e1 + "/O1/" + acctA, e1 + "/O2/" + acctB, e1 + "/O3/" + acctA, e2 + "/O1/" + acctA}},
		{"resource", acctA, api.ListEngagementResourceAssociationsRequest{ResourceType: ptr(api.ResourceTypeOpportunity), ResourceIdentifier: ptr("O1")}, []string{e1 + "/O1/" + acctA, e2 + "/O1/" + acctA}},
		{"engagement", acctA, api.ListEngagementResourceAssociationsRequest{EngagementIdentifier: &e1}, []string{e1 + "/O1/" + acctA, e1 + "/O2/" + acctB, e1 + "/O3/" + acctA}},
		{"created by", acctA, api.ListEngagementResourceAssociationsRequest{CreatedBy: ptr(acctA)}, []string{e1 + "/O1/" + acctA, e1 + "/O3/" + acctA, e2 + "/O1/" + acctA}},
		{"B sees its engagements", acctB, api.ListEngagementResourceAssociationsRequest{ResourceIdentifier: ptr("O1")}, []string{e1 + "/O1/" + acctA, e3 + "/O1/" + acctB}},
		{"nothing", acctC, api.ListEngagementResourceAssociationsRequest{}, nil},
	} {
		for _, n := range []int32{1, 2, 100} {
			if got := listAll(c.account, c.in, n); !slices.Equal(got, c.want) {
				t.Errorf("%s, pages of %d: got %v, want %v", c.name, n, got, c.want)
			}
		}
	}
	_, err := f.svc.ListEngagementResourceAssociations(f.ctx, acctA, &api.ListEngagementResourceAssociationsRequest{Catalog: CatalogSandbox, NextToken: ptr("garbage")})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
}
