package acemode

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// outboundFolders are the folders AWS writes for the partner, by kind.
var outboundFolders = []struct {
	folder string
	kind   ace.Kind
}{{ace.OpportunityOutbound, ace.KindOpportunity}, {ace.LeadOutbound, ace.KindLead}}

// recordsKey is the envelope member holding the records of each kind.
var recordsKey = map[ace.Kind]string{ace.KindOpportunity: "opportunities", ace.KindLead: "leads"}

// pull reads every outbound file into the CRM, then deletes it. A file
// that does not parse stays where it is, noted once as unreadable; one
// already read (a crash before its deletion) is only deleted.
func (e *Engine) pull(ctx context.Context) error {
	listed := map[string]bool{}
	for _, f := range outboundFolders {
		objects, err := e.Bucket.list(ctx, f.folder)
		if err != nil {
			return fmt.Errorf("acemode: list %s: %w", f.folder, err)
		}
		for _, o := range objects {
			listed[o.Key] = true
			if err := e.pullFile(ctx, f.kind, o); err != nil {
				return err
			}
		}
	}
	return e.Book.ForgetUnreadable(ctx, e.Bucket.Name, listed)
}

func (e *Engine) pullFile(ctx context.Context, kind ace.Kind, o object) error {
	state, err := e.Book.FileState(ctx, e.Bucket.Name, o.Key, o.ETag)
	if err != nil || state == FileUnreadable {
		return err
	}
	if state != FileProcessed {
		body, found, err := e.Bucket.get(ctx, o.Key)
		if err != nil || !found {
			return err
		}
		records, raws, err := parse(kind, body)
		if err != nil {
			e.Log.Warn("outbound file unreadable; left in place", "key", o.Key, "err", err)
			return e.Book.MarkFile(ctx, e.Bucket.Name, o.Key, o.ETag, FileUnreadable, err.Error())
		}
		for i, r := range records {
			if err := e.store(ctx, kind, r, raws[i]); err != nil {
				return fmt.Errorf("acemode: %s record %d: %w", o.Key, i+1, err)
			}
		}
		if err := e.Book.MarkFile(ctx, e.Bucket.Name, o.Key, o.ETag, FileProcessed, ""); err != nil {
			return err
		}
		e.Log.Info("outbound file read", "key", o.Key, "records", len(records))
	}
	if e.TagProcessed {
		if err := e.Bucket.tagProcessed(ctx, o.Key); err != nil {
			return fmt.Errorf("acemode: tag %s: %w", o.Key, err)
		}
	}
	if err := e.Bucket.delete(ctx, o.Key); err != nil {
		e.Log.Warn("could not delete a read outbound file; will retry", "key", o.Key, "err", err)
	}
	return nil
}

// parse reads a file with package ace, and keeps each record's JSON as
// AWS wrote it (ace.Record folds field names) for the CRM's invitations.
func parse(kind ace.Kind, body []byte) ([]ace.Record, []json.RawMessage, error) {
	f, err := ace.ParseFile(kind, body)
	if err != nil {
		return nil, nil, err
	}
	var envelope map[string]json.RawMessage
	if err := json.Unmarshal(body, &envelope); err != nil {
		return nil, nil, err
	}
	var raws []json.RawMessage
	for k, v := range envelope {
		if strings.EqualFold(k, recordsKey[kind]) && json.Unmarshal(v, &raws) == nil && len(raws) == len(f.Records) {
			return f.Records, raws, nil
		}
	}
	return nil, nil, fmt.Errorf("acemode: the %s of the file do not match what package ace read", recordsKey[kind])
}

// store upserts one record: a pending AWS referral (masked, named by its
// invitation id) or lead as a CRM invitation, an opportunity (named by
// its O-id) as the CRM's Partner Central record of it.
func (e *Engine) store(ctx context.Context, kind ace.Kind, r ace.Record, raw json.RawMessage) error {
	id := r.ApnCrmID()
	switch {
	case id == "":
		e.Log.Warn("outbound record without apnCrmUniqueIdentifier skipped")
		return nil
	case kind == ace.KindLead:
		status := selling.InvitationStatusPending
		if r.Has("currentLeadStage") {
			status = selling.InvitationStatus(strings.ToUpper(r.Text("currentLeadStage")))
		}
		return e.storeInvitation(ctx, r, raw, selling.EngagementInvitationPayloadTypeLeadInvitation, status, r.Text("company"))
	case !isOpportunityID(id):
		return e.storeInvitation(ctx, r, raw, selling.EngagementInvitationPayloadTypeOpportunityInvitation,
			selling.InvitationStatusPending, r.Text("partnerProjectTitle"))
	}
	o, skipped := ace.OpportunityFromOutbound(e.Catalog, r)
	if len(skipped) > 0 {
		e.Log.Warn("outbound fields not stored", "opportunity", id, "problems", skipped)
	}
	body, err := json.Marshal(o)
	if err != nil {
		return err
	}
	rec := &crmdb.RemoteRecord{PCID: id, PartnerOpportunityIdentifier: r.PartnerCrmID(), LastModified: o.LastModifiedDate, JSON: body}
	if o.LifeCycle != nil && o.LifeCycle.ReviewStatus != nil {
		rec.ReviewStatus = string(*o.LifeCycle.ReviewStatus)
	}
	_, err = e.DB.ApplyRemote(ctx, e.Catalog, rec, nil)
	return err
}

// isOpportunityID tells an opportunity's O-id from the invitation id a
// pending referral carries in its place ("engi-...").
func isOpportunityID(id string) bool {
	return len(id) > 1 && id[0] == 'O' && strings.Trim(id[1:], "0123456789") == ""
}

// storeInvitation upserts a referral, unless the CRM has already moved it
// past pending (an export read after the CRM answered it).
func (e *Engine) storeInvitation(ctx context.Context, r ace.Record, raw json.RawMessage, payload selling.EngagementInvitationPayloadType,
	status selling.InvitationStatus, title string) error {
	known, err := e.invitation(ctx, r.ApnCrmID())
	if err != nil {
		return err
	}
	if known != nil && known.Status != string(selling.InvitationStatusPending) && status == selling.InvitationStatusPending {
		return nil
	}
	inv := crmdb.Invitation{ID: r.ApnCrmID(), Catalog: e.Catalog, PayloadType: string(payload), Status: string(status),
		Sender: "AWS", Title: title, InvitationDate: recordTime(r, "createdDate"), ExpirationDate: recordTime(r, "acceptBy"), Record: raw}
	if payload == selling.EngagementInvitationPayloadTypeLeadInvitation {
		inv.EngagementID = inv.ID // a lead record's apnCrmUniqueIdentifier is its engagement
	}
	return e.DB.UpsertInvitation(ctx, inv)
}

// invitation is the CRM's invitation id, nil when it has none.
func (e *Engine) invitation(ctx context.Context, id string) (*crmdb.Invitation, error) {
	all, err := e.DB.Invitations(ctx, e.Catalog)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, nil
}

func recordTime(r ace.Record, field string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, r.Text(field))
	return t // zero when absent
}
