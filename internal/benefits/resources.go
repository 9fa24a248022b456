package benefits

import (
	"context"
	"slices"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// maxResources is the model's limit of associated resources.
const maxResources = 10

// associate adds arn to a's resources once the caller is found allowed to
// read it: an opportunity (through Selling) or a benefit allocation of its
// own in the same catalog (semantics-2026 §3.5).
func (s *Service) associate(ctx context.Context, r store.Reader, a *applicationRecord, arn string) error {
	if err := s.checkReadable(ctx, r, a.Owner, a.Catalog, arn); err != nil {
		return err
	}
	if slices.Contains(a.Resources, arn) {
		return nil
	}
	if len(a.Resources) >= maxResources {
		return invalidField("associatedResources", apierr.CodeTooManyValues, "A benefit application has at most %d associated resources.", maxResources)
	}
	a.Resources = append(a.Resources, arn)
	return nil
}

// resourceTypeOf tells which modelled ResourceType an ARN names.
func resourceTypeOf(arn string) (api.ResourceType, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "partnercentral" {
		return "", false
	}
	path := strings.Split(parts[5], "/")
	if len(path) != 4 || path[0] != "catalog" {
		return "", false
	}
	switch path[2] {
	case "opportunity":
		return api.ResourceTypeOpportunity, true
	case "benefit-allocation":
		return api.ResourceTypeBenefitAllocation, true
	}
	return "", false
}

// checkReadable checks that account may read the resource arn names in
// catalog.
func (s *Service) checkReadable(ctx context.Context, r store.Reader, account, catalog, arn string) error {
	typ, ok := resourceTypeOf(arn)
	if !ok {
		return invalidField("resourceArn", apierr.CodeInvalidValue, "%s is neither an opportunity nor a benefit allocation ARN; only those can be associated with a benefit application.", arn)
	}
	if arnAccount(arn) != account {
		return apierr.AccessDenied("User is not authorized to access resource %s.", arn)
	}
	if !strings.Contains(arn, ":catalog/"+catalog+"/") {
		return invalidField("resourceArn", apierr.CodeInvalidValue, "%s belongs to another catalog than %s.", arn, catalog)
	}
	if typ == api.ResourceTypeOpportunity {
		if s.opportunities == nil {
			return apierr.NotFound("Resource %s does not exist.", arn)
		}
		return s.opportunities.ReadableOpportunity(ctx, r, account, catalog, arn)
	}
	_, err := s.loadAllocation(ctx, r, account, catalog, arn)
	return err
}

// AssociateBenefitApplicationResource links an opportunity or allocation
// to an application in PENDING_SUBMISSION (AWS: only there).
func (s *Service) AssociateBenefitApplicationResource(ctx context.Context, account string, in *api.AssociateBenefitApplicationResourceInput) (*api.AssociateBenefitApplicationResourceOutput, error) {
	var out *api.AssociateBenefitApplicationResourceOutput
	err := s.store.Update(ctx, func(tx store.Tx) error {
		a, err := s.change(ctx, tx, account, in.Catalog, in.BenefitApplicationIdentifier, nil, func(a *applicationRecord, _ *Benefit, _ time.Time) error {
			if err := pendingOnly(a, "associated with resources"); err != nil {
				return err
			}
			return s.associate(ctx, tx, a, in.ResourceArn)
		})
		if err == nil {
			out = &api.AssociateBenefitApplicationResourceOutput{Id: &a.Id, Arn: &a.Arn, Revision: &a.Revision}
		}
		return err
	})
	return out, err
}

// DisassociateBenefitApplicationResource unlinks a resource from an
// application in PENDING_SUBMISSION.
func (s *Service) DisassociateBenefitApplicationResource(ctx context.Context, account string, in *api.DisassociateBenefitApplicationResourceInput) (*api.DisassociateBenefitApplicationResourceOutput, error) {
	var out *api.DisassociateBenefitApplicationResourceOutput
	err := s.store.Update(ctx, func(tx store.Tx) error {
		a, err := s.change(ctx, tx, account, in.Catalog, in.BenefitApplicationIdentifier, nil, func(a *applicationRecord, _ *Benefit, _ time.Time) error {
			if err := pendingOnly(a, "disassociated from resources"); err != nil {
				return err
			}
			i := slices.Index(a.Resources, in.ResourceArn)
			if i < 0 {
				return apierr.NotFound("Resource %s is not associated with benefit application %s.", in.ResourceArn, a.Id)
			}
			a.Resources = slices.Delete(a.Resources, i, i+1)
			return nil
		})
		if err == nil {
			out = &api.DisassociateBenefitApplicationResourceOutput{Id: &a.Id, Arn: &a.Arn, Revision: &a.Revision}
		}
		return err
	})
	return out, err
}

func pendingOnly(a *applicationRecord, what string) error {
	if a.Status != api.BenefitApplicationStatusPendingSubmission {
		return invalidState("benefitApplicationIdentifier", "Benefit application %s is %s; only an application in PENDING_SUBMISSION can be %s.", a.Id, a.Status, what)
	}
	return nil
}
