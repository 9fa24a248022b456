// Package revenue is the AWS Partner Central Revenue Measurement API (2022-07-26) as Go types and a run-time
// schema, generated from the committed model.
package revenue

//go:generate go run ../../internal/codegen/cmd/botomodel -spec ../../../shared/spec/botocore -service partnercentral-revenue-measurement -out ../model
//go:generate go run ../../internal/codegen/cmd/apigen -model ../model/partnercentral-revenue-measurement-2022-07-26.json -pkg revenue
