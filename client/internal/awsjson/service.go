// Package awsjson is the service-independent core of cosell's Partner
// Central clients: the awsJson1_0 protocol (and smithy-rpc-v2-cbor, for
// services whose model names it), SigV4 signing, endpoint resolution,
// client-side rate limiting, retries and error decoding. The generated
// packages under client/ describe their service with a Service and call
// Client.Do once per operation.
package awsjson

import (
	"github.com/google/uuid"

	"github.com/cosell/cosell/internal/smithy"
)

// Service describes one Partner Central API, as its Smithy model does.
type Service struct {
	// Name is the Smithy service name, the X-Amz-Target prefix
	// ("AWSPartnerCentralSelling").
	Name string
	// SigningName is the SigV4 service name ("partnercentral-selling").
	SigningName string
	// SDKID is the model's sdkId ("PartnerCentral Selling"); the SDKs'
	// shared configuration derives the service-specific endpoint setting
	// (AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING) from it.
	SDKID string
	// EndpointPrefix is the host prefix of the default endpoint.
	EndpointPrefix string
	// Operations are the names of every operation of the service.
	Operations []string
	// DecodeError turns a modelled exception into its typed error; it
	// returns nil for a code the service does not model.
	DecodeError func(meta ErrorMetadata, body []byte) error
	// Schema is the service's run-time model, set for smithy-rpc-v2-cbor
	// services: requests are encoded and answers decoded by its shapes.
	// nil speaks awsJson1_0.
	Schema *smithy.Service
}

// cbor reports whether the service speaks smithy-rpc-v2-cbor.
func (s Service) cbor() bool { return s.Schema != nil && s.Schema.Protocol == smithy.RPCv2CBOR }

// NewClientToken returns a fresh idempotency token, for a request whose
// caller left its ClientToken empty: the token is then fixed before the
// first attempt, so every retry of the request carries the same one.
func NewClientToken() string { return uuid.NewString() }
