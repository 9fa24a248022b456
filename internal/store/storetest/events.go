package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/cosell/cosell/internal/store"
)

func testEvents(t *testing.T, s store.Store) {
	ctx := context.Background()
	appended := make([]store.Event, 0, 6)
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		for i := 0; i < 6; i++ {
			e := store.Event{Account: []string{"111111111111", "222222222222"}[i%2], ID: fmt.Sprintf("e%d", i), Time: baseTime, DetailType: "Opportunity Created", Body: []byte(fmt.Sprintf(`{"n":%d}`, i))}
			if err := tx.AppendEvent(ctx, &e); err != nil {
				return err
			}
			if n := len(appended); n > 0 && e.Seq <= appended[n-1].Seq {
				return fmt.Errorf("seq %d after %d", e.Seq, appended[n-1].Seq)
			}
			appended = append(appended, e)
		}
		return nil
	})
	// A rolled-back transaction leaves no event behind.
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.AppendEvent(ctx, &store.Event{Account: "111111111111", ID: "lost", Time: baseTime, DetailType: "x", Body: []byte("{}")}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update: %v", err)
	}
	all, err := s.ListEvents(ctx, store.EventQuery{})
	if err != nil || len(all) != 6 {
		t.Fatalf("all events: %d, %v", len(all), err)
	}
	for i, e := range all {
		if e.ID != appended[i].ID || e.Seq != appended[i].Seq || string(e.Body) != string(appended[i].Body) || !e.Time.Equal(baseTime) {
			t.Fatalf("event %d: %+v, want %+v", i, e, appended[i])
		}
	}
	mine, err := s.ListEvents(ctx, store.EventQuery{Account: "222222222222", AfterSeq: appended[1].Seq, Limit: 1})
	if err != nil || len(mine) != 1 || mine[0].ID != "e3" {
		t.Fatalf("account page after e1: %+v, %v", mine, err)
	}
	// The rolled-back event took no place at the end either.
	if last, err := s.LastEventSeq(ctx); err != nil || last != appended[len(appended)-1].Seq {
		t.Fatalf("LastEventSeq = %d, %v; want %d", last, err, appended[len(appended)-1].Seq)
	}
}
