package console

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/admin"
)

// The AWS side by clicking. Every form posts to a handler here that calls
// admin.AwsSide — the very adapter the admin API's /_cosell/aws/ routes
// call — and sends the browser back to where it was with the outcome.
//
// The other APIs' AWS side has a page each (channel.go, revenue.go,
// benefits.go), on the admin API's adapters for them (admin.ChannelSide,
// admin.RevenueSide, admin.BenefitsSide).

func (c *console) awsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"aws", c.awsPage)
	mux.HandleFunc("POST "+Prefix+"aws/review", c.review)
	mux.HandleFunc("POST "+Prefix+"aws/summary", c.updateSummary)
	mux.HandleFunc("POST "+Prefix+"aws/refer", c.refer)
	mux.HandleFunc("POST "+Prefix+"aws/expire", c.expireInvitation)
	mux.HandleFunc("POST "+Prefix+"aws/clock", c.moveClock)
	mux.HandleFunc("POST "+Prefix+"aws/auto-review", c.setAutoReview)
}

type awsData struct {
	AutoReview        admin.AutoReview
	OpportunitySample string
	LeadSample        string
}

func (c *console) awsPage(w http.ResponseWriter, r *http.Request) {
	d := awsData{AutoReview: c.cfg.Aws.AutoReview(), OpportunitySample: opportunitySample(c.cfg.Clock.Now()), LeadSample: leadSample}
	c.render(w, r, http.StatusOK, "aws", page{Title: "Act as AWS", Nav: "aws", Data: d})
}

// back is where an action returns the browser: the form's "back" field,
// kept inside the console by done.
func back(r *http.Request) string {
	if b := r.PostForm.Get("back"); b != "" {
		return b
	}
	return Prefix + "aws"
}

func (c *console) review(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	out, err := c.cfg.Aws.Review(r.Context(), f.Get("catalog"), f.Get("account"), f.Get("id"),
		admin.ReviewRequest{Status: f.Get("status"), Comments: strings.TrimSpace(f.Get("comments")), Reason: strings.TrimSpace(f.Get("reason"))})
	msg := ""
	if err == nil {
		msg = "AWS reviewed " + out.Id + ": " + out.ReviewStatus
	}
	done(w, r, back(r), msg, err)
}

func (c *console) updateSummary(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	body := json.RawMessage(strings.TrimSpace(f.Get("summary")))
	if !json.Valid(body) {
		done(w, r, back(r), "", errors.New("the AWS fields must be one JSON object, as GetAwsOpportunitySummary shapes them"))
		return
	}
	_, err := c.cfg.Aws.UpdateSummary(r.Context(), f.Get("catalog"), f.Get("account"), f.Get("id"), body)
	done(w, r, back(r), "AWS updated its fields of "+f.Get("id"), err)
}

func (c *console) refer(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	req := admin.ReferralRequest{Catalog: f.Get("catalog"), Account: f.Get("account"), Message: strings.TrimSpace(f.Get("message"))}
	payload := json.RawMessage(strings.TrimSpace(f.Get("payload")))
	if !json.Valid(payload) {
		done(w, r, back(r), "", errors.New("the referral's payload must be one JSON object"))
		return
	}
	switch f.Get("kind") {
	case "lead":
		req.Lead = payload
	default:
		req.Opportunity = payload
	}
	out, err := c.cfg.Aws.Refer(r.Context(), req)
	msg := ""
	if err == nil {
		msg = "AWS sent " + out.PayloadType + " " + out.InvitationId + " (engagement " + out.EngagementId + ") to " + req.Account
	}
	done(w, r, back(r), msg, err)
}

func (c *console) expireInvitation(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	out, err := c.cfg.Aws.ExpireInvitation(r.Context(), r.PostForm.Get("catalog"), strings.TrimSpace(r.PostForm.Get("invitation")))
	msg := ""
	if err == nil {
		msg = "invitation " + out.Id + " is " + out.Status
	}
	done(w, r, back(r), msg, err)
}

// moveClock moves the server clock forward, as POST /_cosell/clock does.
func (c *console) moveClock(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	d, err := time.ParseDuration(strings.TrimSpace(r.PostForm.Get("advance")))
	switch {
	case err != nil:
		err = errors.New(`advance: want a Go duration such as "72h" or "30m"`)
	case d < 0:
		err = errors.New("the clock only moves forward")
	default:
		c.cfg.Clock.Advance(d)
	}
	done(w, r, back(r), "the server clock is now "+c.cfg.Clock.Now().UTC().Format(time.RFC3339), err)
}

func (c *console) setAutoReview(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	a := admin.AutoReview{Mode: r.PostForm.Get("mode"), Delay: strings.TrimSpace(r.PostForm.Get("delay"))}
	err := c.cfg.Aws.SetAutoReview(r.Context(), a)
	done(w, r, back(r), "the Sandbox's automatic reviewer is "+c.cfg.Aws.AutoReview().Mode, err)
}

// opportunitySample is a referral the form starts with: the least an
// OpportunityInvitation payload needs, closing a year from now.
func opportunitySample(now time.Time) string {
	return `{
  "Customer": {"CompanyName": "Example Corp", "CountryCode": "US", "Industry": "Software and Internet", "WebsiteUrl": "https://www.example.com"},
  "Project": {"Title": "Example Corp migration", "BusinessProblem": "The customer wants to move its data centre to AWS within a year.", "TargetCompletionDate": "` + now.AddDate(1, 0, 0).Format(time.DateOnly) + `"},
  "ReceiverResponsibilities": ["Co-Sell Facilitator"]
}`
}

// leadSample is a Lead context the form offers.
const leadSample = `{
  "Customer": {"CompanyName": "Example Lead Co", "Industry": "Software and Internet", "WebsiteUrl": "https://lead.example.com", "Address": {"CountryCode": "US"}},
  "Interactions": [{"SourceType": "AWS", "SourceId": "cosell", "SourceName": "cosell console", "CustomerAction": "Requested contact",
    "BusinessProblem": "The customer asked AWS for a partner to help it modernise.",
    "Contact": {"BusinessTitle": "Decision maker", "Email": "contact@example.com", "FirstName": "Pat", "LastName": "Customer"}}]
}`
