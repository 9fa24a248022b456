// Package sellingclient calls the AWS Partner Central Selling API
// (AWSPartnerCentralSelling, 2022-07-26), on AWS or on cosell, with the
// request and response types of package api/selling.
//
// A Client takes its credentials, region and endpoint from an aws.Config,
// usually config.LoadDefaultConfig's: environment, shared profiles, SSO,
// roles. To talk to cosell instead of AWS, set AWS_ENDPOINT_URL (or
// AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING, or Options.BaseEndpoint).
//
// Every call waits for a client-side rate limiter set to the quotas AWS
// documents (10 reads and 1 write per second per account for the
// opportunity operations; Options.RateLimit changes or disables it), and is
// retried with exponential backoff and full jitter on ThrottlingException,
// InternalServerException, HTTP 5xx and connection errors (Options.Retry).
// Each retry is signed afresh. Operations with a ClientToken get a fresh
// one when it is empty, so their retries are idempotent; a retried
// UpdateOpportunity whose first attempt did land fails with a
// ConflictException, its LastModifiedDate being stale.
//
// Errors are *OperationError wrapping either a modelled exception
// (*ValidationException, *ConflictException, ...) or an *APIError; find
// them with errors.As. Each carries the response's request id.
//
// The package is named sellingclient so it can be imported beside
// api/selling without renaming either.
package sellingclient

//go:generate go run ../../internal/codegen/cmd/clientgen -model ../../api/model/partnercentral-selling-2022-07-26.json -pkg sellingclient -api github.com/cosell/cosell/api/selling
