package selling

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
)

// The fast slice of a stored document must give exactly what decoding it
// gives, even when free text on either side of the key spells the key.
func TestStoredOpportunityMatchesDecoding(t *testing.T) {
	tricky := `he wrote "opportunity":{"x":1}} here`
	rec := &record{
		Opportunity: api.GetOpportunityResponse{Catalog: "Sandbox", Id: "O1234567", CreatedDate: time.Unix(1, 0).UTC(),
			LastModifiedDate: time.Unix(2, 0).UTC(), Project: &api.Project{Title: &tricky}},
		Origin:          api.OpportunityOriginPartnerReferral,
		FollowsReviewOf: tricky,
		Aws:             &AwsFields{Project: &api.AwsOpportunityProject{ExpectedCustomerSpend: nil}},
	}
	doc, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Opportunity json.RawMessage `json:"opportunity"`
	}
	if err := json.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	got, err := storedOpportunity(doc)
	if err != nil || !bytes.Equal(got, want.Opportunity) {
		t.Fatalf("storedOpportunity = %s, %v\nwant %s", got, err, want.Opportunity)
	}

	// A document in another layout still decodes, through the slow path.
	other := []byte(`{"opportunity":{"Id":"O1"},"origin":"AWS Referral"}`)
	if got, err := storedOpportunity(other); err != nil || string(got) != `{"Id":"O1"}` {
		t.Fatalf("other layout: %s, %v", got, err)
	}
	if _, err := storedOpportunity([]byte(`{"opportunity":`)); err == nil {
		t.Fatal("a truncated document should be an error")
	}
}
