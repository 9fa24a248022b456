package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/cosell/cosell/internal/apierr"
)

// The AWS side: routes under /_cosell/aws/ that act as AWS does on
// partners' opportunities, invitations and verifications. The admin API
// knows no domain: the server adapts the domains to AwsSide, and the
// bodies that carry model shapes (a summary update, a referral's payload)
// pass through as JSON for the domains to check against the model.

// AwsSide is what the AWS-side routes ask of the domains.
type AwsSide interface {
	Review(ctx context.Context, catalog, account, opportunityID string, r ReviewRequest) (*ReviewOutcome, error)
	// UpdateSummary takes and returns GetAwsOpportunitySummary JSON.
	UpdateSummary(ctx context.Context, catalog, account, opportunityID string, update json.RawMessage) (json.RawMessage, error)
	Refer(ctx context.Context, r ReferralRequest) (*ReferralOutcome, error)
	ExpireInvitation(ctx context.Context, catalog, invitationID string) (*InvitationOutcome, error)
	DecideVerification(ctx context.Context, account, verificationType string, d VerificationRequest) (*VerificationOutcome, error)
	AutoReview() AutoReview
	SetAutoReview(context.Context, AutoReview) error
	// AddSolution takes a SolutionRequest and returns the solution as
	// ListSolutions shows it.
	AddSolution(ctx context.Context, r SolutionRequest) (json.RawMessage, error)
	// AddListing lists an AWS Marketplace solution or product of a partner.
	AddListing(ctx context.Context, r ListingRequest) (json.RawMessage, error)
	// ScoreLead sets the LeadReadinessScore of an engagement's lead and
	// returns the lead's Insights.
	ScoreLead(ctx context.Context, catalog, engagementID string, r LeadScoreRequest) (json.RawMessage, error)
}

// ListingRequest is the body of POST /_cosell/aws/listings: an AWS
// Marketplace listing of the partner, which opportunities can then be
// associated with (AwsMarketplaceSolutions, AwsMarketplaceProducts).
type ListingRequest struct {
	Catalog    string `json:"catalog"`
	Account    string `json:"account"`
	Kind       string `json:"kind"` // Solution, SaaSProduct, AmiProduct or ContainerProduct
	Name       string `json:"name"`
	Visibility string `json:"visibility,omitempty"` // Public (default), Limited, Restricted or Draft
	SolutionId string `json:"solutionId,omitempty"` // for a Solution: the partner solution (S-…) it stands for
}

// LeadScoreRequest is the body of POST .../lead-insights.
type LeadScoreRequest struct {
	LeadReadinessScore string `json:"LeadReadinessScore"` // Low, Medium or High
}

// SolutionRequest is the body of POST /_cosell/aws/solutions: a solution
// Partner Central lists for the partner from now on.
type SolutionRequest struct {
	Catalog  string `json:"catalog"`
	Account  string `json:"account"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Status   string `json:"status,omitempty"` // Active (default), Inactive or Draft
}

// ReviewRequest is the body of POST .../review.
type ReviewRequest struct {
	Status   string `json:"status"` // In review, Approved, Action Required or Rejected
	Comments string `json:"comments,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// ReviewOutcome is where the opportunity stands after the review.
type ReviewOutcome struct {
	Id               string    `json:"id"`
	ReviewStatus     string    `json:"reviewStatus"`
	LastModifiedDate time.Time `json:"lastModifiedDate"`
}

// ReferralRequest is the body of POST /_cosell/aws/referrals: exactly one
// of Opportunity (an OpportunityInvitation payload, as the Selling model
// shapes it) and Lead (a Lead engagement context).
type ReferralRequest struct {
	Catalog     string          `json:"catalog"`
	Account     string          `json:"account"` // the partner referred to
	Message     string          `json:"message,omitempty"`
	Opportunity json.RawMessage `json:"opportunity,omitempty"`
	Lead        json.RawMessage `json:"lead,omitempty"`
}

// ReferralOutcome names what the referral created.
type ReferralOutcome struct {
	EngagementId  string `json:"engagementId"`
	InvitationId  string `json:"invitationId"`
	InvitationArn string `json:"invitationArn"`
	PayloadType   string `json:"payloadType"`
}

// InvitationOutcome is where an invitation stands.
type InvitationOutcome struct {
	Id             string    `json:"id"`
	Status         string    `json:"status"`
	ExpirationDate time.Time `json:"expirationDate"`
}

// VerificationRequest is the body of POST /_cosell/aws/verifications/...
type VerificationRequest struct {
	Status string `json:"status"` // a VerificationStatus
	Reason string `json:"reason,omitempty"`
}

// VerificationOutcome is where the verification stands after the decision.
type VerificationOutcome struct {
	Type        string     `json:"type"`
	Status      string     `json:"status"`
	Reason      *string    `json:"reason,omitempty"`
	StartedAt   time.Time  `json:"startedAt"`
	CompletedAt *time.Time `json:"completedAt,omitempty"`
}

// AutoReview is the Sandbox's automatic reviewer: Mode "off" or "rules",
// Delay a Go duration such as "60s".
type AutoReview struct {
	Mode  string `json:"mode"`
	Delay string `json:"delay,omitempty"`
}

// awsRoutes adds the AWS-side routes to mux.
func awsRoutes(mux *http.ServeMux, aws AwsSide) {
	const p = Prefix + "aws/"
	mux.HandleFunc("POST "+p+"opportunities/{catalog}/{account}/{id}/review", review(aws))
	mux.HandleFunc("POST "+p+"opportunities/{catalog}/{account}/{id}/summary", updateSummary(aws))
	mux.HandleFunc("POST "+p+"referrals", refer(aws))
	mux.HandleFunc("POST "+p+"invitations/{catalog}/{id}/expire", expireInvitation(aws))
	mux.HandleFunc("POST "+p+"verifications/{account}/{type}", decideVerification(aws))
	mux.HandleFunc("GET "+p+"auto-review", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, aws.AutoReview()) })
	mux.HandleFunc("POST "+p+"auto-review", setAutoReview(aws))
	mux.HandleFunc("POST "+p+"solutions", addSolution(aws))
	mux.HandleFunc("POST "+p+"listings", addListing(aws))
	mux.HandleFunc("POST "+p+"engagements/{catalog}/{id}/lead-insights", scoreLead(aws))
}

func addListing(aws AwsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in ListingRequest
		if !readBody(w, r, &in) {
			return
		}
		if in.Catalog == "" || in.Account == "" {
			writeError(w, http.StatusBadRequest, `give "catalog" (AWS or Sandbox) and "account", the partner whose listing it is`)
			return
		}
		out, err := aws.AddListing(r.Context(), in)
		answer(w, &out, err)
	}
}

func scoreLead(aws AwsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in LeadScoreRequest
		if !readBody(w, r, &in) {
			return
		}
		out, err := aws.ScoreLead(r.Context(), r.PathValue("catalog"), r.PathValue("id"), in)
		answer(w, &out, err)
	}
}

func addSolution(aws AwsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in SolutionRequest
		if !readBody(w, r, &in) {
			return
		}
		if in.Catalog == "" || in.Account == "" {
			writeError(w, http.StatusBadRequest, `give "catalog" (AWS or Sandbox) and "account", the partner whose solution it is`)
			return
		}
		out, err := aws.AddSolution(r.Context(), in)
		answer(w, &out, err)
	}
}

func review(aws AwsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in ReviewRequest
		if !readBody(w, r, &in) {
			return
		}
		out, err := aws.Review(r.Context(), r.PathValue("catalog"), r.PathValue("account"), r.PathValue("id"), in)
		answer(w, out, err)
	}
}

func updateSummary(aws AwsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in json.RawMessage
		if !readBody(w, r, &in) {
			return
		}
		out, err := aws.UpdateSummary(r.Context(), r.PathValue("catalog"), r.PathValue("account"), r.PathValue("id"), in)
		answer(w, &out, err)
	}
}

func refer(aws AwsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in ReferralRequest
		if !readBody(w, r, &in) {
			return
		}
		if in.Catalog == "" || in.Account == "" {
			writeError(w, http.StatusBadRequest, `give "catalog" (AWS or Sandbox) and "account", the partner to refer to`)
			return
		}
		out, err := aws.Refer(r.Context(), in)
		answer(w, out, err)
	}
}

func expireInvitation(aws AwsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		out, err := aws.ExpireInvitation(r.Context(), r.PathValue("catalog"), r.PathValue("id"))
		answer(w, out, err)
	}
}

func decideVerification(aws AwsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in VerificationRequest
		if !readBody(w, r, &in) {
			return
		}
		out, err := aws.DecideVerification(r.Context(), r.PathValue("account"), r.PathValue("type"), in)
		answer(w, out, err)
	}
}

func setAutoReview(aws AwsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in AutoReview
		if !readBody(w, r, &in) {
			return
		}
		if err := aws.SetAutoReview(r.Context(), in); err != nil {
			answer[AutoReview](w, nil, err)
			return
		}
		writeJSON(w, http.StatusOK, aws.AutoReview())
	}
}

// readBody decodes a JSON body, answering 400 when it cannot.
func readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := readJSON(w, r, v); err != nil {
		writeError(w, http.StatusBadRequest, "body: "+err.Error())
		return false
	}
	return true
}

// fieldProblem is one field a domain refused, as the AWS APIs list them.
type fieldProblem struct {
	Field   string `json:"field"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
}

// answer writes out, or the domain's error with the HTTP status of its
// kind: an admin client gets 4xx for its own mistakes and 5xx only for
// the server's.
func answer[T any](w http.ResponseWriter, out *T, err error) {
	if err == nil {
		writeJSON(w, http.StatusOK, out)
		return
	}
	e, ok := apierr.As(err)
	var bad *badRequest
	switch {
	case errors.As(err, &bad):
		writeError(w, http.StatusBadRequest, bad.msg)
	case !ok:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		body := struct {
			Error  string         `json:"error"`
			Fields []fieldProblem `json:"fields,omitempty"`
		}{Error: e.Message}
		for _, f := range e.Fields {
			body.Fields = append(body.Fields, fieldProblem{Field: f.FieldName, Code: f.Code, Message: f.Message})
		}
		writeJSON(w, statusOf(e.Kind), body)
	}
}

// BadRequest is an AwsSide error for a request the admin client got wrong
// before any domain saw it (a body that is not the shape it should be).
func BadRequest(msg string) error { return &badRequest{msg} }

type badRequest struct{ msg string }

func (b *badRequest) Error() string { return b.msg }

func statusOf(k apierr.Kind) int {
	switch k {
	case apierr.KindValidation, apierr.KindSerialization:
		return http.StatusBadRequest
	case apierr.KindAccessDenied:
		return http.StatusForbidden
	case apierr.KindNotFound:
		return http.StatusNotFound
	case apierr.KindConflict, apierr.KindServiceQuotaExceeded:
		return http.StatusConflict
	case apierr.KindThrottling:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}
