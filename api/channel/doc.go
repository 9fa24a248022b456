// Package channel is the AWS Partner Central Channel API (2024-03-18) as Go types and a run-time
// schema, generated from the committed model.
package channel

//go:generate go run ../../internal/codegen/cmd/botomodel -spec ../../../shared/spec/botocore -service partnercentral-channel -out ../model
//go:generate go run ../../internal/codegen/cmd/apigen -model ../model/partnercentral-channel-2024-03-18.json -pkg channel
