package replicatest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cosell/cosell/internal/servertest"
	"github.com/cosell/cosell/internal/testwait"
)

// An ACE inbound file put through each replica is processed once, by the
// replica running the exchange: one result file and one opportunity each.
func TestReplicasProcessEachACEFileOnce(t *testing.T) {
	replicas := startReplicas(t, 3)
	const bucket = "ace-apn-1111111-beta-us-west-2"
	raw, err := os.ReadFile("../ace/exchange/testdata/Opportunity-Create-Inbound-Sample.json")
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"a_01312026235959", "b_01312026235959", "c_01312026235959"}
	for i, r := range replicas {
		var file map[string]any
		if err := json.Unmarshal(raw, &file); err != nil {
			t.Fatal(err)
		}
		file["spmsId"] = "1111111"
		rec := file["opportunities"].([]any)[0].(map[string]any)
		rec["targetCloseDate"] = time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
		rec["partnerCrmUniqueIdentifier"] = "replica-" + keys[i]
		body, err := json.Marshal(file)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s3Of(r).PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("opportunity-inbound/" + keys[i] + ".json"),
			Body: bytes.NewReader(body), ACL: s3types.ObjectCannedACLBucketOwnerFullControl})
		if err != nil {
			t.Fatal(err)
		}
	}
	results := func() []string {
		out, err := s3Of(replicas[0]).ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("opportunity-inbound-processed-results/")})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, o := range out.Contents {
			keys = append(keys, *o.Key)
		}
		return keys
	}
	testwait.Until(t, "three result files", func() bool { return len(results()) >= 3 })
	time.Sleep(3 * time.Second) // a second processing, were there one, would have written by now
	if got := results(); len(got) != 3 {
		t.Fatalf("result files %v, want one per inbound file", got)
	}
	var page struct {
		Events []struct {
			Event json.RawMessage `json:"event"`
		} `json:"events"`
	}
	if err := json.Unmarshal(replicas[2].Admin(http.MethodGet, "/_cosell/events?account=111111111111", ""), &page); err != nil {
		t.Fatal(err)
	}
	created := 0
	for _, e := range page.Events {
		if strings.Contains(string(e.Event), `"Opportunity Created"`) {
			created++
		}
	}
	if created != 3 {
		t.Fatalf("%d opportunities created from 3 files, want 3", created)
	}
}

func s3Of(s *servertest.Server) *s3.Client {
	return s3.New(s3.Options{
		Region: "us-west-2", BaseEndpoint: aws.String(s.URL()), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}
