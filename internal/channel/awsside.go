package channel

import (
	"context"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/store"
)

// The AWS side answers handshakes as their receiver, whoever that is: a
// relationship's associated account is an end customer's management
// account, usually not a Partner Central account of this server, and AWS's
// docs require its acceptance for every service period. The answer goes
// through the same step as the receiver's own call, with the same effects
// and events.

// AnswerAsReceiver accepts (status ACCEPTED) or rejects (REJECTED) a
// handshake on its receiver's behalf.
func (s *Service) AnswerAsReceiver(ctx context.Context, catalog, identifier string, status api.HandshakeStatus) (*api.ChannelHandshakeSummary, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	if status != api.HandshakeStatusAccepted && status != api.HandshakeStatusRejected {
		return nil, invalidField("status", "The receiver answers ACCEPTED or REJECTED.")
	}
	var out api.ChannelHandshakeSummary
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := s.expireHandshakes(ctx, tx, catalog); err != nil {
			return err
		}
		d, err := anyHandshake(ctx, tx, catalog, identifier)
		if err != nil {
			return err
		}
		h, err := s.settle(ctx, tx, d, status)
		if err != nil {
			return err
		}
		out = h.summary()
		return nil
	})
	return &out, err
}

// Handshake reads any handshake, for the AWS side.
func (s *Service) Handshake(ctx context.Context, catalog, identifier string) (*api.ChannelHandshakeSummary, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	if err := s.expireBeforeRead(ctx, catalog); err != nil {
		return nil, err
	}
	d, err := anyHandshake(ctx, s.store, catalog, identifier)
	if err != nil {
		return nil, err
	}
	out := d.Value.summary()
	return &out, nil
}
