package account

import (
	"fmt"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// listPage walks every document once, in creation order, and binds its
// tokens to the request.
func TestListPageWalksAllPages(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		p := &partnerRecord{Id: fmt.Sprintf("partner-%013d", i), Catalog: CatalogSandbox, Account: acctOne, LegalName: fmt.Sprint(i), CreatedAt: f.svc.now().Add(time.Duration(i) * time.Millisecond)}
		err := f.svc.store.Update(f.ctx, func(tx store.Tx) error {
			_, err := savePartner(f.ctx, tx, docstore.Doc[partnerRecord]{Value: p})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	q := store.DocumentQuery{Kind: kindPartner, Catalog: CatalogSandbox}
	var got []string
	var token *string
	for pages := 1; ; pages++ {
		rows, next, err := listPage[partnerRecord](f.ctx, f.svc, f.svc.store, page{Query: q, Binding: "b", Token: token, Size: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			got = append(got, r.LegalName)
		}
		if next == nil {
			if pages != 3 {
				t.Errorf("%d pages, want 3", pages)
			}
			break
		}
		token = next
	}
	if fmt.Sprint(got) != "[0 1 2 3 4]" {
		t.Errorf("listed %v", got)
	}
	if _, _, err := listPage[partnerRecord](f.ctx, f.svc, f.svc.store, page{Query: q, Binding: "other", Token: token, Size: 2}); err == nil {
		t.Error("a token was accepted for another request")
	}
}
