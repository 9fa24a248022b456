package main

import (
	"errors"
	"flag"
	"net/http"
	"net/url"
	"strings"
)

// `cosell aws benefits ...`: AWS's side of the Benefits API.

// benefitsPath is the admin path of a Benefits resource of an account.
func benefitsPath(kind, catalog, account, id string) string {
	return "/_cosell/aws/benefits/" + kind + "/" + url.PathEscape(catalog) + "/" + url.PathEscape(account) + "/" + url.PathEscape(id)
}

// benefitsResourceFlags are the flags naming one application or allocation.
func benefitsResourceFlags(fs *flag.FlagSet, what string) (catalog, account, id *string) {
	catalog = fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	account = fs.String("account", "", "the partner account that owns the "+what)
	id = fs.String(what, "", "the "+what+" id or ARN")
	return
}

func benefitsReviewFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	catalog, account, id := benefitsResourceFlags(fs, "application")
	decision := fs.String("decision", "", "ACTION_REQUIRED, STAGE, APPROVED or REJECTED")
	stage := fs.String("stage", "", "the review stage after the decision, e.g. TECH_REVIEW (required for STAGE)")
	reason := fs.String("reason", "", "StatusReason the partner sees")
	reasonCode := fs.String("reason-code", "", "StatusReasonCode, e.g. \"Checklist Incomplete\"")
	reasonCodes := fs.String("reason-codes", "", "StatusReasonCodes, comma-separated (at most 5)")
	file := fs.String("allocations", "", "JSON file with the allocations an approval grants (a list; default: one per fulfillment type on the benefit's defaults); - reads stdin")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account, "application": *id, "decision": *decision}); err != nil {
			return "", "", nil, err
		}
		body := map[string]any{"decision": *decision, "stage": *stage, "reason": *reason, "reasonCode": *reasonCode}
		if *reasonCodes != "" {
			body["reasonCodes"] = strings.Split(*reasonCodes, ",")
		}
		if *file != "" {
			var grants []any
			if err := readJSONFile(*file, &grants); err != nil {
				return "", "", nil, err
			}
			body["allocations"] = grants
		}
		return http.MethodPost, benefitsPath("applications", *catalog, *account, *id) + "/review", body, nil
	}
}

func benefitsFileFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	catalog, account, id := benefitsResourceFlags(fs, "application")
	uri := fs.String("file-uri", "", "the file's FileURI, as the application lists it")
	status := fs.String("status", "SUCCEEDED", "SUCCEEDED or FAILED")
	reason := fs.String("reason", "", "FileStatusReason (FAILED)")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account, "application": *id, "file-uri": *uri}); err != nil {
			return "", "", nil, err
		}
		return http.MethodPost, benefitsPath("applications", *catalog, *account, *id) + "/files",
			map[string]string{"fileUri": *uri, "status": *status, "reason": *reason}, nil
	}
}

func benefitsAllocationFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	catalog, account, id := benefitsResourceFlags(fs, "allocation")
	status := fs.String("status", "", "ACTIVE (reactivate), INACTIVE or FULFILLED")
	reason := fs.String("reason", "", "StatusReason the partner sees")
	expires := fs.String("expires-at", "", "a new expiry, RFC 3339 (to reactivate an expired allocation)")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account, "allocation": *id, "status": *status}); err != nil {
			return "", "", nil, err
		}
		body := map[string]any{"status": *status, "reason": *reason}
		if *expires != "" {
			body["expiresAt"] = *expires
		}
		return http.MethodPost, benefitsPath("allocations", *catalog, *account, *id), body, nil
	}
}

func benefitsCatalogFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	file := fs.String("file", "", "JSON file with a benefit (name, description, programs, fulfillmentTypes, status, requestSchema, amendableFieldPaths, defaultAmount, validDays, accessDescription) to add; - reads stdin")
	id := fs.String("benefit", "", "with --file: the benefit to replace instead of adding one")
	return func() (string, string, any, error) {
		path := "/_cosell/aws/benefits/catalog/" + url.PathEscape(*catalog)
		if *file == "" {
			if *id != "" {
				return "", "", nil, errors.New("--benefit needs --file")
			}
			return http.MethodGet, path, nil, nil
		}
		var body map[string]any
		if err := readJSONFile(*file, &body); err != nil {
			return "", "", nil, err
		}
		if *id != "" {
			return http.MethodPut, path + "/" + url.PathEscape(*id), body, nil
		}
		return http.MethodPost, path, body, nil
	}
}
