package selling

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// AWS Marketplace listings, as far as the Selling API sees them: an
// opportunity can be associated with the partner's Marketplace solutions
// and products by ARN (AwsMarketplaceSolutions, AwsMarketplaceProducts),
// and only with listings that are Public or Limited (semantics-2026 §1.6).
// Marketplace itself is another service; cosell keeps just what the
// association needs — who lists what, under which ARN, how visible, and
// which partner solution a Marketplace solution stands for — seeded per
// account and added to through the AWS side.

const kindMarketplaceListing = "marketplace-listing"

// Marketplace listing kinds: a solution, and the product types whose name
// the product ARN carries.
const (
	ListingSolution         = "Solution"
	ListingSaaSProduct      = "SaaSProduct"
	ListingAmiProduct       = "AmiProduct"
	ListingContainerProduct = "ContainerProduct"
)

// Listing visibilities. Only Public and Limited listings can be associated;
// Restricted (withdrawn) and Draft ones cannot.
const (
	ListingPublic     = "Public"
	ListingLimited    = "Limited"
	ListingRestricted = "Restricted"
	ListingDraft      = "Draft"
)

// marketplaceListing is a listing as stored.
type marketplaceListing struct {
	Arn        string    `json:"arn"`
	Catalog    string    `json:"catalog"`
	Seller     string    `json:"seller"` // the listing account
	Kind       string    `json:"kind"`
	Id         string    `json:"id"` // soln-… or prod-…
	Name       string    `json:"name"`
	Visibility string    `json:"visibility"`
	SolutionId string    `json:"solutionId,omitempty"` // the partner solution a Marketplace solution stands for
	CreatedAt  time.Time `json:"createdAt"`
}

func (l *marketplaceListing) DocID() string         { return l.Arn }
func (l *marketplaceListing) DocCreated() time.Time { return l.CreatedAt }
func (l *marketplaceListing) DocKeys() map[string][]string {
	k := map[string][]string{"seller": {l.Seller}, "kind": {l.Kind}}
	if l.SolutionId != "" {
		k["solution"] = []string{l.SolutionId}
	}
	return k
}

// marketplaceArn is a listing's ARN: Marketplace's catalog is global and
// its ARNs name us-east-1 and the seller's account.
func marketplaceArn(seller, kind, id string) string {
	return fmt.Sprintf("arn:aws:aws-marketplace:us-east-1:%s:AWSMarketplace/%s/%s", seller, kind, id)
}

// listingID is a stable Marketplace-looking id (soln-/prod- and 13
// characters) for the n-th listing of an account in a catalog.
func listingID(prefix, seller, catalog string, n int) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s/%d", seller, catalog, n)
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	v := h.Sum64()
	b := make([]byte, 13)
	for i := range b {
		b[i] = alphabet[v%36]
		v /= 36
	}
	return prefix + string(b)
}

// starterListings are each account's listings in each catalog: a Public
// Marketplace solution standing for its first partner solution, a Public
// SaaS product, a Limited AMI product, and a Draft container product that
// cannot be associated yet.
var starterListings = []struct {
	kind, name, visibility string
	linksFirstSolution     bool
}{
	{ListingSolution, "Data Platform Modernization on AWS Marketplace", ListingPublic, true},
	{ListingSaaSProduct, "Analytics Accelerator SaaS", ListingPublic, false},
	{ListingAmiProduct, "Analytics Accelerator AMI", ListingLimited, false},
	{ListingContainerProduct, "Contact Center Containers", ListingDraft, false},
}

// seedListings gives account its starter listings in catalog; firstSolution
// is the partner solution the Marketplace solution stands for.
func (s *Service) seedListings(ctx context.Context, tx store.Tx, account, catalog, firstSolution string) error {
	for i, l := range starterListings {
		row := &marketplaceListing{Catalog: catalog, Seller: account, Kind: l.kind, Name: l.name, Visibility: l.visibility, CreatedAt: s.now()}
		row.Id = listingID(listingPrefix(l.kind), account, catalog, i)
		row.Arn = marketplaceArn(account, l.kind, row.Id)
		if l.linksFirstSolution {
			row.SolutionId = firstSolution
		}
		if _, err := docstore.Put(ctx, tx, kindMarketplaceListing, catalog, row, 0); err != nil {
			return err
		}
	}
	return nil
}

func listingPrefix(kind string) string {
	if kind == ListingSolution {
		return "soln-"
	}
	return "prod-"
}

// Listing is a Marketplace listing as the AWS side adds it.
type Listing struct {
	Kind       string // Solution, SaaSProduct, AmiProduct or ContainerProduct
	Name       string
	Visibility string // "" is Public
	SolutionId string // for a Solution: the partner solution it stands for, if any
}

// ListingOut is a listing as the AWS side answers it.
type ListingOut struct {
	Arn        string `json:"arn"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Visibility string `json:"visibility"`
	SolutionId string `json:"solutionId,omitempty"`
}

// AddListing lists a new Marketplace listing of account in catalog, as
// the partner's publishing on AWS Marketplace would.
func (s *Service) AddListing(ctx context.Context, account, catalog string, l Listing) (*ListingOut, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	if p, ok := s.party(account); !ok || p.AccountID == awsParty {
		return nil, apierr.NotFound("Account %s is not a Partner Central partner.", account)
	}
	if l.Visibility == "" {
		l.Visibility = ListingPublic
	}
	var problems []apierr.FieldError
	switch l.Kind {
	case ListingSolution, ListingSaaSProduct, ListingAmiProduct, ListingContainerProduct:
	default:
		problems = append(problems, apierr.FieldError{FieldName: "kind", Code: apierr.CodeInvalidEnumValue, Message: "Kind must be Solution, SaaSProduct, AmiProduct or ContainerProduct."})
	}
	switch l.Visibility {
	case ListingPublic, ListingLimited, ListingRestricted, ListingDraft:
	default:
		problems = append(problems, apierr.FieldError{FieldName: "visibility", Code: apierr.CodeInvalidEnumValue, Message: "Visibility must be Public, Limited, Restricted or Draft."})
	}
	if strings.TrimSpace(l.Name) == "" {
		problems = append(problems, apierr.FieldError{FieldName: "name", Code: apierr.CodeRequiredFieldMissing, Message: "A listing needs a name."})
	}
	if l.SolutionId != "" && l.Kind != ListingSolution {
		problems = append(problems, apierr.FieldError{FieldName: "solutionId", Code: apierr.CodeInvalidValue, Message: "Only a Marketplace solution stands for a partner solution."})
	}
	if len(problems) > 0 {
		return nil, apierr.RequestInvalid(problems...)
	}
	scope := scopeOf(account, catalog)
	var out *ListingOut
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if l.SolutionId != "" {
			if _, err := tx.GetSolution(ctx, scope, l.SolutionId); err != nil {
				return apierr.NotFound("Solution %s does not exist in catalog %s.", l.SolutionId, catalog)
			}
		}
		n, _, err := docstore.List[marketplaceListing](ctx, tx, store.DocumentQuery{Kind: kindMarketplaceListing, Catalog: catalog, Match: map[string][]string{"seller": {account}}})
		if err != nil {
			return internal("list listings", err)
		}
		row := &marketplaceListing{Catalog: catalog, Seller: account, Kind: l.Kind, Name: l.Name, Visibility: l.Visibility, SolutionId: l.SolutionId, CreatedAt: s.now()}
		row.Id = listingID(listingPrefix(l.Kind), account, catalog, len(n))
		row.Arn = marketplaceArn(account, l.Kind, row.Id)
		if _, err := docstore.Put(ctx, tx, kindMarketplaceListing, catalog, row, 0); err != nil {
			return err
		}
		out = &ListingOut{Arn: row.Arn, Kind: row.Kind, Name: row.Name, Visibility: row.Visibility, SolutionId: row.SolutionId}
		return nil
	})
	return out, err
}

// checkListing verifies a Marketplace association: the ARN names a listing
// of the right kind (a solution for AwsMarketplaceSolutions, a product for
// AwsMarketplaceProducts) that the caller, or an account with an ACTIVE
// SUBSIDIARY connection to it, lists in this catalog, and that is Public or
// Limited. Another account's listing is as unknown as a missing one.
func (s *Service) checkListing(ctx context.Context, r store.Reader, scope store.Scope, kind api.RelatedEntityType, arn string) error {
	d, err := docstore.Get[marketplaceListing](ctx, r, kindMarketplaceListing, scope.Catalog, arn, func() error { return nil })
	if err != nil {
		return internal("get listing", err)
	}
	l := d.Value
	notFound := apierr.NotFound("%s %s does not exist in catalog %s.", kind, arn, scope.Catalog)
	if l == nil || (l.Kind == ListingSolution) != (kind == api.RelatedEntityTypeAwsMarketplaceSolutions) {
		return notFound
	}
	if l.Seller != scope.Account {
		ok := false
		if s.connections != nil {
			if ok, err = s.connections.Subsidiaries(ctx, r, scope.Catalog, scope.Account, l.Seller); err != nil {
				return internal("read connections", err)
			}
		}
		if !ok {
			return notFound
		}
	}
	if l.Visibility != ListingPublic && l.Visibility != ListingLimited {
		return apierr.BusinessInvalid("AWS Marketplace listing "+arn+" is "+l.Visibility+"; only Public or Limited listings can be associated.", apierr.FieldError{
			FieldName: "relatedEntityIdentifier", Code: apierr.CodeInvalidResourceState, Message: "The listing is not Public or Limited.",
		})
	}
	return nil
}

// marketplaceSolutionArns maps the caller's partner solutions to the
// Marketplace solutions that stand for them.
func marketplaceSolutionArns(ctx context.Context, r store.Reader, scope store.Scope) (map[string]string, error) {
	rows, _, err := docstore.List[marketplaceListing](ctx, r, store.DocumentQuery{
		Kind: kindMarketplaceListing, Catalog: scope.Catalog, Match: map[string][]string{"seller": {scope.Account}, "kind": {ListingSolution}},
	})
	if err != nil {
		return nil, internal("list listings", err)
	}
	out := map[string]string{}
	for _, l := range rows {
		if l.SolutionId != "" {
			out[l.SolutionId] = l.Arn
		}
	}
	return out, nil
}
