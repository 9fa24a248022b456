package selling

import (
	"context"
	"slices"
	"strings"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// Solution is a partner solution as the AWS side adds it.
type Solution struct {
	Name     string
	Category string
	Status   api.SolutionStatus // "" is Active
}

// AddSolution lists a new solution for account in catalog, as Partner
// Central does once a partner's solution is published: the Sandbox seeds
// only a few, and tests of per-opportunity limits need more.
func (s *Service) AddSolution(ctx context.Context, account, catalog string, sol Solution) (*api.SolutionBase, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	if p, ok := s.party(account); !ok || p.AccountID == awsParty {
		return nil, apierr.NotFound("Account %s is not a Partner Central partner.", account)
	}
	if sol.Status == "" {
		sol.Status = api.SolutionStatusActive
	}
	var problems []apierr.FieldError
	if strings.TrimSpace(sol.Name) == "" {
		problems = append(problems, apierr.FieldError{FieldName: "name", Code: apierr.CodeRequiredFieldMissing, Message: "A solution needs a name."})
	}
	if strings.TrimSpace(sol.Category) == "" {
		problems = append(problems, apierr.FieldError{FieldName: "category", Code: apierr.CodeRequiredFieldMissing, Message: "A solution needs a category, e.g. Software Products."})
	}
	if !slices.Contains([]api.SolutionStatus{api.SolutionStatusActive, api.SolutionStatusInactive, api.SolutionStatusDraft}, sol.Status) {
		problems = append(problems, apierr.FieldError{FieldName: "status", Code: apierr.CodeInvalidEnumValue, Message: "Status must be Active, Inactive or Draft."})
	}
	if len(problems) > 0 {
		return nil, apierr.RequestInvalid(problems...)
	}
	scope := scopeOf(account, catalog)
	var out *api.SolutionBase
	err := s.store.Update(ctx, func(tx store.Tx) error {
		n, err := tx.CountSolutions(ctx, scope)
		if err != nil {
			return internal("count solutions", err)
		}
		row := &store.Solution{Scope: scope, ID: solutionID(account, catalog, n), Name: sol.Name, Category: sol.Category,
			Status: string(sol.Status), CreatedDate: s.now()}
		if err := tx.PutSolution(ctx, row); err != nil {
			return internal("put solution", err)
		}
		base := s.solutionBase(row)
		out = &base
		return nil
	})
	return out, err
}
