package selling

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// sandboxTestSolution is the solution AWS's Sandbox guide tells partners to
// associate when testing (DG testing-sandbox.html).
const sandboxTestSolution = "S-1234567"

type seedSolution struct {
	name, category string
	status         api.SolutionStatus
}

// starterSolutions is what a new partner's catalogs hold: a few solutions
// of each kind a partner lists, one of them retired and one still a draft,
// so associations and ListSolutions filters have something to work on.
var starterSolutions = []seedSolution{
	{"Data Platform Modernization", "Consulting Services", api.SolutionStatusActive},
	{"Managed Kubernetes Operations", "Managed Services", api.SolutionStatusActive},
	{"Analytics Accelerator", "Software Products", api.SolutionStatusActive},
	{"Legacy Migration Factory", "Consulting Services", api.SolutionStatusInactive},
	{"GenAI Contact Center", "Software Products", api.SolutionStatusDraft},
}

// SeedAccount gives an account its starter solutions and Marketplace
// listings in both catalogs, once each. In the Sandbox the first solution
// has the documented test id S-1234567.
func (s *Service) SeedAccount(ctx context.Context, account string) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		for _, catalog := range []string{CatalogAWS, CatalogSandbox} {
			scope := scopeOf(account, catalog)
			first := solutionID(account, catalog, 0)
			if catalog == CatalogSandbox {
				first = sandboxTestSolution
			}
			n, err := tx.CountSolutions(ctx, scope)
			if err != nil {
				return internal("count solutions", err)
			}
			for i, seed := range starterSolutions {
				if n > 0 {
					break // seeded before
				}
				id := solutionID(account, catalog, i)
				if i == 0 {
					id = first
				}
				sol := &store.Solution{Scope: scope, ID: id, Name: seed.name, Category: seed.category, Status: string(seed.status), CreatedDate: s.now()}
				if err := tx.PutSolution(ctx, sol); err != nil {
					return internal("put solution", err)
				}
			}
			listings, _, err := docstore.List[marketplaceListing](ctx, tx, store.DocumentQuery{
				Kind: kindMarketplaceListing, Catalog: catalog, Match: map[string][]string{"seller": {account}}, Limit: 1,
			})
			if err != nil {
				return internal("list listings", err)
			}
			if len(listings) == 0 {
				if err := s.seedListings(ctx, tx, account, catalog, first); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// solutionID makes a stable, realistic-looking S-NNNNNNN id per account.
func solutionID(account, catalog string, i int) string {
	h := fnv.New32a()
	h.Write([]byte(account + "/" + catalog))
	return fmt.Sprintf("S-%07d", 10000+int(h.Sum32()%900000)*10+i)
}

// ListSolutions lists the caller's solutions in a catalog.
func (s *Service) ListSolutions(ctx context.Context, account string, in *api.ListSolutionsRequest) (*api.ListSolutionsResponse, error) {
	scope := scopeOf(account, in.Catalog)
	linked, err := marketplaceSolutionArns(ctx, s.store, scope)
	if err != nil {
		return nil, err
	}
	ids, none := solutionsFiltered(in.Identifier, in.AwsMarketplaceSolutionArn, linked)
	if none {
		return &api.ListSolutionsResponse{SolutionSummaries: []api.SolutionBase{}}, nil
	}
	q := store.SolutionQuery{
		Scope: scope, IDs: ids, Statuses: asStrings(in.Status), Categories: in.Category,
		SortBy: string(api.SolutionSortNameIdentifier), Limit: pageSize(in.MaxResults) + 1,
	}
	if in.Sort != nil {
		q.SortBy, q.Descending = string(in.Sort.SortBy), in.Sort.SortOrder == api.SortOrderDescending
	}
	binding, err := pagetoken.Binding(scope.Account, scope.Catalog, "ListSolutions", in, func(r *api.ListSolutionsRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	if t := deref(in.NextToken); t != "" {
		if err := s.tokens.Decode(binding, t, &q.Offset); err != nil {
			return nil, pagetoken.Invalid()
		}
	}
	rows, err := s.store.ListSolutions(ctx, q)
	if err != nil {
		return nil, internal("list solutions", err)
	}
	limit := q.Limit - 1
	out := &api.ListSolutionsResponse{SolutionSummaries: make([]api.SolutionBase, 0, min(len(rows), limit))}
	for _, sol := range rows[:min(len(rows), limit)] {
		base := s.solutionBase(&sol)
		if arn, ok := linked[sol.ID]; ok {
			base.AwsMarketplaceSolutionArn = &arn
		}
		out.SolutionSummaries = append(out.SolutionSummaries, base)
	}
	if len(rows) > limit {
		tok, err := s.tokens.Encode(binding, q.Offset+limit)
		if err != nil {
			return nil, internal("encode token", err)
		}
		out.NextToken = &tok
	}
	return out, nil
}

// solutionsFiltered turns ListSolutions' AwsMarketplaceSolutionArn filter
// into solution ids (the solutions those Marketplace solutions stand for),
// combined with the Identifier filter. none says no solution can match.
func solutionsFiltered(identifiers, marketplaceArns []string, linked map[string]string) (ids []string, none bool) {
	if len(marketplaceArns) == 0 {
		return identifiers, false
	}
	for id, arn := range linked {
		if slices.Contains(marketplaceArns, arn) && (len(identifiers) == 0 || slices.Contains(identifiers, id)) {
			ids = append(ids, id)
		}
	}
	return ids, len(ids) == 0
}

// solutionBase is a stored solution as the API shows it.
func (s *Service) solutionBase(sol *store.Solution) api.SolutionBase {
	return api.SolutionBase{
		Catalog: sol.Catalog, Id: sol.ID, Arn: ptr(s.solutionArn(sol.Scope, sol.ID)), Name: sol.Name,
		Status: api.SolutionStatus(sol.Status), Category: sol.Category, CreatedDate: sol.CreatedDate,
	}
}
