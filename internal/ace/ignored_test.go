package ace

import (
	"slices"
	"testing"

	"github.com/cosell/cosell/api/selling"
)

func TestIgnoredFields(t *testing.T) {
	// One field of each kind: identifiers, an association (solutionOffered), a field the update does not carry
	// (primaryContactEmail), a null, after-launch fields, Action Required fields, create-only fields, a
	// before-launch field and AWS's own status.
	r := oneRecord(t, KindOpportunity, `{"version":"2.0","spmsId":"1","opportunities":[{
		"apnCrmUniqueIdentifier":"O1234567","partnerCrmUniqueIdentifier":"crm-1","solutionOffered":["S-2"],
		"primaryContactEmail":"a@example.com","customerDuns":null,
		"additionalComments":"more","deliveryModel":"SaaS or PaaS",
		"city":"Portland","projectDescription":"A long enough description of the need",
		"partnerProjectTitle":"Renamed","industry":"Healthcare",
		"nextStep":"Call the CIO","status":"Draft"}]}`)
	cases := []struct {
		name   string
		review selling.ReviewStatus
		stage  selling.Stage
		want   []string
	}{
		{"launched: only the after-launch fields", selling.ReviewStatusApproved, selling.StageLaunched,
			[]string{"city", "industry", "partnerProjectTitle", "projectDescription", "nextStep", "status"}},
		{"closed lost counts as launched", selling.ReviewStatusApproved, selling.StageClosedLost,
			[]string{"city", "industry", "partnerProjectTitle", "projectDescription", "nextStep", "status"}},
		{"action required: its whitelist", selling.ReviewStatusActionRequired, selling.StageProspect,
			[]string{"industry", "deliveryModel", "nextStep", "partnerProjectTitle", "additionalComments", "status"}},
		{"ordinary: all but create-only fields", selling.ReviewStatusApproved, selling.StageQualified,
			[]string{"industry", "partnerProjectTitle", "projectDescription", "status"}},
		{"pending submission: the same", selling.ReviewStatusPendingSubmission, selling.StageProspect,
			[]string{"industry", "partnerProjectTitle", "projectDescription", "status"}},
		{"in review: the record is refused, nothing ignored", selling.ReviewStatusInReview, selling.StageProspect, nil},
		{"submitted: the same", selling.ReviewStatusSubmitted, selling.StageProspect, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := IgnoredFields(currentOpportunity(t, c.review, c.stage), r)
			slices.Sort(got)
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(got, want) {
				t.Errorf("IgnoredFields = %q, want %q", got, want)
			}
		})
	}
	if got := IgnoredFields(nil, r); got != nil {
		t.Errorf("no current opportunity: %q", got)
	}
}

// TestIgnoredFieldsMatchUpdate checks the report against what UpdateOpportunity does: each field reported
// leaves the request as it was, and each sent field not reported changes it.
func TestIgnoredFieldsMatchUpdate(t *testing.T) {
	cur := currentOpportunity(t, selling.ReviewStatusApproved, selling.StageLaunched)
	for _, body := range []string{`{"city":"Portland"}`, `{"partnerProjectTitle":"Renamed"}`, `{"additionalComments":"more"}`} {
		r := oneRecord(t, KindOpportunity, `{"version":"2.0","spmsId":"1","opportunities":[`+body+`]}`)
		_, unchanged, problems := UpdateOpportunity(cur, r)
		if len(problems) > 0 {
			t.Fatalf("%s: %q", body, problems)
		}
		if ignored := len(IgnoredFields(cur, r)) > 0; ignored != unchanged {
			t.Errorf("%s: reported ignored %v, but the update left the request unchanged %v", body, ignored, unchanged)
		}
	}
}

func TestIgnoredWarning(t *testing.T) {
	w := IgnoredWarning("partnerProjectTitle")
	if w != "partnerProjectTitle: not updatable in the opportunity's current state; ignored" {
		t.Errorf("wording: %q", w)
	}
	if f, ok := IgnoredField(w); !ok || f != "partnerProjectTitle" {
		t.Errorf("IgnoredField(%q) = %q, %v", w, f, ok)
	}
	for _, other := range []string{"Solution S-9 not found", ": not updatable in the opportunity's current state; ignored"} {
		if _, ok := IgnoredField(other); ok {
			t.Errorf("IgnoredField(%q) reports a field", other)
		}
	}
}
