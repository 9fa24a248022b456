package admin

import (
	"context"
	"encoding/json"
	"net/http"
)

// The AWS side of Revenue Measurement, under /_cosell/aws/revenue/: AWS
// Marketplace's product list of each partner account, and the outcome of
// allocation tasks where the model leaves it to AWS.

// RevenueSide is what the Revenue Measurement AWS-side routes ask of the
// domain.
type RevenueSide interface {
	// AddProduct returns the product as added.
	AddProduct(ctx context.Context, r ProductRequest) (json.RawMessage, error)
	Products(ctx context.Context, account, catalog string) (json.RawMessage, error)
	// SettleTask returns the task as GetRevenueAttributionAllocationsTask shows it.
	SettleTask(ctx context.Context, r SettleTaskRequest) (json.RawMessage, error)
}

// ProductRequest is the body of POST /_cosell/aws/revenue/products: a
// Marketplace product the account owns from now on. Id ("prod-" and 13
// lowercase letters or digits), code and name are made up when omitted.
type ProductRequest struct {
	Account string `json:"account"`
	Catalog string `json:"catalog"`
	Id      string `json:"id,omitempty"`
	Code    string `json:"code,omitempty"`
	Name    string `json:"name,omitempty"`
}

// SettleTaskRequest is the body of POST /_cosell/aws/revenue/tasks/settle:
// the attribution's in-progress allocation task is processed now, and
// fails every record with ErrorCode when one is given.
type SettleTaskRequest struct {
	Account     string `json:"account"`
	Catalog     string `json:"catalog"`
	Attribution string `json:"attribution"` // id or ARN
	ErrorCode   string `json:"errorCode,omitempty"`
	Message     string `json:"message,omitempty"`
}

func revenueRoutes(mux *http.ServeMux, rs RevenueSide) {
	p := Prefix + "aws/revenue/"
	mux.HandleFunc("POST "+p+"products", func(w http.ResponseWriter, r *http.Request) {
		var in ProductRequest
		if !readBody(w, r, &in) {
			return
		}
		if in.Account == "" || in.Catalog == "" {
			writeError(w, http.StatusBadRequest, `give "account" and "catalog" (AWS or Sandbox)`)
			return
		}
		out, err := rs.AddProduct(r.Context(), in)
		answer(w, &out, err)
	})
	mux.HandleFunc("GET "+p+"products/{catalog}/{account}", func(w http.ResponseWriter, r *http.Request) {
		out, err := rs.Products(r.Context(), r.PathValue("account"), r.PathValue("catalog"))
		answer(w, &out, err)
	})
	mux.HandleFunc("POST "+p+"tasks/settle", func(w http.ResponseWriter, r *http.Request) {
		var in SettleTaskRequest
		if !readBody(w, r, &in) {
			return
		}
		if in.Account == "" || in.Catalog == "" || in.Attribution == "" {
			writeError(w, http.StatusBadRequest, `give "account", "catalog" and "attribution"`)
			return
		}
		out, err := rs.SettleTask(r.Context(), in)
		answer(w, &out, err)
	})
}
