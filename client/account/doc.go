// Package accountclient calls the AWS Partner Central Account API
// (PartnerCentralAccount, 2025-04-04), on AWS or on cosell, with the
// request and response types of package api/account.
//
// A Client takes its credentials, region and endpoint from an aws.Config,
// usually config.LoadDefaultConfig's. To talk to cosell instead of AWS, set
// AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_PARTNERCENTRAL_ACCOUNT, or
// Options.BaseEndpoint).
//
// AWS documents no request-rate quota for the Account API, so no call is
// rate limited unless Options.RateLimit says so. Calls are retried with
// exponential backoff and full jitter on ThrottlingException,
// InternalServerException, HTTP 5xx and connection errors (Options.Retry),
// each retry signed afresh. Operations with a ClientToken get a fresh one
// when it is empty, so their retries are idempotent; the others (Put...,
// Update..., SendEmailVerificationCode, TagResource) may apply twice when
// an attempt that reached the server lost its response and was retried.
//
// Errors are *OperationError wrapping either a modelled exception
// (*ValidationException, *ConflictException, ...) or an *APIError; find
// them with errors.As. Each carries the response's request id.
//
// The package is named accountclient so it can be imported beside
// api/account without renaming either.
package accountclient

//go:generate go run ../../internal/codegen/cmd/clientgen -model ../../api/model/partnercentral-account-2025-04-04.json -pkg accountclient -api github.com/cosell/cosell/api/account
