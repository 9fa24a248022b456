package events

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

func TestEmitWritesTheCapturedEnvelope(t *testing.T) {
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	now := time.Date(2025, 2, 19, 3, 11, 25, 123e6, time.UTC)
	detail := map[string]any{"schemaVersion": "1", "catalog": "Sandbox", "opportunity": map[string]string{"identifier": "O5465588"}}
	err = st.Update(ctx, func(tx store.Tx) error {
		return Emitter{Source: SourceSelling, Region: "us-east-1"}.Emit(ctx, tx, now, "691709974417", "Opportunity Created", nil, detail)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.ListEvents(ctx, store.EventQuery{Account: "691709974417"})
	if err != nil || len(got) != 1 {
		t.Fatalf("events %+v %v", got, err)
	}
	var env map[string]any
	if err := json.Unmarshal(got[0].Body, &env); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"version": "0", "detail-type": "Opportunity Created", "source": "aws.partnercentral-selling",
		"account": "691709974417", "time": "2025-02-19T03:11:25Z", "region": "us-east-1", "id": got[0].ID} {
		if env[k] != want {
			t.Errorf("%s = %v, want %v", k, env[k], want)
		}
	}
	if r, ok := env["resources"].([]any); !ok || len(r) != 0 {
		t.Errorf("resources = %v, want []", env["resources"])
	}
	if d := env["detail"].(map[string]any); d["catalog"] != "Sandbox" || d["opportunity"].(map[string]any)["identifier"] != "O5465588" {
		t.Errorf("detail %v", d)
	}
}
