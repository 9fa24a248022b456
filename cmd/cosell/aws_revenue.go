package main

import (
	"flag"
	"net/http"
	"net/url"
)

// `cosell aws revenue ...`: Revenue Measurement's AWS side
// (/_cosell/aws/revenue/).

func revenueProductFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	account := fs.String("account", "", "the account that owns the product")
	catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	id := fs.String("id", "", "product id, prod- and 13 lowercase letters or digits; empty makes one up")
	code := fs.String("code", "", "product code; empty makes one up")
	name := fs.String("name", "", "product name")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account}); err != nil {
			return "", "", nil, err
		}
		return http.MethodPost, "/_cosell/aws/revenue/products",
			map[string]string{"account": *account, "catalog": *catalog, "id": *id, "code": *code, "name": *name}, nil
	}
}

func revenueProductsFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	account := fs.String("account", "", "the account whose products to list")
	catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account}); err != nil {
			return "", "", nil, err
		}
		return http.MethodGet, "/_cosell/aws/revenue/products/" + url.PathEscape(*catalog) + "/" + url.PathEscape(*account), nil, nil
	}
}

func revenueSettleFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	account := fs.String("account", "", "the account that owns the attribution")
	catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	attribution := fs.String("attribution", "", "the revenue attribution id (ra-...) or ARN")
	code := fs.String("error-code", "", "fail every record with this RevenueAttributionAllocationErrorCode (e.g. INTERNAL_ERROR); empty processes the task by the rules")
	message := fs.String("message", "", "the ErrorMessage with --error-code")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account, "attribution": *attribution}); err != nil {
			return "", "", nil, err
		}
		return http.MethodPost, "/_cosell/aws/revenue/tasks/settle", map[string]string{"account": *account, "catalog": *catalog,
			"attribution": *attribution, "errorCode": *code, "message": *message}, nil
	}
}
