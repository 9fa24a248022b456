package awsjson

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/cborjson"
	"github.com/cosell/cosell/internal/smithy"
)

// Media types of the two protocols.
const (
	contentType     = "application/x-amz-json-1.0"
	contentTypeCBOR = "application/cbor"
)

// marshalInput encodes a request: JSON, or for rpcv2Cbor that JSON as CBOR
// by the operation's input shape.
func (c *Client) marshalInput(operation string, in any) ([]byte, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	if c.svc.cbor() {
		if body, err = cborjson.Encode(c.operation(operation).Input, body); err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
	}
	return body, nil
}

// operation is an operation of an rpcv2Cbor service's schema; the
// generated code names only operations of the model.
func (c *Client) operation(name string) *smithy.Operation {
	if op := c.svc.Schema.Operations[name]; op != nil {
		return op
	}
	return &smithy.Operation{Name: name}
}

// send makes one attempt: build, sign, exchange, decode.
func (c *Client) send(ctx context.Context, operation string, body []byte, out any) error {
	req, err := c.newRequest(ctx, operation, body)
	if err != nil {
		return err
	}
	res, err := c.opts.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &connError{err}
	}
	defer res.Body.Close()
	resBody, err := io.ReadAll(res.Body)
	if err != nil {
		return &connError{fmt.Errorf("read response: %w", err)}
	}
	if c.svc.cbor() && len(resBody) > 0 {
		// From here on the answer is JSON, whichever protocol carried it.
		var shape *smithy.Shape
		if res.StatusCode >= 200 && res.StatusCode <= 299 {
			if shape = c.operation(operation).Output; shape == nil {
				return nil
			}
		}
		if resBody, err = cborjson.Decode(shape, resBody, cborjson.TextTimestamps); err != nil {
			return fmt.Errorf("decode response (request id %s): %w", requestID(res), err)
		}
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return decodeError(c.svc, res, resBody)
	}
	if out == nil || len(bytes.TrimSpace(resBody)) == 0 {
		return nil
	}
	if err := json.Unmarshal(resBody, out); err != nil {
		return fmt.Errorf("decode response (request id %s): %w", requestID(res), err)
	}
	return nil
}

// newRequest builds the POST of an operation (awsJson: POST / with
// X-Amz-Target; rpcv2Cbor: POST /service/<Service>/operation/<Operation>)
// and signs it with SigV4.
func (c *Client) newRequest(ctx context.Context, operation string, body []byte) (*http.Request, error) {
	u, err := url.Parse(c.opts.BaseEndpoint)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q: %w", c.opts.BaseEndpoint, err)
	}
	if c.svc.cbor() {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/service/" + c.svc.Name + "/operation/" + operation
	}
	if u.Path == "" {
		u.Path = "/"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if c.svc.cbor() {
		req.Header.Set("Smithy-Protocol", "rpc-v2-cbor")
		req.Header.Set("Accept", contentTypeCBOR)
		req.Header.Set("Content-Type", contentTypeCBOR)
	} else {
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("X-Amz-Target", c.svc.Name+"."+operation)
	}
	if c.opts.Credentials == nil {
		return nil, fmt.Errorf("no credentials: aws.Config has none and Options.Credentials is unset")
	}
	creds, err := c.opts.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("retrieve credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	err = c.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), c.svc.SigningName, c.opts.Region, time.Now())
	if err != nil {
		return nil, fmt.Errorf("sign request: %w", err)
	}
	return req, nil
}
