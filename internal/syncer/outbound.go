package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/uuid"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/fieldpath"
)

// tokenSpace makes ClientTokens from CRM ids: the same CRM opportunity
// always sends the same token, so a retried or re-run create is answered
// with the opportunity the first one made.
var tokenSpace = uuid.MustParse("5c0a9f0e-7d1b-4e55-9a43-3b1f0c9e2d71")

// ClientToken is the CreateOpportunity ClientToken for a CRM opportunity.
func ClientToken(catalog, crmID string) string {
	return uuid.NewSHA1(tokenSpace, []byte(catalog+"/"+crmID)).String()
}

// maxUpdateAttempts bounds the read-merge-write loop when Partner Central
// keeps changing underneath.
const maxUpdateAttempts = 5

// outbound pushes every CRM create and edit still pending. A push that
// fails is recorded on its row and retried next cycle; the others go on.
func (e *Engine) outbound(ctx context.Context) error {
	rows, err := e.DB.Outbox(ctx, e.Catalog)
	if err != nil {
		return err
	}
	for i := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		o := &rows[i]
		err := e.push(context.WithoutCancel(ctx), o) // the item in hand finishes even when asked to stop
		if err != nil {
			e.Log.Warn("push failed; will retry", "crmId", o.CRMID, "err", err)
			if err := e.DB.RecordError(ctx, o.CRMID, err.Error()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *Engine) push(ctx context.Context, o *crmdb.Opportunity) error {
	if o.PCID == "" {
		if err := e.create(ctx, o); err != nil {
			return err
		}
	}
	if len(o.Edits) == 0 {
		return nil
	}
	return e.pushEdits(ctx, o)
}

// create sends a CRM-side create. PartnerOpportunityIdentifier defaults to
// the CRM id, which also lets a lost answer be matched on the way in.
func (e *Engine) create(ctx context.Context, o *crmdb.Opportunity) error {
	doc := fieldpath.Doc{}
	for path, v := range o.CreatePayload {
		if err := fieldpath.Set(doc, path, v); err != nil {
			return err
		}
	}
	if _, ok := doc["PartnerOpportunityIdentifier"]; !ok {
		doc["PartnerOpportunityIdentifier"] = o.CRMID
	}
	var req selling.CreateOpportunityRequest
	if err := convert(doc, &req); err != nil {
		return fmt.Errorf("create %s: %w", o.CRMID, err)
	}
	req.Catalog, req.ClientToken = e.Catalog, ClientToken(e.Catalog, o.CRMID)
	out, err := e.API.CreateOpportunity(ctx, &req)
	if err != nil {
		return err
	}
	e.Log.Info("created in Partner Central", "crmId", o.CRMID, "opportunity", out.Id)
	if err := e.DB.SetPCID(ctx, o.CRMID, out.Id); err != nil {
		return err
	}
	o.PCID = out.Id
	_, err = e.pull(ctx, out.Id, nil)
	return err
}

// pushEdits applies the CRM's pending edits onto the latest full record
// and updates it with the LastModifiedDate just read. An edit whose field
// Partner Central changed since the CRM's base becomes a conflict; one
// Partner Central already shows is done; the rest are sent.
func (e *Engine) pushEdits(ctx context.Context, o *crmdb.Opportunity) error {
	var lastConflict error
	for attempt := 0; attempt < maxUpdateAttempts; attempt++ {
		cur, err := e.API.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: e.Catalog, Identifier: o.PCID})
		if err != nil {
			return err
		}
		body, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		rec, err := remoteRecord(cur)
		if err != nil {
			return err
		}
		if _, err := e.DB.ApplyRemote(ctx, e.Catalog, rec, nil); err != nil {
			return err
		}
		doc, err := fieldpath.Decode(body)
		if err != nil {
			return err
		}
		plan := planEdits(doc, o.Edits)
		if len(plan.conflicting) > 0 {
			if err := e.conflict(ctx, o, plan.conflicting, body, "changed in Partner Central since the CRM's edit"); err != nil {
				return err
			}
		}
		if len(plan.send) == 0 {
			return e.DB.ClearEdits(ctx, o.CRMID, plan.done)
		}
		if status := rec.ReviewStatus; status == string(selling.ReviewStatusSubmitted) || status == string(selling.ReviewStatusInReview) {
			// Locked while AWS reviews: the edits wait, visibly, for the outcome.
			if err := e.DB.ClearEdits(ctx, o.CRMID, plan.done); err != nil {
				return err
			}
			return fmt.Errorf("waiting: Partner Central allows no edits while the opportunity is %s", status)
		}
		req, err := updateRequest(doc, plan.send)
		if err != nil {
			return err
		}
		req.Catalog, req.Identifier, req.LastModifiedDate = e.Catalog, o.PCID, cur.LastModifiedDate
		_, err = e.API.UpdateOpportunity(ctx, req)
		var conflict *sellingclient.ConflictException
		var invalid *sellingclient.ValidationException
		switch {
		case errors.As(err, &conflict):
			lastConflict = err // changed meanwhile (or our own retried write landed): read again
			continue
		case errors.As(err, &invalid):
			return e.conflict(ctx, o, sortedKeys(plan.send), body, "refused by Partner Central: "+describe(invalid))
		case err != nil:
			return err
		}
		e.Log.Info("updated in Partner Central", "crmId", o.CRMID, "opportunity", o.PCID, "fields", sortedKeys(plan.send))
		if _, err := e.pull(ctx, o.PCID, nil); err != nil {
			return err
		}
		for p, v := range plan.send {
			plan.done[p] = v
		}
		return e.DB.ClearEdits(ctx, o.CRMID, plan.done)
	}
	return fmt.Errorf("update %s: still conflicting after %d attempts: %w", o.PCID, maxUpdateAttempts, lastConflict)
}

// editPlan sorts pending edits against the current record.
type editPlan struct {
	done        map[string]any // Partner Central already shows the CRM's value
	send        map[string]any
	conflicting []string
}

func planEdits(doc fieldpath.Doc, edits map[string]crmdb.Edit) editPlan {
	p := editPlan{done: map[string]any{}, send: map[string]any{}}
	for path, ed := range edits {
		v, _ := fieldpath.Get(doc, path)
		switch {
		case fieldpath.Equal(v, ed.Value):
			p.done[path] = ed.Value
		case ed.HasBase && !fieldpath.Equal(v, ed.Base):
			p.conflicting = append(p.conflicting, path)
		default:
			p.send[path] = ed.Value
		}
	}
	sort.Strings(p.conflicting)
	return p
}

// conflict records the CRM's values for fields next to the Partner
// Central record they met.
func (e *Engine) conflict(ctx context.Context, o *crmdb.Opportunity, fields []string, pcRecord []byte, reason string) error {
	crm := map[string]any{}
	for _, f := range fields {
		crm[f] = o.Edits[f].Value
	}
	id, err := e.DB.AddConflict(ctx, crmdb.Conflict{CRMID: o.CRMID, PCID: o.PCID, Fields: fields, CRMVersion: crm, PartnerCentral: pcRecord, Reason: reason})
	if err == nil {
		e.Log.Warn("conflict recorded", "conflict", id, "crmId", o.CRMID, "opportunity", o.PCID, "fields", fields, "reason", reason)
		for _, f := range fields {
			delete(o.Edits, f)
		}
	}
	return err
}

// readOnlyMembers are GetOpportunity members UpdateOpportunity does not
// take (semantics.md §2.3).
var readOnlyMembers = []string{"Id", "Arn", "Catalog", "CreatedDate", "LastModifiedDate", "OpportunityTeam", "RelatedEntityIdentifiers"}

// updateRequest is the full current record with the edits applied: the
// update replaces the whole opportunity, so nothing may be left out.
func updateRequest(doc fieldpath.Doc, edits map[string]any) (*selling.UpdateOpportunityRequest, error) {
	for _, k := range readOnlyMembers {
		delete(doc, k)
	}
	for path, v := range edits {
		if err := fieldpath.Set(doc, path, v); err != nil {
			return nil, err
		}
	}
	var req selling.UpdateOpportunityRequest
	return &req, convert(doc, &req)
}

// convert moves a document into a request type through JSON.
func convert(doc fieldpath.Doc, into any) error {
	raw, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, into)
}

func describe(v *sellingclient.ValidationException) string {
	s := v.Message
	for _, f := range v.ErrorList {
		s += fmt.Sprintf("; %s: %s", aws.ToString(f.FieldName), f.Message)
	}
	return s
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
