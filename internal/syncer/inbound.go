package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// pollOverlap is how far before the newest LastModifiedDate it has stored
// a poll looks: a write stamped earlier can become visible after a later
// one was listed (concurrent writes, replication on AWS's side), and the
// guide's exact filter would then miss it for good. Records already stored
// at their listed version are skipped, so the overlap costs list pages,
// not GetOpportunity calls.
const pollOverlap = 5 * time.Minute

// inbound lists every opportunity modified at or after the newest
// LastModifiedDate AWS has answered (all of them on the first load), in
// ascending LastModifiedDate order so the filter can move forward page by
// page: a record modified while the listing runs moves to its end and is
// still seen. Each page is stored in one transaction and its token saved
// after it, so a cut-off first load resumes there; records already stored
// as new are skipped.
func (e *Engine) inbound(ctx context.Context, st *crmdb.State) error {
	req := &selling.ListOpportunitiesRequest{
		Catalog:    e.Catalog,
		MaxResults: aws.Int32(pageSize),
		Sort:       &selling.OpportunitySort{SortBy: selling.OpportunitySortNameLastModifiedDate, SortOrder: selling.SortOrderAscending},
	}
	if !st.AWSLastModified.IsZero() {
		req.LastModifiedDate = &selling.LastModifiedDate{AfterLastModifiedDate: aws.Time(st.AWSLastModified.Add(-pollOverlap))}
	}
	if !st.FullLoadDone && st.FullLoadToken != "" {
		req.NextToken = aws.String(st.FullLoadToken)
	}
	done := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := e.API.ListOpportunities(ctx, req)
		var invalid *sellingclient.ValidationException
		if req.NextToken != nil && errors.As(err, &invalid) {
			// A stored token the service no longer takes: list again from
			// the filter; stored records are skipped.
			e.Log.Warn("resume token refused; listing again", "err", err)
			req.NextToken, st.FullLoadToken = nil, ""
			continue
		}
		if err != nil {
			return err
		}
		// The page in hand finishes even when asked to stop.
		if err := e.storePage(context.WithoutCancel(ctx), page.OpportunitySummaries); err != nil {
			return err
		}
		for _, sum := range page.OpportunitySummaries {
			if sum.LastModifiedDate != nil && sum.LastModifiedDate.After(st.AWSLastModified) && st.FullLoadDone {
				st.AWSLastModified = *sum.LastModifiedDate
			}
		}
		done += len(page.OpportunitySummaries)
		req.NextToken = page.NextToken
		if !st.FullLoadDone {
			st.FullLoadToken = aws.ToString(page.NextToken)
		}
		if err := e.DB.SaveState(ctx, *st); err != nil {
			return err
		}
		if e.Progress != nil {
			e.Progress(done, page.NextToken == nil)
		}
		if page.NextToken == nil {
			break
		}
	}
	if !st.FullLoadDone {
		return e.finishFullLoad(ctx, st)
	}
	return nil
}

// finishFullLoad sets the polling filter to the newest LastModifiedDate
// among the stored records: a load resumed from a token has not listed
// the earlier pages again, so the listing alone does not know it.
func (e *Engine) finishFullLoad(ctx context.Context, st *crmdb.State) error {
	newest, err := e.DB.NewestAWSChange(ctx, e.Catalog)
	if err != nil {
		return err
	}
	if newest.After(st.AWSLastModified) {
		st.AWSLastModified = newest
	}
	st.FullLoadDone, st.FullLoadToken = true, ""
	return e.DB.SaveState(ctx, *st)
}

// pull fetches one opportunity and stores it if newer, marking ev
// processed in the same transaction. An opportunity gone from Partner
// Central (or never this account's) only marks the event.
func (e *Engine) pull(ctx context.Context, pcID string, ev *crmdb.EventMark) (bool, error) {
	rec, err := e.fetch(ctx, pcID)
	if err != nil {
		return false, err
	}
	applied, err := e.DB.ApplyRemote(ctx, e.Catalog, rec, ev)
	if applied {
		e.Log.Debug("opportunity stored", "opportunity", pcID, "lastModified", rec.LastModified)
	}
	return applied, err
}

// fetch gets one opportunity as the record to store: nil for one gone
// from Partner Central (or never this account's).
func (e *Engine) fetch(ctx context.Context, pcID string) (*crmdb.RemoteRecord, error) {
	out, err := e.API.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: e.Catalog, Identifier: pcID})
	var missing *sellingclient.ResourceNotFoundException
	if errors.As(err, &missing) {
		e.Log.Warn("opportunity not found", "opportunity", pcID)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return remoteRecord(out)
}

func remoteRecord(out *selling.GetOpportunityResponse) (*crmdb.RemoteRecord, error) {
	body, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	rec := &crmdb.RemoteRecord{PCID: out.Id, PartnerOpportunityIdentifier: aws.ToString(out.PartnerOpportunityIdentifier), LastModified: out.LastModifiedDate, JSON: body}
	if out.LifeCycle != nil && out.LifeCycle.ReviewStatus != nil {
		rec.ReviewStatus = string(*out.LifeCycle.ReviewStatus)
	}
	return rec, nil
}
