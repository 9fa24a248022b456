package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	accountapi "github.com/cosell/cosell/api/account"
	sellingapi "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/account"
	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/benefits"
	"github.com/cosell/cosell/internal/channel"
	"github.com/cosell/cosell/internal/revenue"
	"github.com/cosell/cosell/internal/selling"
)

// Auto-review modes of --auto-review and the admin route.
const (
	AutoReviewOff   = "off"
	AutoReviewRules = "rules"
)

// ParseAutoReview reads an automatic reviewer setting: mode "off" or
// "rules", delay a Go duration ("" keeps the default).
func ParseAutoReview(mode, delay string) (AutoReview, error) {
	a := AutoReview{Delay: selling.DefaultAutoReviewDelay}
	switch mode {
	case AutoReviewOff, "":
	case AutoReviewRules:
		a.Rules = true
	default:
		return a, fmt.Errorf("auto-review mode %q: want %s or %s", mode, AutoReviewOff, AutoReviewRules)
	}
	if delay != "" {
		d, err := time.ParseDuration(delay)
		if err != nil || d < 0 {
			return a, fmt.Errorf("auto-review delay %q: want a non-negative Go duration such as 60s", delay)
		}
		a.Delay = d
	}
	return a, nil
}

// AutoReview is the Sandbox's automatic reviewer setting.
type AutoReview = selling.AutoReview

// awsSide adapts the two domains to the admin API's AWS-side routes.
type awsSide struct {
	selling  *selling.Service
	account  *account.Service
	channel  *channel.Service
	revenue  *revenue.Service
	benefits *benefits.Service
}

func (a awsSide) Review(ctx context.Context, catalog, acct, id string, r admin.ReviewRequest) (*admin.ReviewOutcome, error) {
	out, err := a.selling.Review(ctx, acct, catalog, id, sellingapi.ReviewStatus(r.Status), r.Comments, r.Reason)
	if err != nil {
		return nil, err
	}
	return &admin.ReviewOutcome{Id: out.Id, ReviewStatus: string(out.ReviewStatus), LastModifiedDate: out.LastModifiedDate}, nil
}

func (a awsSide) UpdateSummary(ctx context.Context, catalog, acct, id string, body json.RawMessage) (json.RawMessage, error) {
	// Strict decoding: a member AwsFields does not have (a typo, or one
	// only the partner sets) is a mistake to report, not to drop. The
	// domain checks the values against the model.
	var update selling.AwsFields
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&update); err != nil {
		return nil, admin.BadRequest("summary: " + err.Error() + " (give LifeCycle, OpportunityTeam, Insights, InvolvementTypeChangeReason or Project, as GetAwsOpportunitySummary shapes them)")
	}
	out, err := a.selling.UpdateAwsSummary(ctx, acct, catalog, id, update)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

func (a awsSide) Refer(ctx context.Context, r admin.ReferralRequest) (*admin.ReferralOutcome, error) {
	ref := selling.Referral{Message: r.Message}
	if len(r.Opportunity) > 0 {
		ref.Opportunity = new(sellingapi.OpportunityInvitationPayload)
		if err := json.Unmarshal(r.Opportunity, ref.Opportunity); err != nil {
			return nil, admin.BadRequest("opportunity: " + err.Error())
		}
	}
	if len(r.Lead) > 0 {
		ref.Lead = new(sellingapi.LeadContext)
		if err := json.Unmarshal(r.Lead, ref.Lead); err != nil {
			return nil, admin.BadRequest("lead: " + err.Error())
		}
	}
	out, err := a.selling.Refer(ctx, r.Account, r.Catalog, ref)
	if err != nil {
		return nil, err
	}
	return &admin.ReferralOutcome{EngagementId: out.EngagementId, InvitationId: out.InvitationId, InvitationArn: out.InvitationArn, PayloadType: string(out.PayloadType)}, nil
}

func (a awsSide) AddSolution(ctx context.Context, r admin.SolutionRequest) (json.RawMessage, error) {
	out, err := a.selling.AddSolution(ctx, r.Account, r.Catalog, selling.Solution{Name: r.Name, Category: r.Category, Status: sellingapi.SolutionStatus(r.Status)})
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

func (a awsSide) AddListing(ctx context.Context, r admin.ListingRequest) (json.RawMessage, error) {
	out, err := a.selling.AddListing(ctx, r.Account, r.Catalog, selling.Listing{Kind: r.Kind, Name: r.Name, Visibility: r.Visibility, SolutionId: r.SolutionId})
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

func (a awsSide) ScoreLead(ctx context.Context, catalog, id string, r admin.LeadScoreRequest) (json.RawMessage, error) {
	out, err := a.selling.ScoreLead(ctx, catalog, id, r.LeadReadinessScore)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

func (a awsSide) ExpireInvitation(ctx context.Context, catalog, id string) (*admin.InvitationOutcome, error) {
	out, err := a.selling.ExpireInvitation(ctx, catalog, id)
	if err != nil {
		return nil, err
	}
	return &admin.InvitationOutcome{Id: out.Id, Status: string(out.Status), ExpirationDate: out.ExpirationDate}, nil
}

func (a awsSide) DecideVerification(ctx context.Context, acct, typ string, d admin.VerificationRequest) (*admin.VerificationOutcome, error) {
	out, err := a.account.DecideVerification(ctx, acct, accountapi.VerificationType(typ), accountapi.VerificationStatus(d.Status), d.Reason)
	if err != nil {
		return nil, err
	}
	return &admin.VerificationOutcome{Type: string(out.Type), Status: string(out.Status), Reason: out.Reason, StartedAt: out.StartedAt, CompletedAt: out.CompletedAt}, nil
}

func (a awsSide) AutoReview() admin.AutoReview {
	r := a.selling.AutoReview()
	mode := AutoReviewOff
	if r.Rules {
		mode = AutoReviewRules
	}
	return admin.AutoReview{Mode: mode, Delay: r.Delay.String()}
}

func (a awsSide) SetAutoReview(ctx context.Context, r admin.AutoReview) error {
	parsed, err := ParseAutoReview(r.Mode, r.Delay)
	if err != nil {
		return admin.BadRequest(err.Error())
	}
	return a.selling.SetAutoReview(ctx, parsed)
}
