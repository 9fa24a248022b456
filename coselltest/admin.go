package coselltest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/faults"
)

// The request and answer shapes of the admin API (README: "Admin API",
// "AWS side"), shared with the server so the two cannot drift apart.
type (
	ReviewRequest       = admin.ReviewRequest
	ReviewOutcome       = admin.ReviewOutcome
	ReferralRequest     = admin.ReferralRequest
	ReferralOutcome     = admin.ReferralOutcome
	InvitationOutcome   = admin.InvitationOutcome
	VerificationRequest = admin.VerificationRequest
	VerificationOutcome = admin.VerificationOutcome
	SolutionRequest     = admin.SolutionRequest
	AutoReview          = admin.AutoReview
	FaultRule           = faults.Rule
	ACEExport           = admin.ExportOutcome
)

// Admin is a client of a server's admin API: it plays AWS's side of
// Partner Central and controls the server. Every method returns the
// admin API's error message as its error.
type Admin struct {
	url, token string
	http       *http.Client
}

// Now is the server clock, which stamps everything the APIs record.
func (a *Admin) Now(ctx context.Context) (time.Time, error) {
	var out struct{ Now time.Time }
	err := a.do(ctx, http.MethodGet, "clock", nil, &out)
	return out.Now, err
}

// Advance moves the server clock forward by d (to expire invitations,
// run the automatic reviewer, end SQS visibility timeouts) and returns
// the new time.
func (a *Admin) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	var out struct{ Now time.Time }
	err := a.do(ctx, http.MethodPost, "clock", map[string]string{"advance": d.String()}, &out)
	return out.Now, err
}

// SetClock moves the server clock forward to t; backwards is an error.
func (a *Admin) SetClock(ctx context.Context, t time.Time) error {
	return a.do(ctx, http.MethodPost, "clock", map[string]time.Time{"set": t}, nil)
}

// Review decides a submitted opportunity as AWS's reviewer does: Status
// "In review", "Approved", "Action Required" or "Rejected".
func (a *Admin) Review(ctx context.Context, catalog, account, opportunityID string, r ReviewRequest) (*ReviewOutcome, error) {
	var out ReviewOutcome
	err := a.do(ctx, http.MethodPost, "aws/opportunities/"+path(catalog, account, opportunityID)+"/review", r, &out)
	return &out, err
}

// UpdateSummary changes AWS's side of an opportunity: update and the
// answer are GetAwsOpportunitySummary JSON.
func (a *Admin) UpdateSummary(ctx context.Context, catalog, account, opportunityID string, update any) (json.RawMessage, error) {
	var out json.RawMessage
	err := a.do(ctx, http.MethodPost, "aws/opportunities/"+path(catalog, account, opportunityID)+"/summary", update, &out)
	return out, err
}

// Refer sends a partner an AWS referral (an opportunity or a lead), as an
// engagement invitation.
func (a *Admin) Refer(ctx context.Context, r ReferralRequest) (*ReferralOutcome, error) {
	var out ReferralOutcome
	err := a.do(ctx, http.MethodPost, "aws/referrals", r, &out)
	return &out, err
}

// ExpireInvitation expires a pending engagement invitation now.
func (a *Admin) ExpireInvitation(ctx context.Context, catalog, invitationID string) (*InvitationOutcome, error) {
	var out InvitationOutcome
	err := a.do(ctx, http.MethodPost, "aws/invitations/"+path(catalog, invitationID)+"/expire", nil, &out)
	return &out, err
}

// DecideVerification decides an Account API verification of account.
func (a *Admin) DecideVerification(ctx context.Context, account, verificationType string, d VerificationRequest) (*VerificationOutcome, error) {
	var out VerificationOutcome
	err := a.do(ctx, http.MethodPost, "aws/verifications/"+path(account, verificationType), d, &out)
	return &out, err
}

// AddSolution lists a new solution for a partner; the answer is the
// solution as ListSolutions shows it.
func (a *Admin) AddSolution(ctx context.Context, r SolutionRequest) (json.RawMessage, error) {
	var out json.RawMessage
	err := a.do(ctx, http.MethodPost, "aws/solutions", r, &out)
	return out, err
}

// SetAutoReview sets the Sandbox's automatic reviewer (Mode "off" or
// "rules", Delay a Go duration).
func (a *Admin) SetAutoReview(ctx context.Context, r AutoReview) error {
	return a.do(ctx, http.MethodPost, "aws/auto-review", r, nil)
}

// ExportACE exports AWS's referrals to a partner's ACE S3 bucket now.
func (a *Admin) ExportACE(ctx context.Context, account, catalog string) (*ACEExport, error) {
	var out ACEExport
	err := a.do(ctx, http.MethodPost, "aws/ace/export", admin.ExportRequest{Account: account, Catalog: catalog}, &out)
	return &out, err
}

// SetFaults replaces the fault rules; none clears them.
func (a *Admin) SetFaults(ctx context.Context, rules ...FaultRule) error {
	if rules == nil {
		rules = []FaultRule{}
	}
	return a.do(ctx, http.MethodPut, "faults", rules, nil)
}

// Reset empties the whole server.
func (a *Admin) Reset(ctx context.Context) error {
	return a.do(ctx, http.MethodPost, "reset", nil, nil)
}

// ResetCatalog empties one account's catalog (AWS or Sandbox).
func (a *Admin) ResetCatalog(ctx context.Context, account, catalog string) error {
	q := url.Values{"account": {account}, "catalog": {catalog}}
	return a.do(ctx, http.MethodPost, "reset?"+q.Encode(), nil, nil)
}

// Event is one EventBridge event the server emitted, in commit order.
type Event struct {
	Seq     int64           `json:"seq"`
	Account string          `json:"account"`
	Event   json.RawMessage `json:"event"` // the EventBridge envelope
}

// DetailType is the event's EventBridge detail-type, such as
// "Opportunity Created".
func (e Event) DetailType() string {
	var env struct {
		DetailType string `json:"detail-type"`
	}
	_ = json.Unmarshal(e.Event, &env) // the server wrote it: it is an envelope
	return env.DetailType
}

// Events returns up to 1000 of account's events after sequence number
// after ("" for every account, 0 for the first).
func (a *Admin) Events(ctx context.Context, account string, after int64) ([]Event, error) {
	q := url.Values{"after": {fmt.Sprint(after)}, "limit": {"1000"}}
	if account != "" {
		q.Set("account", account)
	}
	var out struct{ Events []Event }
	err := a.do(ctx, http.MethodGet, "events?"+q.Encode(), nil, &out)
	return out.Events, err
}

// Do sends any other admin API request: route is the path after
// /_cosell/, body is sent as JSON unless nil, and the answer is decoded
// into out unless nil.
func (a *Admin) Do(ctx context.Context, method, route string, body, out any) error {
	return a.do(ctx, method, route, body, out)
}

func (a *Admin) do(ctx context.Context, method, route string, body, out any) error {
	var in io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		in = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.url+admin.Prefix+route, in)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	res, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(answer, &e) == nil && e.Error != "" {
			return fmt.Errorf("%s /_cosell/%s: %s (HTTP %d)", method, route, e.Error, res.StatusCode)
		}
		return fmt.Errorf("%s /_cosell/%s: HTTP %d %s", method, route, res.StatusCode, answer)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(answer, out)
}

// path joins escaped path segments.
func path(segments ...string) string {
	var b bytes.Buffer
	for i, s := range segments {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}
