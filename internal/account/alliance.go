package account

import (
	"context"
	"strings"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// GetAllianceLeadContact is the caller's partner's alliance lead.
func (s *Service) GetAllianceLeadContact(ctx context.Context, account string, in *api.GetAllianceLeadContactRequest) (*api.GetAllianceLeadContactResponse, error) {
	d, err := s.identifiedPartner(ctx, s.store, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	p := d.Value
	return &api.GetAllianceLeadContactResponse{Catalog: p.Catalog, Arn: p.Arn, Id: p.Id, AllianceLeadContact: p.AllianceLeadContact}, nil
}

// PutAllianceLeadContact replaces the alliance lead. A new email address
// must come with a code sent to it (the model: the code confirms "the
// update"); in the Sandbox, where email verification is disabled, it need
// not. Name and title changes need no code.
func (s *Service) PutAllianceLeadContact(ctx context.Context, account string, in *api.PutAllianceLeadContactRequest) (*api.PutAllianceLeadContactResponse, error) {
	var out *api.PutAllianceLeadContactResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := s.identifiedPartner(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return err
		}
		if !strings.EqualFold(d.Value.AllianceLeadContact.Email, in.AllianceLeadContact.Email) && in.Catalog == CatalogAWS {
			if in.EmailVerificationCode == nil {
				return apierr.RequestInvalid(apierr.FieldError{FieldName: "emailVerificationCode", Code: apierr.CodeRequiredFieldMissing,
					Message: "A new alliance lead email needs the verification code sent to it."})
			}
			if err := s.consumeEmailCode(ctx, tx, in.Catalog, in.AllianceLeadContact.Email, *in.EmailVerificationCode, "emailVerificationCode"); err != nil {
				return err
			}
		}
		d.Value.AllianceLeadContact = in.AllianceLeadContact
		if _, err := savePartner(ctx, tx, d); err != nil {
			return err
		}
		p := d.Value
		out = &api.PutAllianceLeadContactResponse{Catalog: p.Catalog, Arn: p.Arn, Id: p.Id, AllianceLeadContact: p.AllianceLeadContact}
		return nil
	})
	return out, err
}
