package console

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/benefits"
)

// The Benefits API's AWS side by clicking: an account's benefit
// applications (review one: action required with reason codes, approve
// with allocations, reject) and its allocations (make one inactive as
// expired, or fulfilled). Reads are the domain's own List operations as
// the account; every decision goes through admin.BenefitsSide, the code
// behind /_cosell/aws/benefits/, with the same JSON body a script sends.

func (c *console) benefitsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"benefits", c.benefitsPage)
	mux.HandleFunc("POST "+Prefix+"benefits/review", c.reviewApplication)
	mux.HandleFunc("POST "+Prefix+"benefits/allocation", c.changeAllocation)
}

type benefitsData struct {
	Applications []shownApplication
	Allocations  []shownAllocation
}

// shownApplication and shownAllocation carry their status as text for the
// template to compare.
type shownApplication struct {
	api.BenefitApplicationSummary
	Status string
}

type shownAllocation struct {
	api.BenefitAllocationSummary
	Status string
}

// listedBenefits bounds the applications and allocations the page reads.
const listedBenefits = 200

func (c *console) benefitsPage(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Benefits == nil || c.cfg.BenefitsSide == nil {
		c.render(w, r, http.StatusNotFound, "notfound", page{Title: "Benefits", Nav: "benefits", Error: "this server does not serve the Benefits API"})
		return
	}
	s := c.scopeOf(r)
	d, err := c.benefitsData(r.Context(), s)
	if err != nil {
		c.failed(w, r, http.StatusBadRequest, err)
		return
	}
	c.render(w, r, http.StatusOK, "benefits", page{Title: "Benefits", Nav: "benefits", Scope: s, Data: d})
}

func (c *console) benefitsData(ctx context.Context, s scope) (*benefitsData, error) {
	d := &benefitsData{}
	apps := &api.ListBenefitApplicationsInput{Catalog: s.Catalog}
	for len(d.Applications) < listedBenefits {
		out, err := c.cfg.Benefits.ListBenefitApplications(ctx, s.Account, apps)
		if err != nil {
			return nil, err
		}
		for _, a := range out.BenefitApplicationSummaries {
			d.Applications = append(d.Applications, shownApplication{a, string(deref(a.Status))})
		}
		if out.NextToken == nil {
			break
		}
		apps.NextToken = out.NextToken
	}
	allocs := &api.ListBenefitAllocationsInput{Catalog: s.Catalog}
	for len(d.Allocations) < listedBenefits {
		out, err := c.cfg.Benefits.ListBenefitAllocations(ctx, s.Account, allocs)
		if err != nil {
			return nil, err
		}
		for _, a := range out.BenefitAllocationSummaries {
			d.Allocations = append(d.Allocations, shownAllocation{a, string(deref(a.Status))})
		}
		if out.NextToken == nil {
			break
		}
		allocs.NextToken = out.NextToken
	}
	return d, nil
}

// reviewApplication sends AWS's decision as the admin API's review route
// takes it.
func (c *console) reviewApplication(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	review := benefits.Review{Decision: f.Get("decision"), Reason: strings.TrimSpace(f.Get("reason"))}
	for _, code := range strings.Split(f.Get("reasonCodes"), ",") {
		if code = strings.TrimSpace(code); code != "" {
			review.ReasonCodes = append(review.ReasonCodes, code)
		}
	}
	if grants := strings.TrimSpace(f.Get("allocations")); grants != "" && review.Decision == benefits.DecisionApprove {
		if err := json.Unmarshal([]byte(grants), &review.Allocations); err != nil {
			done(w, r, back(r), "", errors.New("allocations: want a JSON array of grants, as the admin API's review body has them: "+err.Error()))
			return
		}
	}
	body, err := json.Marshal(review)
	if err == nil {
		_, err = c.cfg.BenefitsSide.ReviewApplication(r.Context(), f.Get("catalog"), f.Get("account"), f.Get("id"), body)
	}
	done(w, r, back(r), "AWS decided "+review.Decision+" on "+f.Get("id"), err)
}

// changeAllocation makes an allocation INACTIVE (expired) or FULFILLED.
func (c *console) changeAllocation(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	change := benefits.AllocationChange{Status: api.BenefitAllocationStatus(f.Get("status")), Reason: strings.TrimSpace(f.Get("reason"))}
	body, err := json.Marshal(change)
	if err == nil {
		_, err = c.cfg.BenefitsSide.ChangeAllocation(r.Context(), f.Get("catalog"), f.Get("account"), f.Get("id"), body)
	}
	done(w, r, back(r), "allocation "+f.Get("id")+" is "+string(change.Status), err)
}
