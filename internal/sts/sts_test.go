package sts_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/cosell/cosell/coselltest"
)

// The Go SDK's STS client, pointed at cosell, learns the account of the
// keys it signs with.
func TestGetCallerIdentityWithTheGoSDK(t *testing.T) {
	t.Parallel()
	srv := coselltest.Start(t)
	for _, a := range srv.Accounts {
		out, err := sts.NewFromConfig(srv.ConfigFor(a.ID)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.Account) != a.ID || aws.ToString(out.Arn) != "arn:aws:iam::"+a.ID+":root" || aws.ToString(out.UserId) != a.ID {
			t.Errorf("account %s: got %s %s %s", a.ID, aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId))
		}
	}

	cfg := srv.Config()
	cfg.Credentials = credentials.NewStaticCredentialsProvider("nobody", "nothing", "")
	cfg.RetryMaxAttempts = 1
	_, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidClientTokenId" || apiErr.ErrorMessage() != "The security token included in the request is invalid." {
		t.Fatalf("unknown key: %v, want InvalidClientTokenId", err)
	}
}

// errorResponse is STS's XML error.
type errorResponse struct {
	Error struct {
		Type, Code, Message string
	}
	RequestID string `xml:"RequestId"`
}

// Requests the SDK never sends get STS's errors, in STS's XML.
func TestBadRequests(t *testing.T) {
	t.Parallel()
	srv := coselltest.Start(t)
	cases := []struct {
		method, query, body string
		status              int
		code, message       string
	}{
		{"POST", "", "Version=2011-06-15", 400, "MissingAction", "Missing Action"},
		{"POST", "", "Action=GetCallerIdentity&Version=2010-01-01", 400, "InvalidAction", "Could not find operation GetCallerIdentity for version 2010-01-01"},
		{"POST", "", "Action=GetCallerIdentity", 400, "InvalidAction", "Could not find operation GetCallerIdentity for version "},
		{"POST", "", "Action=DescribeEverything&Version=2011-06-15", 400, "InvalidAction", "Could not find operation DescribeEverything for version 2011-06-15"},
		{"POST", "", "Action=AssumeRole&Version=2011-06-15", 400, "InvalidAction", "cosell serves only GetCallerIdentity of STS, not AssumeRole."},
		{"POST", "", "Action=%zz", 400, "MalformedQueryString", ""},
		{"PUT", "", "Action=GetCallerIdentity&Version=2011-06-15", 400, "InvalidAction", ""},
		{"GET", "Action=GetCallerIdentity&Version=2011-06-15", "", 200, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.query+tc.body, func(t *testing.T) {
			status, body := signedRequest(t, srv, tc.method, tc.query, tc.body, "test")
			if status != tc.status {
				t.Fatalf("HTTP %d, want %d: %s", status, tc.status, body)
			}
			if tc.status == 200 {
				if !bytes.Contains(body, []byte("<Account>111111111111</Account>")) {
					t.Fatalf("answer %s", body)
				}
				return
			}
			var e errorResponse
			if err := xml.Unmarshal(body, &e); err != nil {
				t.Fatalf("not STS's XML error: %v\n%s", err, body)
			}
			if e.Error.Type != "Sender" || e.Error.Code != tc.code || !strings.HasPrefix(e.Error.Message, tc.message) || e.RequestID == "" {
				t.Fatalf("error %+v, want %s %q", e, tc.code, tc.message)
			}
		})
	}

	// A signature by a key with the wrong secret.
	status, body := signedRequest(t, srv, "POST", "", "Action=GetCallerIdentity&Version=2011-06-15", "wrong-secret")
	if status != http.StatusForbidden || !bytes.Contains(body, []byte("<Code>SignatureDoesNotMatch</Code>")) {
		t.Fatalf("bad signature: HTTP %d %s", status, body)
	}
}

// signedRequest sends an STS request signed by account 111111111111's key
// with secret, and returns the status and body.
func signedRequest(t *testing.T, srv *coselltest.Server, method, query, body, secret string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+"/?"+query, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type %q", ct)
	}
	return res.StatusCode, answer
}
