package syncer

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// syncInvitations surfaces the engagement invitations this partner
// received (AWS referrals and partners' invitations) into the CRM; a
// rejected or expired one is marked removed. The list is small, so each
// cycle reads it whole.
func (e *Engine) syncInvitations(ctx context.Context) error {
	req := &selling.ListEngagementInvitationsRequest{Catalog: e.Catalog, ParticipantType: selling.ParticipantTypeReceiver, MaxResults: aws.Int32(pageSize)}
	for {
		page, err := e.API.ListEngagementInvitations(ctx, req)
		if err != nil {
			return err
		}
		for _, s := range page.EngagementInvitationSummaries {
			if err := e.DB.UpsertInvitation(ctx, invitation(s)); err != nil {
				return err
			}
		}
		if page.NextToken == nil {
			return nil
		}
		req.NextToken = page.NextToken
	}
}

func invitation(s selling.EngagementInvitationSummary) crmdb.Invitation {
	record, _ := json.Marshal(s) // generated types always marshal
	inv := crmdb.Invitation{
		ID: s.Id, Catalog: s.Catalog, EngagementID: aws.ToString(s.EngagementId), Sender: aws.ToString(s.SenderCompanyName),
		Title: aws.ToString(s.EngagementTitle), InvitationDate: aws.ToTime(s.InvitationDate), ExpirationDate: aws.ToTime(s.ExpirationDate),
		Record: record,
	}
	if s.PayloadType != nil {
		inv.PayloadType = string(*s.PayloadType)
	}
	if s.Status != nil {
		inv.Status = string(*s.Status)
		inv.Deleted = *s.Status == selling.InvitationStatusRejected || *s.Status == selling.InvitationStatusExpired
	}
	return inv
}
