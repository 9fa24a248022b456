// Package account is the AWS Partner Central Account API (2025-04-04) as Go
// types and a run-time schema, generated from the committed model.
package account

//go:generate go run ../../internal/codegen/cmd/botomodel -spec ../../../shared/spec/botocore -service partnercentral-account -out ../model
//go:generate go run ../../internal/codegen/cmd/apigen -model ../model/partnercentral-account-2025-04-04.json -pkg account
