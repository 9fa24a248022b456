package acemode

import (
	"context"
	"fmt"
	"path"
	"time"

	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/fieldpath"
)

// perFile bounds the records of one upload, well inside ACE's 1 MB.
const perFile = 25

// push sends the CRM's creates, edits and referral answers that are not
// already in flight as inbound files. A row AWS refused waits until the
// CRM changes it again, rather than being sent unchanged every cycle.
func (e *Engine) push(ctx context.Context) error {
	spms, err := e.spmsID()
	if err != nil {
		return err
	}
	open, err := e.Book.Pending(ctx, e.Catalog)
	if err != nil {
		return err
	}
	inFlight := map[string]bool{}
	for _, u := range open {
		for _, it := range u.Items {
			inFlight[it.CRMID] = true
		}
	}
	refused, err := e.Book.Refused(ctx)
	if err != nil {
		return err
	}
	rows, err := e.DB.Outbox(ctx, e.Catalog)
	if err != nil {
		return err
	}
	var items []Item
	var records []map[string]any
	for i := range rows {
		o := &rows[i]
		if v, ok := refused[o.CRMID]; inFlight[o.CRMID] || (ok && v == o.LocalVersion) {
			continue
		}
		it, rec, err := e.outboxRecord(ctx, o)
		if err != nil {
			return err
		}
		if rec != nil {
			items, records = append(items, it), append(records, rec)
		}
	}
	answers, err := e.Book.Answers(ctx, e.Catalog, AnswerPending)
	if err != nil {
		return err
	}
	for _, a := range answers {
		items, records = append(items, Item{Kind: ItemAnswer, CRMID: a.CRMID, InvitationID: a.InvitationID, Accept: a.Accept}), append(records, answerRecord(a))
	}
	for start := 0; start < len(items); start += perFile {
		end := min(start+perFile, len(items))
		u := Upload{Catalog: e.Catalog, Body: ace.OutboundFile(ace.KindOpportunity, spms, records[start:end]), Items: items[start:end]}
		if err := e.upload(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// outboxRecord is the record for a row's create or edits; rec is nil when
// there is nothing a file can send.
func (e *Engine) outboxRecord(ctx context.Context, o *crmdb.Opportunity) (Item, map[string]any, error) {
	if o.PCID == "" {
		return e.createRecord(ctx, o)
	}
	current, err := fieldpath.Decode(o.Record)
	if err != nil {
		return Item{}, nil, err
	}
	send, done := map[string]any{}, map[string]any{}
	var conflicting []string
	for p, ed := range o.Edits {
		v, _ := fieldpath.Get(current, p)
		switch {
		case fieldpath.Equal(v, ed.Value):
			done[p] = ed.Value
		case ed.HasBase && o.Record != nil && !fieldpath.Equal(v, ed.Base):
			conflicting = append(conflicting, p)
		default:
			send[p] = ed.Value
		}
	}
	if err := e.settleLocally(ctx, o, done, conflicting); err != nil {
		return Item{}, nil, err
	}
	c, err := changeRecord(current, send)
	if err != nil {
		return Item{}, nil, err
	}
	if len(c.unsupported) > 0 {
		if err := e.recordError(ctx, o.CRMID, unsupportedError(c.unsupported)); err != nil {
			return Item{}, nil, err
		}
		for _, p := range c.unsupported {
			delete(send, p)
		}
	}
	if len(c.record) == 0 {
		return Item{}, nil, nil
	}
	c.record["apnCrmUniqueIdentifier"], c.record["partnerCrmUniqueIdentifier"] = o.PCID, o.CRMID
	return Item{Kind: ItemEdit, CRMID: o.CRMID, Version: o.LocalVersion, Values: send, Fields: c.fields}, c.record, nil
}

// settleLocally clears the edits Partner Central already shows, and makes
// conflicts of those it changed since the CRM's edit, as the API mode does.
func (e *Engine) settleLocally(ctx context.Context, o *crmdb.Opportunity, done map[string]any, conflicting []string) error {
	if len(done) > 0 {
		if err := e.DB.ClearEdits(ctx, o.CRMID, done); err != nil {
			return err
		}
	}
	if len(conflicting) == 0 {
		return nil
	}
	crm := map[string]any{}
	for _, p := range conflicting {
		crm[p] = o.Edits[p].Value
	}
	_, err := e.DB.AddConflict(ctx, crmdb.Conflict{CRMID: o.CRMID, PCID: o.PCID, Fields: conflicting, CRMVersion: crm,
		PartnerCentral: o.Record, Reason: "changed in Partner Central since the CRM's edit"})
	return err
}

// createRecord is a CRM-side create, with any edits made before it was
// sent. It goes whole or not at all: a field no file can carry would be
// lost once Partner Central has the opportunity.
func (e *Engine) createRecord(ctx context.Context, o *crmdb.Opportunity) (Item, map[string]any, error) {
	fields := map[string]any{}
	for p, v := range o.CreatePayload {
		fields[p] = v
	}
	for p, ed := range o.Edits {
		fields[p] = ed.Value
	}
	c, err := changeRecord(fieldpath.Doc{}, fields)
	if err != nil {
		return Item{}, nil, err
	}
	if len(c.unsupported) > 0 {
		if err := e.recordError(ctx, o.CRMID, unsupportedError(c.unsupported)+"; the create is not sent"); err != nil {
			return Item{}, nil, err
		}
		return Item{}, nil, e.Book.SetRefused(ctx, o.CRMID, o.LocalVersion)
	}
	if c.record["partnerCrmUniqueIdentifier"] == nil {
		c.record["partnerCrmUniqueIdentifier"] = o.CRMID // how a lost answer is matched, as the API mode does
	}
	return Item{Kind: ItemCreate, CRMID: o.CRMID, Version: o.LocalVersion, Values: fields, Fields: c.fields}, c.record, nil
}

// answerRecord accepts or rejects a referral (semantics.md §6.4).
func answerRecord(a Answer) map[string]any {
	rec := map[string]any{"apnCrmUniqueIdentifier": a.InvitationID, "partnerAcceptanceStatus": "Rejected"}
	if a.Accept {
		rec["partnerAcceptanceStatus"], rec["partnerCrmUniqueIdentifier"] = "Accepted", a.CRMID
	} else {
		rec["rejectionReason"] = a.Reason
	}
	return rec
}

// upload records the file, then sends it.
func (e *Engine) upload(ctx context.Context, u Upload) error {
	name := e.Name
	if name == "" {
		name = defaultName
	}
	u, err := e.Book.Prepare(ctx, u, name, ace.OpportunityInbound, time.Now())
	if err != nil {
		return err
	}
	return e.send(ctx, u)
}

// send puts a prepared upload unless the bucket shows it already went (a
// crash after the put, before it was recorded): in the inbound folder,
// moved to the archive, or answered.
func (e *Engine) send(ctx context.Context, u Upload) error {
	for _, key := range []string{u.Key, ace.OpportunityInboundArchive + path.Base(u.Key), ace.ResultKey(u.Key)} {
		there, err := e.Bucket.exists(ctx, key)
		if err != nil {
			return fmt.Errorf("acemode: check %s: %w", key, err)
		}
		if there {
			return e.Book.SetUploadState(ctx, u.Key, Uploaded, nil)
		}
	}
	if err := e.Bucket.put(ctx, u.Key, u.Body); err != nil {
		return fmt.Errorf("acemode: upload %s: %w", u.Key, err)
	}
	e.Log.Info("inbound file uploaded", "key", u.Key, "records", len(u.Items))
	return e.Book.SetUploadState(ctx, u.Key, Uploaded, nil)
}

// recordError notes msg on the row unless it is already its error: a
// result applied again after a crash, or an unsendable edit seen again,
// counts once.
func (e *Engine) recordError(ctx context.Context, crmID, msg string) error {
	o, err := e.DB.Opportunity(ctx, crmID)
	if err != nil || o.LastError == msg {
		return err
	}
	e.Log.Warn("CRM row error", "crmId", crmID, "err", msg)
	return e.DB.RecordError(ctx, crmID, msg)
}
