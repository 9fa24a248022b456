package account

import (
	"fmt"
	"slices"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

func (f *connFixture) setPreferences(t *testing.T, account string, access api.AccessType, excluded ...string) *api.UpdateConnectionPreferencesResponse {
	t.Helper()
	cur, err := f.svc.GetConnectionPreferences(f.ctx, account, &api.GetConnectionPreferencesRequest{Catalog: CatalogSandbox})
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.svc.UpdateConnectionPreferences(f.ctx, account, &api.UpdateConnectionPreferencesRequest{Catalog: CatalogSandbox, Revision: cur.Revision, AccessType: access, ExcludedParticipantIdentifiers: excluded})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestConnectionPreferencesDefaultsAndRevision(t *testing.T) {
	f := newConnFixture(t)
	registered := f.clock.Now()
	f.clock.Advance(time.Hour)
	got, err := f.svc.GetConnectionPreferences(f.ctx, acctOne, &api.GetConnectionPreferencesRequest{Catalog: CatalogSandbox})
	if err != nil {
		t.Fatal(err)
	}
	want := &api.GetConnectionPreferencesResponse{
		Catalog: CatalogSandbox, Arn: "arn:aws:partnercentral:us-east-1:" + acctOne + ":catalog/Sandbox/connection-preferences",
		AccessType: api.AccessTypeAllowAll, UpdatedAt: registered, Revision: 0,
	}
	if got.Catalog != want.Catalog || got.Arn != want.Arn || got.AccessType != want.AccessType || !got.UpdatedAt.Equal(want.UpdatedAt) || got.Revision != 0 || got.ExcludedParticipantIds != nil {
		t.Fatalf("defaults %+v", got)
	}
	updated := f.setPreferences(t, acctOne, api.AccessTypeAllowByDefaultDenySome, acctTwo)
	if updated.Revision != 1 || !updated.UpdatedAt.Equal(f.clock.Now()) || !slices.Equal(updated.ExcludedParticipantIds, []string{acctTwo}) {
		t.Errorf("updated %+v", updated)
	}
	for _, stale := range []int64{0, 2} {
		_, err = f.svc.UpdateConnectionPreferences(f.ctx, acctOne, &api.UpdateConnectionPreferencesRequest{Catalog: CatalogSandbox, Revision: stale, AccessType: api.AccessTypeDenyAll})
		wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionPreferencesRevision))
	}
	if again := f.setPreferences(t, acctOne, api.AccessTypeDenyAll); again.Revision != 2 || again.ExcludedParticipantIds != nil {
		t.Errorf("second update %+v", again)
	}
	// Preferences are per account and catalog.
	if other, _ := f.svc.GetConnectionPreferences(f.ctx, acctTwo, &api.GetConnectionPreferencesRequest{Catalog: CatalogSandbox}); other.Revision != 0 {
		t.Errorf("another account's revision %d", other.Revision)
	}
	if aws, _ := f.svc.GetConnectionPreferences(f.ctx, acctOne, &api.GetConnectionPreferencesRequest{Catalog: CatalogAWS}); aws.Revision != 0 || aws.AccessType != api.AccessTypeAllowAll {
		t.Errorf("AWS catalog %+v", aws)
	}
}

func TestConnectionPreferencesRefuseInvitations(t *testing.T) {
	f := newConnFixture(t)
	tries := 0
	refused := func(from, to string) {
		t.Helper()
		tries++
		_, err := f.inviteTry(from, to, fmt.Sprint("refused-", tries))
		e := wantAPIErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
		if e.Fields[0].Code != string(api.BusinessValidationCodeIncompatibleConnectionInvitationRequest) {
			t.Errorf("code %+v", e.Fields)
		}
	}
	f.setPreferences(t, acctTwo, api.AccessTypeDenyAll)
	refused(acctOne, acctTwo)
	refused(acctThree, acctTwo)
	// Excluded by account id or by profile id; others are welcome.
	f.setPreferences(t, acctTwo, api.AccessTypeAllowByDefaultDenySome, acctOne)
	refused(acctOne, acctTwo)
	f.invite(t, acctThree, acctTwo)
	f.setPreferences(t, acctThree, api.AccessTypeAllowByDefaultDenySome, f.profiles[acctOne])
	refused(acctOne, acctThree)
	// The refused sender can still be invited by the account that refuses it.
	f.invite(t, acctTwo, acctOne)
	f.setPreferences(t, acctThree, api.AccessTypeAllowAll, f.profiles[acctOne])
	f.invite(t, acctOne, acctThree)
}

func TestConnectionQuotas(t *testing.T) {
	f := newConnFixture(t)
	// 50 a day: fill the window with invitations sent and canceled.
	for range maxInvitationsPerDay {
		inv := f.invite(t, acctOne, acctTwo)
		if _, err := f.svc.CancelConnectionInvitation(f.ctx, acctOne, &api.CancelConnectionInvitationRequest{Catalog: CatalogSandbox, Identifier: inv.Id, ClientToken: inv.Id}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
	}
	_, err := f.inviteTry(acctOne, acctThree, "51st")
	wantAPIErr(t, err, apierr.KindServiceQuotaExceeded, string(api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfConnectionInvitationPerDay))
	f.clock.Advance(day(1) - time.Duration(maxInvitationsPerDay-1)*time.Minute) // the first leaves the window
	f.invite(t, acctOne, acctThree)
}

func TestConnectionQuotasOpenAndActive(t *testing.T) {
	f := newConnFixture(t)
	// Stored directly: the daily quota would take weeks of invitations.
	err := f.svc.store.Update(f.ctx, func(tx store.Tx) error {
		for i := range maxOpenInvitations {
			rec := &invitationRecord{
				Id: fmt.Sprintf("pacinv-open%09d", i), Catalog: CatalogSandbox, ConnectionType: api.ConnectionTypeSubsidiary,
				Sender: party{Account: acctThree}, Receiver: party{Account: fmt.Sprintf("9%011d", i)},
				Status: api.InvitationStatusPending, CreatedAt: f.clock.Now().Add(-day(2)), ExpiresAt: f.clock.Now().Add(day(20)),
			}
			if err := saveInvitation(f.ctx, tx, docstore.Doc[invitationRecord]{Value: rec}); err != nil {
				return err
			}
			conn := &connectionRecord{
				Id: fmt.Sprintf("pac-live%09d", i), Catalog: CatalogSandbox, Parties: [2]party{{Account: acctTwo}, {Account: fmt.Sprintf("8%011d", i)}},
				CreatedAt: f.clock.Now(), Types: map[api.ConnectionType]*connectionTypeState{api.ConnectionTypeSubsidiary: {Status: api.ConnectionTypeStatusActive}},
			}
			if err := saveConnection(f.ctx, tx, docstore.Doc[connectionRecord]{Value: conn}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.inviteTry(acctThree, acctOne, "open")
	wantAPIErr(t, err, apierr.KindServiceQuotaExceeded, string(api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfOpenConnectionInvitation))
	_, err = f.inviteTry(acctTwo, acctOne, "active")
	wantAPIErr(t, err, apierr.KindServiceQuotaExceeded, string(api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfActiveConnection))
	// Accepting checks the receiver too.
	inv := f.invite(t, acctOne, acctTwo)
	_, err = f.accept(acctTwo, inv.Id)
	wantAPIErr(t, err, apierr.KindServiceQuotaExceeded, string(api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfActiveConnection))
}
