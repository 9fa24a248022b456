package revenue

import (
	"context"
	"slices"

	api "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// SettleTask is AWS finishing an attribution's IN_PROGRESS allocation task
// now rather than after TaskProcessingTime: with no errorCode the records
// are processed by the usual rules (COMPLETE or FAILED); with one (an
// outcome only AWS decides, such as INTERNAL_ERROR or ACCESS_DENIED) every
// record fails with it. It answers the task as the partner now reads it.
func (s *Service) SettleTask(ctx context.Context, account string, catalog api.CatalogName, identifier string, errorCode api.RevenueAttributionAllocationErrorCode, message string) (*api.GetRevenueAttributionAllocationsTaskOutput, error) {
	if errorCode != "" && !slices.Contains(errorCode.Values(), errorCode) {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "errorCode", Code: apierr.CodeInvalidEnumValue,
			Message: "errorCode must be one of the model's RevenueAttributionAllocationErrorCode values"})
	}
	if message == "" {
		message = "AWS could not process this allocation (" + string(errorCode) + ")."
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := s.loadAttribution(ctx, tx, account, catalog, identifier)
		if err != nil {
			return err
		}
		t := d.Value.Task
		if t == nil || t.Status != api.RevenueAttributionAllocationTaskStatusInProgress {
			return apierr.Conflict("Revenue attribution %s has no allocation task in progress.", d.Value.Id)
		}
		t.ForcedResult = &forcedResult{ErrorCode: errorCode, Message: message}
		s.settleTask(ctx, tx, d.Value)
		_, err = docstore.Put(ctx, tx, kindAttribution, string(catalog), d.Value, d.Version)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.GetRevenueAttributionAllocationsTask(ctx, account, &api.GetRevenueAttributionAllocationsTaskInput{Catalog: catalog, RevenueAttributionIdentifier: identifier})
}
