package account

import (
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
)

func TestProfileVisibilityGetAndPut(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)

	got, err := f.svc.GetProfileVisibility(f.ctx, acctOne, &api.GetProfileVisibilityRequest{Catalog: CatalogSandbox, Identifier: p.Id})
	if err != nil {
		t.Fatal(err)
	}
	want := api.GetProfileVisibilityResponse{Catalog: CatalogSandbox, Arn: p.Arn, Id: p.Id, Visibility: api.ProfileVisibilityPrivate, ProfileId: *p.Profile.ProfileId}
	if *got != want {
		t.Fatalf("GetProfileVisibility = %+v, want %+v", *got, want)
	}

	put, err := f.svc.PutProfileVisibility(f.ctx, acctOne, &api.PutProfileVisibilityRequest{Catalog: CatalogSandbox, Identifier: p.Arn, Visibility: api.ProfileVisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	if put.Visibility != api.ProfileVisibilityPublic || put.ProfileId != *p.Profile.ProfileId || put.Id != p.Id {
		t.Fatalf("PutProfileVisibility = %+v", put)
	}
	got, err = f.svc.GetProfileVisibility(f.ctx, acctOne, &api.GetProfileVisibilityRequest{Catalog: CatalogSandbox, Identifier: p.Arn})
	if err != nil || got.Visibility != api.ProfileVisibilityPublic {
		t.Fatalf("after Put PUBLIC, Get = %+v, %v", got, err)
	}
	if stored := f.storedPartner(t, p); stored.Profile.DisplayName != legalNameOf(p.Account) {
		t.Fatalf("visibility changed the profile content: %+v", stored.Profile)
	}
}

func TestProfileVisibilityUnknownPartner(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	notFound := string(api.ResourceNotFoundExceptionReasonPartnerNotFound)

	// No partner for the account, another account's partner, the wrong catalog.
	_, err := f.svc.GetProfileVisibility(f.ctx, acctTwo, &api.GetProfileVisibilityRequest{Catalog: CatalogSandbox, Identifier: p.Id})
	wantProfileErr(t, err, apierr.KindNotFound, notFound)
	f.profilePartner(t, acctTwo)
	_, err = f.svc.PutProfileVisibility(f.ctx, acctTwo, &api.PutProfileVisibilityRequest{Catalog: CatalogSandbox, Identifier: p.Id, Visibility: api.ProfileVisibilityPublic})
	wantProfileErr(t, err, apierr.KindNotFound, notFound)
	_, err = f.svc.PutProfileVisibility(f.ctx, acctTwo, &api.PutProfileVisibilityRequest{Catalog: CatalogSandbox, Identifier: p.Arn, Visibility: api.ProfileVisibilityPublic})
	wantProfileErr(t, err, apierr.KindAccessDenied, string(api.AccessDeniedExceptionReasonAccessDenied))
	_, err = f.svc.GetProfileVisibility(f.ctx, acctOne, &api.GetProfileVisibilityRequest{Catalog: CatalogAWS, Identifier: p.Id})
	wantProfileErr(t, err, apierr.KindNotFound, notFound)

	if stored := f.storedPartner(t, p); stored.Visibility != api.ProfileVisibilityPrivate {
		t.Fatalf("another account changed the visibility to %s", stored.Visibility)
	}
}

func TestProfileVisibilityDailyQuota(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	put := func(v api.ProfileVisibility) error {
		_, err := f.svc.PutProfileVisibility(f.ctx, acctOne, &api.PutProfileVisibilityRequest{Catalog: CatalogSandbox, Identifier: p.Id, Visibility: v})
		return err
	}
	for i := range visibilityChangesPerDay {
		if err := put([]api.ProfileVisibility{api.ProfileVisibilityPublic, api.ProfileVisibilityPrivate}[i%2]); err != nil {
			t.Fatalf("change %d: %v", i+1, err)
		}
		f.clock.Advance(time.Hour)
	}
	wantProfileErr(t, put(api.ProfileVisibilityPrivate), apierr.KindServiceQuotaExceeded, "LIMIT_EXCEEDED_NUMBER_OF_PROFILE_VISIBILITY_UPDATE_PER_DAY")
	if stored := f.storedPartner(t, p); stored.Visibility != api.ProfileVisibilityPublic {
		t.Fatalf("a refused change was applied: %s", stored.Visibility)
	}

	// The window rolls: 24 hours after the first change, one more is allowed.
	f.clock.Advance(quotaWindow - visibilityChangesPerDay*time.Hour)
	if err := put(api.ProfileVisibilityPrivate); err != nil {
		t.Fatalf("after the oldest change left the window: %v", err)
	}
	wantProfileErr(t, put(api.ProfileVisibilityPublic), apierr.KindServiceQuotaExceeded, "LIMIT_EXCEEDED_NUMBER_OF_PROFILE_VISIBILITY_UPDATE_PER_DAY")
}
