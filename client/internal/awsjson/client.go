package awsjson

import (
	"context"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Client calls one service. It is safe for concurrent use; its rate
// limiters are shared by every call made through it.
type Client struct {
	svc      Service
	opts     Options
	signer   *v4.Signer
	limiters limiters
	// err is a configuration error found by New, returned by every call
	// (New itself cannot fail, like the SDK's NewFromConfig).
	err error
}

// New builds a client from an AWS configuration (usually
// config.LoadDefaultConfig's) and the caller's option functions.
func New(svc Service, cfg aws.Config, optFns ...func(*Options)) *Client {
	o := Options{
		BaseEndpoint: configuredEndpoint(cfg, svc.SDKID),
		Region:       cfg.Region,
		Credentials:  cfg.Credentials,
		HTTPClient:   cfg.HTTPClient,
		RateLimit:    RateLimit{Classes: DefaultRateClasses(svc)},
		Retry:        defaultRetry(cfg),
	}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.BaseEndpoint == "" {
		o.BaseEndpoint = defaultEndpoint(svc.EndpointPrefix, o.Region)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	if o.Credentials != nil && !aws.IsCredentialsProvider(o.Credentials, (*aws.CredentialsCache)(nil)) {
		o.Credentials = aws.NewCredentialsCache(o.Credentials)
	}
	if o.Retry.MaxAttempts < 1 {
		o.Retry.MaxAttempts = 1
	}
	c := &Client{svc: svc, opts: o, signer: v4.NewSigner()}
	c.limiters, c.err = newLimiters(o.RateLimit)
	return c
}

// Options returns a copy of the options the client resolved.
func (c *Client) Options() Options { return c.opts }

// Do calls an operation: in is marshalled as the request body, and the
// response body is unmarshalled into out (nil for a Unit output). Each
// attempt waits for the operation's rate limiter, is signed afresh, and
// is retried by the policy in Options.Retry. Every error is an
// *OperationError.
func (c *Client) Do(ctx context.Context, operation string, in, out any) error {
	attempts, err := c.do(ctx, operation, in, out)
	if err != nil {
		return &OperationError{Operation: operation, Attempts: attempts, Err: err}
	}
	return nil
}

func (c *Client) do(ctx context.Context, operation string, in, out any) (attempts int, err error) {
	if c.err != nil {
		return 0, c.err
	}
	body, err := c.marshalInput(operation, in)
	if err != nil {
		return 0, err
	}
	for attempts = 1; ; attempts++ {
		if err := c.limiters.wait(ctx, operation); err != nil {
			return attempts - 1, fmt.Errorf("rate limit: %w", err)
		}
		err = c.send(ctx, operation, body, out)
		if err == nil || attempts >= c.opts.Retry.MaxAttempts || !retryable(ctx, err) {
			return attempts, err
		}
		if err := sleep(ctx, c.opts.Retry.backoff(attempts)); err != nil {
			return attempts, err
		}
	}
}
