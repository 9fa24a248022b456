package account

import (
	"regexp"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
)

// connectSubsidiary makes from and to connected as subsidiaries.
func (f *connFixture) connectSubsidiary(t *testing.T, from, to string) {
	t.Helper()
	inv, err := f.svc.CreateConnectionInvitation(f.ctx, from, &api.CreateConnectionInvitationRequest{
		Catalog: CatalogSandbox, ClientToken: docstore.NewID("token-", 13), ConnectionType: api.ConnectionTypeSubsidiary,
		Email: "inviter@" + from + ".example.com", Name: "Inviter " + from, Message: "Join us", ReceiverIdentifier: to,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.accept(to, inv.Id); err != nil {
		t.Fatal(err)
	}
}

func (f *connFixture) partnerID(t *testing.T, account string) string {
	t.Helper()
	p, err := callerPartner(f.ctx, f.svc.store, account, CatalogSandbox)
	if err != nil {
		t.Fatal(err)
	}
	return p.Value.Id
}

func (f *connFixture) associate(t *testing.T, account, primary string) (*api.StartQualificationsAssociationTaskResponse, error) {
	return f.svc.StartQualificationsAssociationTask(f.ctx, account, &api.StartQualificationsAssociationTaskRequest{
		Catalog: CatalogSandbox, Identifier: f.partnerID(t, account), PrimaryPartner: api.QualificationsAssociationPartner{AccountId: &primary},
	})
}

func (f *connFixture) details(t *testing.T, account string) *api.GetQualificationsAssociationDetailsResponse {
	t.Helper()
	out, err := f.svc.GetQualificationsAssociationDetails(f.ctx, account, &api.GetQualificationsAssociationDetailsRequest{Catalog: CatalogSandbox, Identifier: f.partnerID(t, account)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestQualificationsAssociation(t *testing.T) {
	f := newConnFixture(t)
	wantCode := func(err error, code api.BusinessValidationCode) {
		t.Helper()
		e := wantAPIErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
		if len(e.Fields) != 1 || e.Fields[0].Code != string(code) {
			t.Fatalf("fields %+v, want %s", e.Fields, code)
		}
	}
	_, err := f.associate(t, acctTwo, acctOne)
	wantCode(err, api.BusinessValidationCodeMissingActiveSubsidiaryConnection)
	f.connect(t, acctOne, acctTwo) // collaboration only
	_, err = f.associate(t, acctTwo, acctOne)
	wantCode(err, api.BusinessValidationCodeIncompatibleSubsidiaryConnection)
	_, err = f.associate(t, acctTwo, acctTwo)
	wantCode(err, api.BusinessValidationCodeIncompatiblePrimaryPartner)
	_, err = f.svc.GetQualificationsAssociationTask(f.ctx, acctTwo, &api.GetQualificationsAssociationTaskRequest{Catalog: CatalogSandbox, Identifier: f.partnerID(t, acctTwo)})
	wantAPIErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonQualificationsAssociationTaskNotFound))

	f.connectSubsidiary(t, acctOne, acctTwo)
	start, err := f.associate(t, acctTwo, acctOne)
	if err != nil {
		t.Fatal(err)
	}
	if start.Status != api.QualificationsAssociationTaskStatusInProgress || !regexp.MustCompile(`^pqatask-[a-z2-7]{13}$`).MatchString(start.TaskId) ||
		textOf(start.PrimaryPartner.ProfileId) != f.profiles[acctOne] || textOf(start.PrimaryPartner.AccountId) != acctOne {
		t.Fatalf("start %+v", start)
	}
	_, err = f.associate(t, acctTwo, acctOne)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleQualificationsAssociationTaskState))
	if d := f.details(t, acctTwo); d.Status != api.QualificationsAssociationStatusNotAssociated || d.PrimaryPartner != nil || d.UpdatedAt != nil {
		t.Fatalf("associated before the task ended: %+v", d)
	}

	f.clock.Advance(qualificationsTaskTakes)
	task, err := f.svc.GetQualificationsAssociationTask(f.ctx, acctTwo, &api.GetQualificationsAssociationTaskRequest{Catalog: CatalogSandbox, Identifier: f.partnerID(t, acctTwo)})
	if err != nil || task.Status != api.QualificationsAssociationTaskStatusSucceeded || task.EndedAt == nil || task.TaskId != start.TaskId {
		t.Fatalf("task %+v %v", task, err)
	}
	for _, account := range []string{acctTwo, acctOne} {
		d := f.details(t, account)
		if d.Status != api.QualificationsAssociationStatusAssociated || textOf(d.PrimaryPartner.AccountId) != acctOne ||
			len(d.AssociatedPartners) != 1 || textOf(d.AssociatedPartners[0].AccountId) != acctTwo {
			t.Fatalf("%s sees %+v", account, d)
		}
	}
	_, err = f.associate(t, acctTwo, acctOne)
	wantCode(err, api.BusinessValidationCodeQualificationsAssociationExists)
	// The primary cannot become anyone's subsidiary, nor leave.
	f.connectSubsidiary(t, acctThree, acctOne)
	_, err = f.associate(t, acctOne, acctThree)
	wantCode(err, api.BusinessValidationCodeQualificationsAssociationExists)
	disassociate := func(account, primary string) (*api.StartQualificationsDisassociationTaskResponse, error) {
		return f.svc.StartQualificationsDisassociationTask(f.ctx, account, &api.StartQualificationsDisassociationTaskRequest{
			Catalog: CatalogSandbox, Identifier: f.partnerID(t, account), AssociatedPartner: api.QualificationsAssociationPartner{AccountId: &primary},
		})
	}
	_, err = disassociate(acctOne, acctOne)
	wantCode(err, api.BusinessValidationCodeIncompatiblePrimaryPartner)
	_, err = disassociate(acctTwo, acctThree)
	wantCode(err, api.BusinessValidationCodeIncompatiblePrimaryPartner)
	_, err = disassociate(acctThree, acctOne)
	wantCode(err, api.BusinessValidationCodeQualificationsAssociationNotFound)

	dis, err := disassociate(acctTwo, acctOne)
	if err != nil || dis.Status != api.QualificationsDisassociationTaskStatusInProgress || !regexp.MustCompile(`^pqdtask-[a-z2-7]{13}$`).MatchString(dis.TaskId) {
		t.Fatalf("disassociate %+v %v", dis, err)
	}
	f.clock.Advance(time.Second)
	if d := f.details(t, acctOne); d.Status != api.QualificationsAssociationStatusAssociated {
		t.Fatalf("left before the task ended: %+v", d)
	}
	f.clock.Advance(qualificationsTaskTakes)
	// The primary's read settles its subsidiary's task.
	if d := f.details(t, acctOne); d.Status != api.QualificationsAssociationStatusNotAssociated {
		t.Fatalf("primary after disassociation: %+v", d)
	}
	got, err := f.svc.GetQualificationsDisassociationTask(f.ctx, acctTwo, &api.GetQualificationsDisassociationTaskRequest{Catalog: CatalogSandbox, Identifier: f.partnerID(t, acctTwo)})
	if err != nil || got.Status != api.QualificationsDisassociationTaskStatusSucceeded || textOf(got.AssociatedPartner.AccountId) != acctOne {
		t.Fatalf("disassociation task %+v %v", got, err)
	}
}
