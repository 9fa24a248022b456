// Package revenueclient calls the AWS Partner Central Revenue Measurement
// API (PartnerCentralRevenueMeasurement, 2022-07-26), on AWS or on cosell,
// with the request and response types of package api/revenue.
//
// The API speaks smithy-rpc-v2-cbor: each call is a POST to
// /service/PartnerCentralRevenueMeasurement/operation/<Operation> with a
// CBOR body, encoded from the request type and decoded into the response
// type by the model's shapes (api/revenue.Service), signed with SigV4 for
// "partnercentral".
//
// A Client takes its credentials, region and endpoint from an aws.Config,
// usually config.LoadDefaultConfig's. To talk to cosell instead of AWS, set
// AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_PARTNERCENTRAL_REVENUE_MEASUREMENT,
// or Options.BaseEndpoint).
//
// Every call waits for a client-side rate limiter set to the quotas AWS
// documents (50 reads, 10 lists, 2 writes and 1 allocation task per second
// per account; Options.RateLimit changes or disables it) and is retried
// with exponential backoff and full jitter on ThrottlingException,
// InternalServerException, HTTP 5xx and connection errors (Options.Retry).
// Operations with a ClientToken get a fresh one when it is empty, so their
// retries are idempotent.
//
// Errors are *OperationError wrapping either a modelled exception
// (*ValidationException, *ConflictException, ...) or an *APIError; find
// them with errors.As. Each carries the response's request id.
//
// The package is named revenueclient so it can be imported beside
// api/revenue without renaming either.
package revenueclient

//go:generate go run ../../internal/codegen/cmd/clientgen -model ../../api/model/partnercentral-revenue-measurement-2022-07-26.json -pkg revenueclient -api github.com/cosell/cosell/api/revenue
