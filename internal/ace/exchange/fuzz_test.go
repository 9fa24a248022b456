package exchange

import (
	"encoding/json"
	"testing"

	"github.com/cosell/cosell/internal/ace"
)

// FuzzProcess puts any file, or a well-formed file with any field set to
// any value, into the inbound folder: processing never fails or panics,
// and the partner always gets a result file or an error file.
func FuzzProcess(f *testing.F) {
	f.Add([]byte(`{"version":"2.0","spmsId":"`+partnerSpms+`","opportunities":[{}]}`), "", "")
	f.Add([]byte(`{`), "", "")
	f.Add([]byte(nil), "industry", "Computers & Electronics")
	f.Add([]byte(nil), "expectedMonthlyAwsRevenue", "-1e309")
	f.Add([]byte(nil), "apnCrmUniqueIdentifier", "O1")
	f.Add([]byte(nil), "partnerAcceptanceStatus", "Accepted")
	f.Add([]byte(nil), "targetCloseDate", "2026-02-30")
	f.Fuzz(func(t *testing.T, body []byte, field, value string) {
		fx := newFixture(t)
		if len(body) == 0 {
			record := map[string]any{"partnerCrmUniqueIdentifier": "FUZZ-1", field: value}
			body, _ = json.Marshal(map[string]any{"version": "2.0", "spmsId": partnerSpms, "opportunities": []any{record}})
		}
		key := ace.OpportunityInbound + "fuzz_03012026120000.json"
		fx.put(key, body)
		if err := fx.x.Process(fx.ctx, fx.bucket, key); err != nil {
			t.Fatalf("Process: %v\n%s", err, body)
		}
		if _, _, err := fx.objects.GetObject(fx.ctx, fx.bucket, ace.ResultKey(key)); err != nil {
			if _, _, err := fx.objects.GetObject(fx.ctx, fx.bucket, ace.ErrorKey(key)); err != nil {
				t.Fatalf("no result and no error file for\n%s", body)
			}
		}
	})
}
