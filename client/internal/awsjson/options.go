package awsjson

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Options configure a Client. New fills every field from aws.Config and
// the defaults before the caller's functions run, so they see (and may
// change) the values the client would use.
type Options struct {
	// BaseEndpoint is the URL requests go to. By default: the service's
	// own setting in the shared configuration
	// (AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING, or the services section of
	// the profile), else aws.Config.BaseEndpoint (AWS_ENDPOINT_URL), else
	// https://<service>.<Region>.api.aws.
	BaseEndpoint string
	// Region signs the requests and names the default endpoint; from
	// aws.Config, else us-east-1, the only region Partner Central serves.
	Region string
	// Credentials sign the requests; from aws.Config.
	Credentials aws.CredentialsProvider
	// HTTPClient sends the requests; from aws.Config, else http.DefaultClient.
	HTTPClient aws.HTTPClient
	// RateLimit spaces requests to the documented per-account quotas.
	RateLimit RateLimit
	// Retry says how failed attempts are retried.
	Retry Retry
}

// RateLimit is the client-side rate limiting: each class of operations
// shares one token bucket, as they share one quota on the server.
type RateLimit struct {
	// Disabled turns rate limiting off, against a cosell without quotas say.
	Disabled bool
	// Classes are the quota classes; New fills in the documented ones.
	// Operations in no class are not limited.
	Classes []RateClass
}

// RateClass is a group of operations sharing one request rate.
type RateClass struct {
	Name       string
	PerSecond  float64 // the sustained rate
	Burst      int     // requests that may go at once; at least 1
	Operations []string
}

// Retry is the retry policy: exponential backoff with full jitter, on
// throttling, server errors and connection errors.
type Retry struct {
	// MaxAttempts counts the first attempt too; 1 disables retries.
	// Default 5, or aws.Config.RetryMaxAttempts (AWS_MAX_ATTEMPTS) when set.
	MaxAttempts int
	// BaseDelay is the backoff ceiling of the first retry, doubled for
	// each one after it up to MaxDelay. Defaults 100ms and 20s.
	BaseDelay time.Duration
	MaxDelay  time.Duration
}

// Defaults of Options.
const (
	DefaultRegion      = "us-east-1"
	DefaultMaxAttempts = 5
	DefaultBaseDelay   = 100 * time.Millisecond
	DefaultMaxDelay    = 20 * time.Second
)

func defaultRetry(cfg aws.Config) Retry {
	r := Retry{MaxAttempts: DefaultMaxAttempts, BaseDelay: DefaultBaseDelay, MaxDelay: DefaultMaxDelay}
	if cfg.RetryMaxAttempts > 0 {
		r.MaxAttempts = cfg.RetryMaxAttempts
	}
	return r
}
