// Package bench is cosell's load driver: concurrent clients that send
// SigV4-signed requests (awsJson, and smithy-rpc-v2-cbor for one
// operation) to a server over loopback and measure throughput and latency
// per operation.
package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/fxamacker/cbor/v2"
)

// Signing facts of the Selling API, which the SDKs use.
const (
	SigningName   = "partnercentral-selling"
	SellingTarget = "AWSPartnerCentralSelling."
)

// Wire facts of the Revenue Measurement API (smithy-rpc-v2-cbor).
const (
	RevenueSigningName = "partnercentral"
	RevenuePath        = "service/PartnerCentralRevenueMeasurement/operation/"
)

// Client sends signed awsJson 1.0 requests to one endpoint, as the AWS SDKs
// do: POST /, X-Amz-Target, x-amz-json-1.0 body.
type Client struct {
	endpoint string
	region   string
	creds    aws.Credentials
	signer   *v4.Signer
	http     *http.Client
}

// NewClient returns a client for endpoint (e.g. "http://127.0.0.1:4577").
// conns is how many requests will be in flight at once: the client keeps
// that many connections alive so no request pays for a new one.
func NewClient(endpoint, region, accessKey, secretKey string, conns int) *Client {
	tr := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns, // the default (2) would close and reopen connections under load
		IdleConnTimeout:     time.Minute,
	}
	return &Client{
		endpoint: strings.TrimSuffix(endpoint, "/") + "/",
		region:   region,
		creds:    aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey},
		signer:   v4.NewSigner(),
		http:     &http.Client{Transport: tr, Timeout: 30 * time.Second},
	}
}

// Response is a completed exchange. ErrorType is the exception name of a
// non-2xx answer ("ConflictException"), from its __type.
type Response struct {
	Status    int
	Body      []byte
	ErrorType string
	Latency   time.Duration // from just before sending to the last body byte
}

// OK reports a 2xx answer.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Do sends body to target ("AWSPartnerCentralSelling.GetOpportunity"). An
// error means no HTTP answer arrived; an answer of any status is a Response.
func (c *Client) Do(ctx context.Context, target string, body []byte) (*Response, error) {
	return c.do(ctx, "", SigningName, body, map[string]string{"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target}, errorType)
}

// DoCBOR sends a CBOR body to a Revenue Measurement operation, as the SDKs
// speak smithy-rpc-v2-cbor.
func (c *Client) DoCBOR(ctx context.Context, op string, body []byte) (*Response, error) {
	return c.do(ctx, RevenuePath+op, RevenueSigningName, body,
		map[string]string{"Content-Type": "application/cbor", "Accept": "application/cbor", "Smithy-Protocol": "rpc-v2-cbor"}, cborErrorType)
}

func (c *Client) do(ctx context.Context, path, signingName string, body []byte, headers map[string]string, errType func([]byte) string) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	sum := sha256.Sum256(body)
	start := time.Now()
	// Signing is timed: every real client signs every request.
	if err := c.signer.SignHTTP(ctx, c.creds, req, hex.EncodeToString(sum[:]), signingName, c.region, start); err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	r := &Response{Status: resp.StatusCode, Body: out, Latency: time.Since(start)}
	if !r.OK() {
		r.ErrorType = errType(out)
	}
	return r, nil
}

// Call sends in as op's request and decodes a 2xx answer into out (if not
// nil); any other answer is an error naming the exception.
func (c *Client) Call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	r, err := c.Do(ctx, SellingTarget+op, body)
	if err != nil {
		return err
	}
	if !r.OK() {
		return fmt.Errorf("%s: HTTP %d %s: %s", op, r.Status, r.ErrorType, r.Body)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(r.Body, out)
}

// errorType is the shape name of an awsJson error body's __type
// ("com.amazonaws.partnercentralselling#ConflictException" or
// "ConflictException:http://..."), or "" when there is none.
func errorType(body []byte) string {
	var e struct {
		Type string `json:"__type"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return shapeName(e.Type)
}

// cborErrorType is errorType for an rpcv2Cbor error body.
func cborErrorType(body []byte) string {
	var e struct {
		Type string `cbor:"__type"`
	}
	if cbor.Unmarshal(body, &e) != nil {
		return ""
	}
	return shapeName(e.Type)
}

func shapeName(t string) string {
	if i := strings.LastIndexByte(t, '#'); i >= 0 {
		t = t[i+1:]
	}
	t, _, _ = strings.Cut(t, ":")
	return t
}
