package s3bucket

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// awsCLI runs the AWS CLI on PATH against the fixture with account
// 111111111111's keys, isolated from any local AWS configuration.
func awsCLI(t *testing.T, f *fixture, args ...string) (stdout string, stderr string, err error) {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command("aws", append(args, "--endpoint-url", f.http.URL)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "HOME=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "HOME="+home,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-west-2",
		"AWS_CONFIG_FILE="+filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func TestAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not on PATH")
	}
	f := newFixture(t, fixtureOpts{})
	seed(t, f, bucket1, "opportunity-outbound/o1.json", "opportunity-outbound/o2.json", "opportunity-outbound-archive/o1.json")
	file := filepath.Join(t.TempDir(), "deal.json")
	body := `{"version":"2.0","spmsId":"1111111","opportunities":[{"partnerCrmUniqueIdentifier":"P-1"}]}`
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	const inbound = "s3://" + bucket1 + "/opportunity-inbound/deal_01022024130000.json"
	run := func(args ...string) string {
		t.Helper()
		out, errOut, err := awsCLI(t, f, args...)
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, errOut)
		}
		return out
	}

	if _, errOut, err := awsCLI(t, f, "s3", "cp", file, inbound); err == nil || !strings.Contains(errOut, "AccessDenied") {
		t.Fatalf("upload without the ACL: err %v, stderr %q", err, errOut)
	}
	run("s3", "cp", file, inbound, "--acl", "bucket-owner-full-control")
	if stored, _ := apiGet(t, f.srv, bucket1, "opportunity-inbound/deal_01022024130000.json"); string(stored) != body {
		t.Fatalf("stored %q", stored)
	}

	if out := run("s3", "ls"); !strings.Contains(out, bucket1) {
		t.Fatalf("aws s3 ls = %q", out)
	}
	if out := run("s3", "ls", "s3://"+bucket1+"/"); !strings.Contains(out, "PRE opportunity-inbound/") || !strings.Contains(out, "PRE opportunity-outbound/") {
		t.Fatalf("aws s3 ls bucket = %q", out)
	}
	if out := run("s3", "ls", "s3://"+bucket1+"/opportunity-inbound/"); !strings.Contains(out, "deal_01022024130000.json") {
		t.Fatalf("aws s3 ls folder = %q", out)
	}
	if out := run("s3", "cp", inbound, "-"); out != body {
		t.Fatalf("aws s3 cp to stdout = %q", out)
	}

	run("s3", "rm", "s3://"+bucket1+"/opportunity-outbound/o1.json")
	if _, errOut, err := awsCLI(t, f, "s3", "rm", "s3://"+bucket1+"/opportunity-outbound-archive/o1.json"); err == nil || !strings.Contains(errOut, "AccessDenied") {
		t.Fatalf("removing an archived file: err %v, stderr %q", err, errOut)
	}
	run("s3", "rm", "s3://"+bucket1+"/opportunity-outbound/", "--recursive")
	left, err := f.srv.ListObjects(context.Background(), bucket1, "opportunity-outbound")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].Key != "opportunity-outbound-archive/o1.json" {
		t.Fatalf("left after aws s3 rm: %+v", left)
	}
}
