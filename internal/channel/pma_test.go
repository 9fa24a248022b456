package channel

import (
	"time"

	"testing"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
)

func TestPMAStartsPendingAndIsTheOwnersAlone(t *testing.T) {
	f := newFixture(t)
	id := f.createPMA(t, partnerA, partnerB)
	p := f.pma(t, partnerA, id)
	if *p.Status != api.ProgramManagementAccountStatusPending || *p.Revision != "1" || p.StartDate != nil {
		t.Errorf("new PMA: status %s revision %s startDate %v, want PENDING, 1, none", *p.Status, *p.Revision, p.StartDate)
	}
	if want := "arn:aws:partnercentral:us-east-1:" + partnerA + ":catalog/Sandbox/program-management-account/" + id; *p.Arn != want {
		t.Errorf("arn %s, want %s", *p.Arn, want)
	}
	out, err := f.svc.ListProgramManagementAccounts(f.ctx, partnerB, &api.ListProgramManagementAccountsRequest{Catalog: sandbox})
	if err != nil || len(out.Items) != 0 {
		t.Errorf("the management account lists %v (%v), want nothing: the PMA is its owner's", out, err)
	}
	_, err = f.svc.UpdateProgramManagementAccount(f.ctx, partnerB, &api.UpdateProgramManagementAccountRequest{Catalog: sandbox, Identifier: id, DisplayName: ptr("x")})
	wantErr(t, err, apierr.KindNotFound)
}

func TestPMAOnePerManagementAccount(t *testing.T) {
	f := newFixture(t)
	first := f.createPMA(t, partnerA, partnerB)
	_, err := f.svc.CreateProgramManagementAccount(f.ctx, partnerA, &api.CreateProgramManagementAccountRequest{
		Catalog: sandbox, Program: api.ProgramDistribution, DisplayName: "again", AccountId: partnerB})
	e := wantErr(t, err, apierr.KindConflict)
	if e.Resource.ID != first || e.Resource.Type != resourcePMA {
		t.Errorf("conflict names %+v, want the existing PMA %s", e.Resource, first)
	}
}

func TestPMALimitPerAccount(t *testing.T) {
	f := newFixture(t)
	for i := range maxPMAsPerAccount {
		f.createPMA(t, partnerA, accountNumbered(i))
	}
	_, err := f.svc.CreateProgramManagementAccount(f.ctx, partnerA, &api.CreateProgramManagementAccountRequest{
		Catalog: sandbox, Program: api.ProgramSolutionProvider, DisplayName: "one too many", AccountId: "999999999999"})
	e := wantErr(t, err, apierr.KindServiceQuotaExceeded)
	if e.Resource.QuotaCode != quotaPMAs {
		t.Errorf("quota code %q, want %q", e.Resource.QuotaCode, quotaPMAs)
	}
	// The other catalog has its own.
	if _, err := f.svc.CreateProgramManagementAccount(f.ctx, partnerA, &api.CreateProgramManagementAccountRequest{
		Catalog: CatalogAWS, Program: api.ProgramSolutionProvider, DisplayName: "aws", AccountId: "999999999999"}); err != nil {
		t.Errorf("catalog AWS: %v", err)
	}
}

func accountNumbered(i int) string {
	return "5000000000" + string(rune('0'+i/10)) + string(rune('0'+i%10))
}

func TestPMAUpdateChecksRevision(t *testing.T) {
	f := newFixture(t)
	id := f.createPMA(t, partnerA, partnerB)
	out, err := f.svc.UpdateProgramManagementAccount(f.ctx, partnerA, &api.UpdateProgramManagementAccountRequest{
		Catalog: sandbox, Identifier: id, Revision: ptr("1"), DisplayName: ptr("Renamed")})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.ProgramManagementAccountDetail; *d.Revision != "2" || *d.DisplayName != "Renamed" {
		t.Errorf("update answered revision %s name %s, want 2 Renamed", *d.Revision, *d.DisplayName)
	}
	_, err = f.svc.UpdateProgramManagementAccount(f.ctx, partnerA, &api.UpdateProgramManagementAccountRequest{
		Catalog: sandbox, Identifier: id, Revision: ptr("1"), DisplayName: ptr("Stale")})
	wantErr(t, err, apierr.KindConflict)
	if got := *f.pma(t, partnerA, id).DisplayName; got != "Renamed" {
		t.Errorf("a stale update changed the name to %s", got)
	}
	// By ARN too; an ARN naming another region names nothing.
	arn := *f.pma(t, partnerA, id).Arn
	if _, err := f.svc.UpdateProgramManagementAccount(f.ctx, partnerA, &api.UpdateProgramManagementAccountRequest{Catalog: sandbox, Identifier: arn}); err != nil {
		t.Errorf("update by ARN: %v", err)
	}
	_, err = f.svc.UpdateProgramManagementAccount(f.ctx, partnerA, &api.UpdateProgramManagementAccountRequest{Catalog: sandbox,
		Identifier: "arn:aws:partnercentral:eu-west-1:" + partnerA + ":catalog/Sandbox/program-management-account/" + id})
	wantErr(t, err, apierr.KindNotFound)
}

func TestPMADeleteRules(t *testing.T) {
	f := newFixture(t)
	pending := f.createPMA(t, partnerA, partnerB)
	hs := f.pmaHandshake(t, partnerA, pending)
	del := func(id string) error {
		_, err := f.svc.DeleteProgramManagementAccount(f.ctx, partnerA, &api.DeleteProgramManagementAccountRequest{Catalog: sandbox, Identifier: id})
		return err
	}
	wantErr(t, del(pending), apierr.KindConflict) // its handshake is pending
	if _, err := f.svc.CancelChannelHandshake(f.ctx, partnerA, &api.CancelChannelHandshakeRequest{Catalog: sandbox, Identifier: hs}); err != nil {
		t.Fatal(err)
	}
	if err := del(pending); err != nil {
		t.Fatalf("delete after cancel: %v", err)
	}
	wantErr(t, del(pending), apierr.KindNotFound)

	active := f.createPMA(t, partnerA, endCustomer)
	f.accept(t, endCustomer, f.pmaHandshake(t, partnerA, active))
	f.relationship(t, active, "444444444444")
	wantErr(t, del(active), apierr.KindConflict) // it has a relationship
	// The same management account can have a PMA again once the first is gone.
	f.createPMA(t, partnerA, partnerB)
}

func TestPMAListFiltersAndSort(t *testing.T) {
	f := newFixture(t)
	first := f.createPMA(t, partnerA, partnerB)
	f.clock.Advance(time.Second)
	second := f.createPMA(t, partnerA, endCustomer)
	f.clock.Advance(time.Second)
	f.accept(t, partnerB, f.pmaHandshake(t, partnerA, first)) // first is now the most recently updated

	list := func(in api.ListProgramManagementAccountsRequest) []string {
		t.Helper()
		in.Catalog = sandbox
		out, err := f.svc.ListProgramManagementAccounts(f.ctx, partnerA, &in)
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{}
		for _, p := range out.Items {
			ids = append(ids, *p.Id)
		}
		return ids
	}
	if got := list(api.ListProgramManagementAccountsRequest{}); !equal(got, first, second) {
		t.Errorf("default order %v, want most recently updated first", got)
	}
	asc := api.ListProgramManagementAccountsRequest{Sort: &api.ListProgramManagementAccountsSortBase{SortOrder: api.SortOrderAscending, SortBy: api.ListProgramManagementAccountsSortNameUpdatedAt}}
	if got := list(asc); !equal(got, second, first) {
		t.Errorf("ascending %v", got)
	}
	if got := list(api.ListProgramManagementAccountsRequest{Statuses: []api.ProgramManagementAccountStatus{api.ProgramManagementAccountStatusPending}}); !equal(got, second) {
		t.Errorf("PENDING filter %v", got)
	}
	if got := list(api.ListProgramManagementAccountsRequest{AccountIds: []string{partnerB}}); !equal(got, first) {
		t.Errorf("accountIds filter %v", got)
	}
}

func equal(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestCatalogMustBeAWSOrSandbox(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.ListProgramManagementAccounts(f.ctx, partnerA, &api.ListProgramManagementAccountsRequest{Catalog: "Prod"})
	e := wantErr(t, err, apierr.KindValidation)
	if e.Fields[0].FieldName != "catalog" {
		t.Errorf("fields %+v, want catalog", e.Fields)
	}
}

func TestPagingIsKeysetAndBoundToTheRequest(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		f.createPMA(t, partnerA, accountNumbered(i))
		f.clock.Advance(time.Second)
	}
	var seen []string
	var token *string
	for {
		out, err := f.svc.ListProgramManagementAccounts(f.ctx, partnerA, &api.ListProgramManagementAccountsRequest{Catalog: sandbox, MaxResults: ptr(int32(2)), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range out.Items {
			seen = append(seen, *p.Id)
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
		if len(seen) == 2 {
			// Another filter cannot continue this listing.
			_, err := f.svc.ListProgramManagementAccounts(f.ctx, partnerA, &api.ListProgramManagementAccountsRequest{Catalog: sandbox, NextToken: token, Programs: []api.Program{api.ProgramDistribution}})
			wantErr(t, err, apierr.KindValidation)
		}
	}
	if len(seen) != 5 {
		t.Errorf("paged through %d PMAs (%v), want 5", len(seen), seen)
	}
	for i := range seen {
		for j := range i {
			if seen[i] == seen[j] {
				t.Errorf("%s listed twice", seen[i])
			}
		}
	}
}
