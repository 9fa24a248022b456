package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/cosell/cosell/internal/ace"
)

const sandboxBucket = "ace-apn-1111111-beta-us-west-2"

// s3Client is the stock aws-sdk-go-v2 S3 client, pointed at the server.
func s3Client(s *Server, key, secret string) *s3.Client {
	return s3.New(s3.Options{
		Region: "us-west-2", BaseEndpoint: aws.String(s.URL()), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""),
	})
}

// waitForObject polls for the object the exchange writes, as a partner's
// integration polls its results folder.
func waitForObject(t *testing.T, c *s3.Client, bucket, key string) []byte {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: &bucket, Key: &key})
		if err == nil {
			defer out.Body.Close()
			body, err := io.ReadAll(out.Body)
			if err != nil {
				t.Fatal(err)
			}
			return body
		}
		var nsk *s3types.NoSuchKey
		if !errors.As(err, &nsk) {
			t.Fatalf("get %s: %v", key, err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never appeared", key)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func putInbound(t *testing.T, c *s3.Client, key string, body []byte) {
	t.Helper()
	_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(sandboxBucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ACL: s3types.ObjectCannedACLBucketOwnerFullControl})
	if err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

// AWS's own create sample, for this partner and with a close date ahead.
func sampleCreateFile(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("../ace/exchange/testdata/Opportunity-Create-Inbound-Sample.json")
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	file["spmsId"] = "1111111"
	rec := file["opportunities"].([]any)[0].(map[string]any)
	rec["targetCloseDate"] = time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	return []byte(mustJSON(t, file))
}

// The documented flow end to end with the stock Go S3 client: a file in
// opportunity-inbound/ becomes an opportunity the Selling API shows (with
// the same event an API create emits), its result lands in the results
// folder, and AWS's referral is exported to opportunity-outbound/ masked.
func TestServeACEExchange(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	partner := s3Client(s, "test", "test")

	putInbound(t, partner, "opportunity-inbound/deal_01312026235959.json", sampleCreateFile(t))
	var result ace.Result
	if err := json.Unmarshal(waitForObject(t, partner, sandboxBucket, "opportunity-inbound-processed-results/deal_01312026235959_result.json"), &result); err != nil {
		t.Fatal(err)
	}
	if result.Success != "ALL" || len(result.InboundApiResults) != 1 || result.InboundApiResults[0].ApnCrmUniqueIdentifier == nil {
		t.Fatalf("result %+v", result)
	}
	id := *result.InboundApiResults[0].ApnCrmUniqueIdentifier
	res, got := sellingCall(t, s, "GetOpportunity", `{"Catalog":"Sandbox","Identifier":"`+id+`"}`)
	if res.StatusCode != http.StatusOK || got["PartnerOpportunityIdentifier"] != "TestIdentifier" ||
		got["Customer"].(map[string]any)["Account"].(map[string]any)["CompanyName"] != "Test LLC" {
		t.Fatalf("GetOpportunity %s: %d %v", id, res.StatusCode, got)
	}
	if !eventLogHas(t, s, "Opportunity Created", id) {
		t.Errorf("no Opportunity Created event for %s", id)
	}

	// Folder permissions: no uploads into AWS's folders, no uploads without
	// the bucket-owner ACL, no access to another partner's bucket.
	for _, c := range []struct {
		client *s3.Client
		key    string
		acl    s3types.ObjectCannedACL
	}{
		{partner, "opportunity-outbound/x_01312026235959.json", s3types.ObjectCannedACLBucketOwnerFullControl},
		{partner, "opportunity-inbound/y_01312026235959.json", ""},
		{s3Client(s, "test2", "test2"), "opportunity-inbound/z_01312026235959.json", s3types.ObjectCannedACLBucketOwnerFullControl},
	} {
		_, err := c.client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(sandboxBucket), Key: aws.String(c.key),
			Body: strings.NewReader("{}"), ACL: c.acl})
		var apiErr smithy.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" {
			t.Errorf("put %s (acl %q): %v, want AccessDenied", c.key, c.acl, err)
		}
	}

	// Keys the HTTP mux would "clean" with a redirect reach S3 as they are.
	_, err := partner.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(sandboxBucket), Key: aws.String("opportunity-outbound/a//../b.json")})
	var nsk *s3types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("get of a key with // and ..: %v, want NoSuchKey", err)
	}

	// AWS refers an opportunity; the on-demand export writes it, masked.
	code, referred := awsCall(t, s, "referrals", `{"catalog":"Sandbox","account":"111111111111","opportunity":{
		"Customer":{"CompanyName":"Referred Corp","CountryCode":"US","Industry":"Retail","WebsiteUrl":"https://referred.example"},
		"Project":{"Title":"Referred project","BusinessProblem":"The customer wants to move its stores to AWS.","TargetCompletionDate":"`+
		time.Now().AddDate(1, 0, 0).Format(time.DateOnly)+`"}}}`)
	if code != http.StatusOK {
		t.Fatalf("refer: %d %v", code, referred)
	}
	code, exported := awsCall(t, s, "ace/export", `{"account":"111111111111","catalog":"Sandbox"}`)
	if code != http.StatusOK || exported["opportunities"] != float64(1) {
		t.Fatalf("export: %d %v", code, exported)
	}
	listed, err := partner.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(sandboxBucket), Prefix: aws.String(ace.OpportunityOutbound)})
	if err != nil || len(listed.Contents) != 1 {
		t.Fatalf("outbound folder: %v, %v", listed, err)
	}
	var out struct {
		Opportunities []map[string]any `json:"opportunities"`
	}
	if err := json.Unmarshal(waitForObject(t, partner, sandboxBucket, *listed.Contents[0].Key), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Opportunities) != 1 || out.Opportunities[0]["apnCrmUniqueIdentifier"] != referred["invitationId"] ||
		out.Opportunities[0]["customerCompanyName"] != "Accept To View" {
		t.Fatalf("outbound referral: %v (referral %v)", out.Opportunities, referred)
	}
	// An export for a partner or catalog without a bucket is the caller's mistake.
	for _, body := range []string{`{"account":"999999999999","catalog":"Sandbox"}`, `{"account":"111111111111","catalog":"Nowhere"}`} {
		if code, out := awsCall(t, s, "ace/export", body); code != http.StatusNotFound {
			t.Errorf("export %s: %d %v, want 404", body, code, out)
		}
	}
	// Nothing changed since: the next export writes nothing.
	if code, again := awsCall(t, s, "ace/export", `{"account":"111111111111","catalog":"Sandbox"}`); code != http.StatusOK || again["opportunities"] != float64(0) {
		t.Fatalf("second export: %d %v", code, again)
	}
}

// eventLogHas reports whether the admin event log holds an event of
// detailType whose detail names the opportunity id.
func eventLogHas(t *testing.T, s *Server, detailType, id string) bool {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL()+"/_cosell/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page struct {
		Events []struct {
			Event struct {
				DetailType string `json:"detail-type"`
				Detail     struct {
					Opportunity struct {
						Identifier string `json:"identifier"`
					} `json:"opportunity"`
				} `json:"detail"`
			} `json:"event"`
		} `json:"events"`
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Events {
		if e.Event.DetailType == detailType && e.Event.Detail.Opportunity.Identifier == id {
			return true
		}
	}
	return false
}
