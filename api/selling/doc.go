// Package selling is the AWS Partner Central Selling API (2022-07-26) as Go
// types and a run-time schema, generated from the committed model.
package selling

//go:generate go run ../../internal/codegen/cmd/botomodel -spec ../../../shared/spec/botocore -service partnercentral-selling -out ../model
//go:generate go run ../../internal/codegen/cmd/apigen -model ../model/partnercentral-selling-2022-07-26.json -pkg selling
