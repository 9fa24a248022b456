package benefits

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

func TestCreateKeepsADraftThatIsIncompleteButNotWrong(t *testing.T) {
	f := newFixture(t)
	id, rev := f.createPOC(t, acctOne, "draft", `{"CustomerName":"Example Corp"}`)
	if !idPattern("benappl-").MatchString(id) || rev == "" {
		t.Fatalf("id %s revision %q", id, rev)
	}
	got := f.get(t, acctOne, id)
	if *got.Status != api.BenefitApplicationStatusPendingSubmission || got.Stage != nil {
		t.Errorf("status %s stage %v", *got.Status, got.Stage)
	}
	if *got.Arn != "arn:aws:partnercentral:us-east-1:"+acctOne+":catalog/Sandbox/benefit-application/"+id {
		t.Errorf("ARN %s", *got.Arn)
	}
	if !slices.Equal(got.FulfillmentTypes, []api.FulfillmentType{api.FulfillmentTypeCredits}) || !slices.Equal(got.Programs, []string{"POC"}) {
		t.Errorf("types %v programs %v: want the benefit's", got.FulfillmentTypes, got.Programs)
	}
	// What a draft holds must have the schema's types and formats.
	_, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "bad-type", BenefitIdentifier: f.benefitNamed(t, "Proof of Concept Credits").Id,
		BenefitApplicationDetails: json.RawMessage(`{"AccountId":"12345","RequestedAmount":"lots"}`),
	})
	e := wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidStringFormat)
	if e.Reason != apierr.ReasonBusinessValidation || len(e.Fields) != 2 {
		t.Errorf("reason %s fields %+v", e.Reason, e.Fields)
	}
	_, err = f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "not-object", BenefitIdentifier: f.benefitNamed(t, "Proof of Concept Credits").Id,
		BenefitApplicationDetails: json.RawMessage(`[1,2]`),
	})
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidValue)
}

func TestCreateChecksTheBenefitAndFulfillmentTypes(t *testing.T) {
	f := newFixture(t)
	create := func(benefit string, types ...api.FulfillmentType) error {
		_, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
			Catalog: CatalogSandbox, ClientToken: "t-" + benefit + string(types[0]), BenefitIdentifier: benefit, FulfillmentTypes: types,
		})
		return err
	}
	wantKind(t, create(f.benefitNamed(t, "MAP 2.0 Migrate (legacy)").Id, api.FulfillmentTypeCredits), apierr.KindValidation, apierr.CodeInvalidResourceState)
	wantKind(t, create(f.benefitNamed(t, "Proof of Concept Credits").Id, api.FulfillmentTypeCash), apierr.KindValidation, apierr.CodeInvalidValue)
	wantKind(t, create("ben-zzzzzzzzzzzzzz", api.FulfillmentTypeCash), apierr.KindNotFound, "")
	if err := create(f.benefitNamed(t, "MAP Assess").Id, api.FulfillmentTypeCash); err != nil {
		t.Errorf("MAP Assess as CASH only: %v", err)
	}
}

func TestCreateIsIdempotentPerClientToken(t *testing.T) {
	f := newFixture(t)
	id1, _ := f.createPOC(t, acctOne, "same", pocDetails)
	id2, _ := f.createPOC(t, acctOne, "same", pocDetails)
	if id1 != id2 {
		t.Errorf("a retry created %s after %s", id2, id1)
	}
	_, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "same", BenefitIdentifier: f.benefitNamed(t, "Proof of Concept Credits").Id,
	})
	wantKind(t, err, apierr.KindConflict, "")
	if got := detailTypes(f.events(t, acctOne)); !slices.Equal(got, []string{"Benefit Application Created"}) {
		t.Errorf("events %v: want one Created", got)
	}
}

func TestAnotherAccountsApplicationDoesNotExistForTheCaller(t *testing.T) {
	f := newFixture(t)
	id, _ := f.createPOC(t, acctOne, "mine", pocDetails)
	for _, ident := range []string{id, "arn:aws:partnercentral:us-east-1:" + acctOne + ":catalog/Sandbox/benefit-application/" + id} {
		_, err := f.svc.GetBenefitApplication(f.ctx, acctTwo, &api.GetBenefitApplicationInput{Catalog: CatalogSandbox, Identifier: ident})
		wantKind(t, err, apierr.KindNotFound, "")
	}
	// The owner reads it by ARN too.
	if got := f.get(t, acctOne, *f.get(t, acctOne, id).Arn); *got.Id != id {
		t.Errorf("by ARN: %s", *got.Id)
	}
	out, err := f.svc.ListBenefitApplications(f.ctx, acctTwo, &api.ListBenefitApplicationsInput{Catalog: CatalogSandbox})
	if err != nil || len(out.BenefitApplicationSummaries) != 0 {
		t.Errorf("other account lists %+v, %v", out, err)
	}
}

func TestUpdateReplacesEverythingUnderRevisionOnlyBeforeSubmission(t *testing.T) {
	f := newFixture(t)
	id, rev := f.createPOC(t, acctOne, "u", pocDetails)
	update := func(token, revision string, details string) (*api.UpdateBenefitApplicationOutput, error) {
		return f.svc.UpdateBenefitApplication(f.ctx, acctOne, &api.UpdateBenefitApplicationInput{
			Catalog: CatalogSandbox, ClientToken: token, Identifier: id, Revision: revision, BenefitApplicationDetails: json.RawMessage(details),
			Description: ptr("second draft"),
		})
	}
	out, err := update("u1", rev, `{"CustomerName":"Other Corp"}`)
	if err != nil {
		t.Fatal(err)
	}
	if *out.Revision == rev {
		t.Error("the revision did not change")
	}
	got := f.get(t, acctOne, id)
	if got.Name != nil || *got.Description != "second draft" || string(got.BenefitApplicationDetails) != `{"CustomerName":"Other Corp"}` {
		t.Errorf("after a full replace: name %v description %v details %s", got.Name, got.Description, got.BenefitApplicationDetails)
	}
	// The same token and body answer the same; the old revision is stale.
	again, err := update("u1", rev, `{"CustomerName":"Other Corp"}`)
	if err != nil || *again.Revision != *out.Revision {
		t.Errorf("retry: %+v, %v", again, err)
	}
	_, err = update("u2", rev, `{}`)
	wantKind(t, err, apierr.KindConflict, "")
	_, err = update("u3", *out.Revision, pocDetails)
	if err != nil {
		t.Fatal(err)
	}
	f.submit(t, acctOne, id)
	_, err = update("u4", *f.get(t, acctOne, id).Revision, pocDetails)
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidResourceState)
}

func TestSubmitValidatesTheWholeApplication(t *testing.T) {
	f := newFixture(t)
	id, _ := f.createPOC(t, acctOne, "s", `{"CustomerName":"Example Corp"}`)
	_, err := f.svc.SubmitBenefitApplication(f.ctx, acctOne, &api.SubmitBenefitApplicationInput{Catalog: CatalogSandbox, Identifier: id})
	e := wantKind(t, err, apierr.KindValidation, apierr.CodeRequiredFieldMissing)
	var missing []string
	for _, fe := range e.Fields {
		missing = append(missing, fe.FieldName)
	}
	want := []string{"benefitApplicationDetails.AccountId", "benefitApplicationDetails.UseCase", "benefitApplicationDetails.RequestedAmount"}
	if !slices.Equal(missing, want) {
		t.Errorf("missing %v, want %v", missing, want)
	}
	if *f.get(t, acctOne, id).Status != api.BenefitApplicationStatusPendingSubmission {
		t.Error("a refused submission changed the status")
	}
	if got := detailTypes(f.events(t, acctOne)); len(got) != 1 {
		t.Errorf("events %v: a refused submission emits none", got)
	}
}

func TestSubmitWaitsForFilesAndRefusesFailedOnes(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "files", BenefitIdentifier: f.benefitNamed(t, "Proof of Concept Credits").Id,
		BenefitApplicationDetails: json.RawMessage(pocDetails),
		FileDetails:               []api.FileInput{{FileURI: "s3://bucket/plans/project%20plan.pdf", BusinessUseCase: ptr("Project plan")}, {FileURI: "https://example.com/arch.png"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.Id
	files := f.get(t, acctOne, id).FileDetails
	if len(files) != 2 || *files[0].FileStatus != FilePending || *files[0].FileName != "project plan.pdf" || *files[0].FileType != api.FileTypeApplicationPdf ||
		*files[1].FileType != api.FileTypeImagePng || *files[0].CreatedBy != acctOne {
		t.Fatalf("files %+v", files)
	}
	submit := func() error {
		_, err := f.svc.SubmitBenefitApplication(f.ctx, acctOne, &api.SubmitBenefitApplicationInput{Catalog: CatalogSandbox, Identifier: id})
		return err
	}
	wantKind(t, submit(), apierr.KindValidation, apierr.CodeInvalidResourceState)
	// AWS fails one file; the other finishes by itself.
	if _, err := f.svc.ProcessFile(f.ctx, acctOne, CatalogSandbox, id, "https://example.com/arch.png", FileFailed, "The file could not be scanned."); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(FileScanDelay)
	files = f.get(t, acctOne, id).FileDetails
	if *files[0].FileStatus != FileSucceeded || *files[1].FileStatus != FileFailed || *files[1].FileStatusReason != "The file could not be scanned." {
		t.Fatalf("after processing: %+v %+v", files[0], files[1])
	}
	wantKind(t, submit(), apierr.KindValidation, apierr.CodeInvalidValue)
	// Replacing the failed file (a full replace keeps the processed one).
	rev := *f.get(t, acctOne, id).Revision
	if _, err := f.svc.UpdateBenefitApplication(f.ctx, acctOne, &api.UpdateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "replace", Identifier: id, Revision: rev, BenefitApplicationDetails: json.RawMessage(pocDetails),
		FileDetails: []api.FileInput{{FileURI: "s3://bucket/plans/project%20plan.pdf"}, {FileURI: "https://example.com/arch-v2.png"}},
	}); err != nil {
		t.Fatal(err)
	}
	if files = f.get(t, acctOne, id).FileDetails; *files[0].FileStatus != FileSucceeded || *files[1].FileStatus != FilePending {
		t.Fatalf("after replace: %s %s", *files[0].FileStatus, *files[1].FileStatus)
	}
	f.clock.Advance(FileScanDelay)
	if err := submit(); err != nil {
		t.Fatal(err)
	}
}

func TestApplicationQuotaPerAccountAndCatalog(t *testing.T) {
	f := newFixture(t)
	err := f.store.Update(f.ctx, func(tx store.Tx) error {
		return tx.PutSetting(f.ctx, scopeOf(acctOne, CatalogSandbox), applicationCountSetting, strconv.Itoa(MaxApplications-1))
	})
	if err != nil {
		t.Fatal(err)
	}
	f.createPOC(t, acctOne, "last", pocDetails)
	_, err = f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "one-too-many", BenefitIdentifier: f.benefitNamed(t, "Proof of Concept Credits").Id,
	})
	e := wantKind(t, err, apierr.KindServiceQuotaExceeded, "")
	if e.Resource.QuotaCode == "" || e.Resource.Type == "" || e.Resource.ID != acctOne {
		t.Errorf("resource %+v", e.Resource)
	}
	// Another account, or the other catalog, is not affected.
	f.createPOC(t, acctTwo, "first", pocDetails)
}
