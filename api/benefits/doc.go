// Package benefits is the AWS Partner Central Benefits API (2018-05-10) as Go types and a run-time
// schema, generated from the committed model.
package benefits

//go:generate go run ../../internal/codegen/cmd/botomodel -spec ../../../shared/spec/botocore -service partnercentral-benefits -out ../model
//go:generate go run ../../internal/codegen/cmd/apigen -model ../model/partnercentral-benefits-2018-05-10.json -pkg benefits
