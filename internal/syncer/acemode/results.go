package acemode

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// settle moves every upload in flight on: a prepared one is sent, an
// uploaded one has its result applied once it is there. Applying is
// idempotent (see applyItem), and the upload is marked applied only
// after, so a crash anywhere applies the result exactly once in effect.
func (e *Engine) settle(ctx context.Context) error {
	open, err := e.Book.Pending(ctx, e.Catalog)
	if err != nil {
		return err
	}
	for _, u := range open {
		if u.State == Prepared {
			if err := e.send(ctx, u); err != nil {
				return err
			}
		}
		key := ace.ResultKey(u.Key)
		body, found, err := e.Bucket.get(ctx, key)
		if err != nil {
			return fmt.Errorf("acemode: read %s: %w", key, err)
		}
		if !found {
			continue
		}
		var res ace.Result
		if err := json.Unmarshal(body, &res); err != nil {
			return fmt.Errorf("acemode: result %s: %w", key, err)
		}
		for i, it := range u.Items {
			if err := e.applyItem(ctx, u.Key, it, outcomeOf(res, i)); err != nil {
				return err
			}
		}
		if err := e.Book.SetUploadState(ctx, u.Key, Applied, body); err != nil {
			return err
		}
		e.Log.Info("result applied", "key", key, "success", res.Success)
		if err := e.Bucket.delete(ctx, key); err != nil {
			e.Log.Warn("could not delete an applied result (its archive copy stays)", "key", key, "err", err)
		}
	}
	return nil
}

// outcome is one record's result: AWS's id and warnings on success, else
// the errors.
type outcome struct {
	apnID    string
	warnings []string
	errors   string
}

func outcomeOf(res ace.Result, i int) outcome {
	switch {
	case res.IsApiError:
		return outcome{errors: "file refused: " + strings.Join(res.ApiErrors, "; ")}
	case i >= len(res.InboundApiResults):
		return outcome{errors: "the result file has no entry for this record"}
	}
	r := res.InboundApiResults[i]
	if !r.IsSuccess {
		return outcome{errors: strings.Join(r.Errors, "; ")}
	}
	return outcome{apnID: aws.ToString(r.ApnCrmUniqueIdentifier), warnings: r.Warnings}
}

// applyItem applies one record's outcome to the CRM. Each step is safe to
// repeat: SetPCID and ClearEdits converge, the error names its file so
// recordError sees it is there already, an ignored edit is a conflict only
// while it is pending, an answer's opportunity is only stored if new.
func (e *Engine) applyItem(ctx context.Context, key string, it Item, o outcome) error {
	failure := ""
	if o.errors != "" {
		failure = path.Base(key) + ": " + o.errors
	}
	if it.Kind == ItemAnswer {
		return e.applyAnswer(ctx, it, o, failure)
	}
	if failure != "" {
		if err := e.recordError(ctx, it.CRMID, failure); err != nil {
			return err
		}
		return e.Book.SetRefused(ctx, it.CRMID, it.Version)
	}
	if it.Kind == ItemCreate {
		if o.apnID == "" {
			return e.recordError(ctx, it.CRMID, path.Base(key)+": the result names no opportunity id")
		}
		if err := e.DB.SetPCID(ctx, it.CRMID, o.apnID); err != nil {
			return err
		}
	}
	applied, err := e.refuseIgnored(ctx, key, it, o.warnings)
	if err != nil {
		return err
	}
	if err := e.DB.ClearEdits(ctx, it.CRMID, applied); err != nil {
		return err
	}
	return e.Book.SetRefused(ctx, it.CRMID, 0)
}

// applyAnswer settles a referral answer: the invitation takes its new
// status, and an accepted one becomes the CRM's opportunity under the
// O-id (its details arrive with AWS's next export of it).
func (e *Engine) applyAnswer(ctx context.Context, it Item, o outcome, failure string) error {
	if failure != "" {
		e.Log.Warn("referral answer refused", "invitation", it.InvitationID, "err", failure)
		return e.Book.FinishAnswer(ctx, it.InvitationID, failure)
	}
	inv, err := e.invitation(ctx, it.InvitationID)
	if err != nil {
		return err
	}
	if inv == nil {
		inv = &crmdb.Invitation{ID: it.InvitationID, Catalog: e.Catalog, PayloadType: string(selling.EngagementInvitationPayloadTypeOpportunityInvitation)}
	}
	inv.Status, inv.Deleted = string(selling.InvitationStatusRejected), true
	if it.Accept {
		inv.Status, inv.Deleted = string(selling.InvitationStatusAccepted), false
		if err := e.storeAccepted(ctx, it.CRMID, o.apnID); err != nil {
			return err
		}
	}
	if err := e.DB.UpsertInvitation(ctx, *inv); err != nil {
		return err
	}
	return e.Book.FinishAnswer(ctx, it.InvitationID, "")
}

// storeAccepted records the opportunity an accepted referral became,
// named by the CRM id the answer gave it; AWS's next export, newer, fills
// it in.
func (e *Engine) storeAccepted(ctx context.Context, crmID, pcID string) error {
	if pcID == "" {
		return fmt.Errorf("acemode: accepted referral for %s: the result names no opportunity id", crmID)
	}
	body, err := json.Marshal(selling.GetOpportunityResponse{Catalog: e.Catalog, Id: pcID, PartnerOpportunityIdentifier: &crmID})
	if err != nil {
		return err
	}
	_, err = e.DB.ApplyRemote(ctx, e.Catalog, &crmdb.RemoteRecord{PCID: pcID, PartnerOpportunityIdentifier: crmID, JSON: body}, nil)
	return err
}
