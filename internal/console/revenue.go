package console

import (
	"context"
	"net/http"
	"strings"

	api "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/revenue"
)

// Revenue Measurement by clicking: the account's AWS Marketplace products
// (AWS's part of the API: partners cannot add them) and its revenue
// attributions with their latest allocation task. Adding a product and
// settling a task go through admin.RevenueSide, the code behind
// /_cosell/aws/revenue/; the listings are the domain's own operations as
// the account calls them.

func (c *console) revenueRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"revenue", c.revenuePage)
	mux.HandleFunc("POST "+Prefix+"revenue/product", c.addProduct)
	mux.HandleFunc("POST "+Prefix+"revenue/settle", c.settleTask)
}

// listedAttributions bounds the attributions the page reads, each with one
// more read for its task.
const listedAttributions = 100

// shownAttribution is an attribution and its latest task, if any.
type shownAttribution struct {
	api.AttributionSummary
	Task *api.GetRevenueAttributionAllocationsTaskOutput
}

type revenueData struct {
	Products     []revenue.Product
	Attributions []shownAttribution
	ErrorCodes   []api.RevenueAttributionAllocationErrorCode
}

func (c *console) revenuePage(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Revenue == nil || c.cfg.RevenueSide == nil {
		c.render(w, r, http.StatusNotFound, "notfound", page{Title: "Revenue", Nav: "revenue", Error: "this server does not serve the Revenue Measurement API"})
		return
	}
	s := c.scopeOf(r)
	d, err := c.revenueData(r.Context(), s)
	if err != nil {
		c.failed(w, r, http.StatusBadRequest, err)
		return
	}
	c.render(w, r, http.StatusOK, "revenue", page{Title: "Revenue Measurement", Nav: "revenue", Scope: s, Data: d})
}

func (c *console) revenueData(ctx context.Context, s scope) (*revenueData, error) {
	catalog := api.CatalogName(s.Catalog)
	d := &revenueData{ErrorCodes: api.RevenueAttributionAllocationErrorCodeInternalError.Values()}
	var err error
	if d.Products, err = c.cfg.Revenue.Products(ctx, s.Account, catalog); err != nil {
		return nil, err
	}
	in := &api.ListRevenueAttributionsInput{Catalog: catalog}
	for len(d.Attributions) < listedAttributions {
		out, err := c.cfg.Revenue.ListRevenueAttributions(ctx, s.Account, in)
		if err != nil {
			return nil, err
		}
		for _, a := range out.RevenueAttributionSummaries {
			task, err := c.cfg.Revenue.GetRevenueAttributionAllocationsTask(ctx, s.Account,
				&api.GetRevenueAttributionAllocationsTaskInput{Catalog: catalog, RevenueAttributionIdentifier: deref(a.Id)})
			if e, ok := apierr.As(err); ok && e.Kind == apierr.KindNotFound {
				err = nil // no task started yet
			}
			if err != nil {
				return nil, err
			}
			d.Attributions = append(d.Attributions, shownAttribution{AttributionSummary: a, Task: task})
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	return d, nil
}

func (c *console) addProduct(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	req := admin.ProductRequest{Account: f.Get("account"), Catalog: f.Get("catalog"),
		Id: strings.TrimSpace(f.Get("id")), Code: strings.TrimSpace(f.Get("code")), Name: strings.TrimSpace(f.Get("name"))}
	_, err := c.cfg.RevenueSide.AddProduct(r.Context(), req)
	done(w, r, back(r), "AWS Marketplace lists the product for "+req.Account, err)
}

func (c *console) settleTask(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	req := admin.SettleTaskRequest{Account: f.Get("account"), Catalog: f.Get("catalog"), Attribution: f.Get("attribution"),
		ErrorCode: f.Get("errorCode"), Message: strings.TrimSpace(f.Get("message"))}
	_, err := c.cfg.RevenueSide.SettleTask(r.Context(), req)
	done(w, r, back(r), "AWS settled the allocation task of "+req.Attribution, err)
}
