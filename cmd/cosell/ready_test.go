package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// --ready-json prints one JSON line a harness can start from: the keys in
// it sign requests, the admin token it made up opens the admin API.
func TestServeReadyJSON(t *testing.T) {
	lines := serveLines(t, func(string) bool { return true }, "--addr", "127.0.0.1:0", "--data", ":memory:", "--ready-json")
	var r ready
	dec := json.NewDecoder(strings.NewReader(lines[0]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("first line %q: %v", lines[0], err)
	}
	if !strings.HasPrefix(r.Endpoint, "http://127.0.0.1:") || r.Port == 0 || !strings.HasSuffix(r.Endpoint, ":"+strconv.Itoa(r.Port)) || r.Host != "127.0.0.1" ||
		r.Region != "us-east-1" || len(r.Accounts) != 2 || len(r.AdminToken) != 32 || r.AdminURL != r.Endpoint+"/_cosell/" || r.ConsoleURL != r.Endpoint+"/console/" || len(r.ACEBuckets) != 4 {
		t.Fatalf("ready line %+v", r)
	}
	second := r.Accounts[1]
	if second.AccountID != "222222222222" || second.SQSQueueURL != r.Endpoint+"/222222222222/cosell-partnercentral-events" {
		t.Fatalf("account %+v", second)
	}
	cfg := aws.Config{Region: r.Region, BaseEndpoint: aws.String(r.Endpoint), Credentials: credentials.NewStaticCredentialsProvider(second.AccessKeyID, second.SecretAccessKey, "")}
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Account) != second.AccountID {
		t.Fatalf("GetCallerIdentity with the line's keys: %v %v", who, err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, r.AdminURL+"clock", nil)
	req.Header.Set("Authorization", "Bearer "+r.AdminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("admin API with the line's token: HTTP %d", res.StatusCode)
	}
}

// A token set on the command line is the one the line names.
func TestServeReadyJSONKeepsTheAdminToken(t *testing.T) {
	lines := serveLines(t, func(string) bool { return true }, "--addr", "127.0.0.1:0", "--data", ":memory:", "--ready-json", "--admin-token", "mine")
	var r ready
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil || r.AdminToken != "mine" {
		t.Fatalf("ready line %q (%v)", lines[0], err)
	}
}
