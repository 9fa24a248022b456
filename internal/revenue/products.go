package revenue

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// Product is an AWS Marketplace product a partner account owns. Marketplace
// is outside Partner Central, so cosell gives every account a few products
// of its own (SeededProducts) and lets the AWS side add more.
type Product struct {
	Id      string    `json:"id"` // prod-[a-z0-9]{13}
	Code    string    `json:"code"`
	Name    string    `json:"name"`
	Account string    `json:"account"`
	Catalog string    `json:"catalog"`
	Added   time.Time `json:"added"`
}

func (p *Product) DocID() string         { return p.Id }
func (p *Product) DocCreated() time.Time { return p.Added }
func (p *Product) DocKeys() map[string][]string {
	return map[string][]string{"account": {p.Account}}
}

// seededProductCount is how many products every account owns from the start.
const seededProductCount = 3

// SeededProducts are the products account owns in every catalog without
// anyone adding them. Their ids and codes derive from the account, so they
// are the same on every server and after every reset, and no two accounts
// share one.
func SeededProducts(account string) []Product {
	out := make([]Product, seededProductCount)
	for i := range out {
		sum := sha256.Sum256(fmt.Appendf(nil, "cosell-marketplace-product/%s/%d", account, i+1))
		out[i] = Product{
			Id:      "prod-" + base36(sum[:13]),
			Code:    base36(sum[13:]), // 19 characters, the look of Marketplace product codes
			Name:    fmt.Sprintf("Sample SaaS Product %d", i+1),
			Account: account,
		}
	}
	return out
}

func base36(b []byte) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = digits[int(c)%len(digits)]
	}
	return string(out)
}

var productIDPattern = regexp.MustCompile(`^prod-[a-z0-9]{13}$`)

// productIDOf accepts a product id or any ARN ending in /prod-….
func productIDOf(identifier string) string {
	if i := strings.LastIndex(identifier, "/"); i >= 0 {
		return identifier[i+1:]
	}
	return identifier
}

// ownedProduct finds the caller's product in catalog. A product that does
// not exist or belongs to another account is the same ValidationException:
// the Developer Guide names the case PRODUCT_NOT_FOUND_OR_NOT_OWNED, a
// Reason the model's enum lacks, so it goes in the message and the model's
// BUSINESS_VALIDATION_FAILED is the Reason.
func ownedProduct(ctx context.Context, r store.Reader, account string, catalog api.CatalogName, field, identifier string) (*Product, error) {
	id := productIDOf(identifier)
	for _, p := range SeededProducts(account) {
		if p.Id == id {
			p.Catalog = string(catalog)
			return &p, nil
		}
	}
	d, err := docstore.Get[Product](ctx, r, kindProduct, string(catalog), id, func() error { return errNoProduct })
	if err == nil && d.Value.Account == account {
		return d.Value, nil
	}
	if err != nil && !errors.Is(err, errNoProduct) {
		return nil, err
	}
	return nil, invalid(field, apierr.CodeInvalidValue,
		"PRODUCT_NOT_FOUND_OR_NOT_OWNED: product %s is not a Marketplace product of account %s.", identifier, account)
}

var errNoProduct = errors.New("no such product")

// AddProduct records a Marketplace product for account in catalog, as AWS
// Marketplace would list one the partner published. An empty id gets a new
// one; an id another account owns is a conflict.
func (s *Service) AddProduct(ctx context.Context, account string, catalog api.CatalogName, p Product) (*Product, error) {
	if catalog != CatalogAWS && catalog != CatalogSandbox {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "catalog", Code: apierr.CodeInvalidEnumValue, Message: "catalog must be AWS or Sandbox"})
	}
	if p.Id == "" {
		p.Id = docstore.NewID("prod-", 13)
	}
	if !productIDPattern.MatchString(p.Id) {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "id", Code: apierr.CodeInvalidStringFormat, Message: "id must match prod-[a-z0-9]{13}"})
	}
	if p.Code == "" {
		p.Code = docstore.NewID("", 19)
	}
	if p.Name == "" {
		p.Name = "Marketplace product " + p.Id
	}
	p.Account, p.Catalog, p.Added = account, string(catalog), s.now()
	for _, other := range SeededProducts(account) {
		if other.Id == p.Id {
			return nil, apierr.Conflict("Product %s is one of account %s's seeded products already.", p.Id, account)
		}
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		_, err := tx.GetDocument(ctx, kindProduct, p.Catalog, p.Id)
		switch {
		case err == nil:
			return apierr.Conflict("Product %s already exists in the %s catalog.", p.Id, p.Catalog)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		_, err = docstore.Put(ctx, tx, kindProduct, p.Catalog, &p, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// Products lists account's products in catalog: the seeded ones, then the
// added ones in the order they were added.
func (s *Service) Products(ctx context.Context, account string, catalog api.CatalogName) ([]Product, error) {
	out := SeededProducts(account)
	for i := range out {
		out[i].Catalog = string(catalog)
	}
	added, _, err := docstore.List[Product](ctx, s.store, store.DocumentQuery{Kind: kindProduct, Catalog: string(catalog),
		Match: map[string][]string{"account": {account}}})
	if err != nil {
		return nil, err
	}
	for _, p := range added {
		out = append(out, *p)
	}
	return out, nil
}
