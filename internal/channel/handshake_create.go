package channel

import (
	"context"
	"strconv"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// Handshake limits (semantics-2026 §4.4), the same in both catalogs:
// PENDING handshakes an account may have open per type, and handshakes of
// a type an account may send the same receiver in a day, counted over the
// last 24 hours of the server clock (a rolling day, as the Selling API's
// daily quotas are).
var maxActiveHandshakes = map[api.HandshakeType]int{
	api.HandshakeTypeProgramManagementAccount: 100,
	api.HandshakeTypeStartServicePeriod:       200,
	api.HandshakeTypeRevokeServicePeriod:      200,
}

const (
	maxHandshakesPerReceiverPerDay = 5
	handshakeDay                   = 24 * time.Hour
)

// CreateChannelHandshake asks another account's consent: to a PMA
// (PROGRAM_MANAGEMENT_ACCOUNT, on a pma-) or to starting or ending a
// service period (on a rs-, with the matching payload).
func (s *Service) CreateChannelHandshake(ctx context.Context, account string, in *api.CreateChannelHandshakeRequest) (*api.CreateChannelHandshakeResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	return once(ctx, s, account, in.Catalog, "CreateChannelHandshake", in.ClientToken, in, func(tx store.Tx) (*api.CreateChannelHandshakeResponse, error) {
		if err := s.expireHandshakes(ctx, tx, in.Catalog); err != nil {
			return nil, err
		}
		now := s.now()
		id := docstore.NewID("ch-", 13)
		h := &handshakeRecord{
			Id: id, Arn: s.arn(account, in.Catalog, "channel-handshake/"+id), Catalog: in.Catalog, Type: in.HandshakeType,
			Owner: account, Status: api.HandshakeStatusPending, CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(handshakeLifetime),
		}
		var err error
		if in.HandshakeType == api.HandshakeTypeProgramManagementAccount {
			err = s.addressPMAHandshake(ctx, tx, h, in)
		} else {
			err = s.addressPeriodHandshake(ctx, tx, h, in)
		}
		if err != nil {
			return nil, err
		}
		if h.Receiver == h.Sender {
			msg := "The handshake would go from account " + h.Sender + " to itself; its receiver must be another AWS account."
			return nil, apierr.BusinessInvalid(msg, apierr.FieldError{FieldName: "associatedResourceIdentifier", Code: apierr.CodeInvalidValue, Message: msg})
		}
		if err := s.checkHandshakeLimits(ctx, tx, h); err != nil {
			return nil, err
		}
		if err := saveHandshake(ctx, tx, docstore.Doc[handshakeRecord]{Value: h}); err != nil {
			return nil, err
		}
		if err := putTags(ctx, tx, account, h.Arn, in.Tags); err != nil {
			return nil, err
		}
		if err := s.emitHandshake(ctx, tx, h, eventHandshakeCreated, h.Receiver); err != nil {
			return nil, err
		}
		return &api.CreateChannelHandshakeResponse{ChannelHandshakeDetail: &api.CreateChannelHandshakeDetail{Id: &h.Id, Arn: &h.Arn}}, nil
	})
}

// addressPMAHandshake fills a PROGRAM_MANAGEMENT_ACCOUNT handshake: from
// the PMA's owner to its management account, about a PMA not yet ACTIVE
// and without another pending handshake. It takes no payload.
func (s *Service) addressPMAHandshake(ctx context.Context, r store.Reader, h *handshakeRecord, in *api.CreateChannelHandshakeRequest) error {
	if in.Payload != nil {
		return invalidField("payload", "A PROGRAM_MANAGEMENT_ACCOUNT handshake takes no payload.")
	}
	if !strings.HasPrefix(idOf(in.AssociatedResourceIdentifier), "pma-") {
		return invalidField("associatedResourceIdentifier", "A PROGRAM_MANAGEMENT_ACCOUNT handshake is about a program management account (pma-...).")
	}
	d, err := ownPMA(ctx, r, h.Owner, in.Catalog, in.AssociatedResourceIdentifier)
	if err != nil {
		return err
	}
	pma := d.Value
	if pma.Status == api.ProgramManagementAccountStatusActive {
		return apierr.Conflict("Program management account %s is already ACTIVE.", pma.Id).About(resourcePMA, pma.Id)
	}
	if err := refusePendingOfType(ctx, r, h.Catalog, pma.Id, h.Type); err != nil {
		return err
	}
	h.AssociatedResourceId, h.PMAId, h.Program = pma.Id, pma.Id, pma.Program
	h.Sender, h.SenderDisplayName, h.Receiver = h.Owner, s.displayName(h.Owner), pma.AccountId
	return nil
}

// addressPeriodHandshake fills a START_ or REVOKE_SERVICE_PERIOD handshake:
// about one of the owner's relationships under an ACTIVE PMA, from the
// PMA's management account to the relationship's associated account. A
// start needs the relationship out of a service period, a revoke in one.
func (s *Service) addressPeriodHandshake(ctx context.Context, r store.Reader, h *handshakeRecord, in *api.CreateChannelHandshakeRequest) error {
	var pmaIdentifier string
	var note *string
	start := h.Type == api.HandshakeTypeStartServicePeriod
	switch p := in.Payload; {
	case start && (p == nil || p.StartServicePeriodPayload == nil):
		return invalidField("payload", "A START_SERVICE_PERIOD handshake needs payload.startServicePeriodPayload.")
	case !start && (p == nil || p.RevokeServicePeriodPayload == nil):
		return invalidField("payload", "A REVOKE_SERVICE_PERIOD handshake needs payload.revokeServicePeriodPayload.")
	case start:
		pmaIdentifier, note = p.StartServicePeriodPayload.ProgramManagementAccountIdentifier, p.StartServicePeriodPayload.Note
	default:
		pmaIdentifier, note = p.RevokeServicePeriodPayload.ProgramManagementAccountIdentifier, p.RevokeServicePeriodPayload.Note
	}
	if !strings.HasPrefix(idOf(in.AssociatedResourceIdentifier), "rs-") {
		return invalidField("associatedResourceIdentifier", "A service period handshake is about a relationship (rs-...).")
	}
	pd, err := ownPMA(ctx, r, h.Owner, in.Catalog, pmaIdentifier)
	if err != nil {
		return err
	}
	pma := pd.Value
	rd, err := ownRelationship(ctx, r, h.Owner, in.Catalog, in.AssociatedResourceIdentifier, nil)
	if err != nil {
		return err
	}
	rel := rd.Value
	payloadField := "payload.revokeServicePeriodPayload.programManagementAccountIdentifier"
	if start {
		payloadField = "payload.startServicePeriodPayload.programManagementAccountIdentifier"
	}
	if rel.PMAId != pma.Id {
		return invalidField(payloadField, "Relationship "+rel.Id+" is under program management account "+rel.PMAId+", not "+pma.Id+".")
	}
	if pma.Status != api.ProgramManagementAccountStatusActive {
		return pmaNotActive(pma, payloadField)
	}
	if err := refusePendingOfType(ctx, r, h.Catalog, rel.Id, h.Type); err != nil {
		return err
	}
	if start {
		if rel.Period != nil {
			return apierr.Conflict("Relationship %s is already in a service period.", rel.Id).About(resourceRelationship, rel.Id)
		}
		period, err := startPeriod(in.Payload.StartServicePeriodPayload, h.CreatedAt)
		if err != nil {
			return err
		}
		h.Period = period
	} else {
		if rel.Period == nil {
			msg := "Relationship " + rel.Id + " is not in a service period; there is nothing to revoke."
			return apierr.BusinessInvalid(msg, apierr.FieldError{FieldName: "associatedResourceIdentifier", Code: apierr.CodeInvalidResourceState, Message: msg})
		}
		p := *rel.Period
		h.Period = &periodDetail{Type: p.Type, MinimumNoticeDays: p.MinimumNoticeDays, StartDate: p.StartDate, EndDate: p.EndDate}
	}
	h.Period.Note = note
	h.AssociatedResourceId, h.PMAId = rel.Id, pma.Id
	h.Sender, h.SenderDisplayName, h.Receiver = pma.AccountId, pma.DisplayName, rel.AssociatedAccountId
	return nil
}

// startPeriod checks a START_SERVICE_PERIOD payload and says when the
// period would start. A minimum notice period needs minimumNoticeDays (a
// positive number) and no endDate; a fixed commitment needs an endDate
// after the start and no minimumNoticeDays. The period starts at the next
// midnight UTC after the handshake is created, as in AWS's event example
// (created 2025-02-01T00:00:00Z, startDate 2025-02-02T00:00:00Z); AWS
// documents no rule.
func startPeriod(p *api.StartServicePeriodPayload, created time.Time) (*periodDetail, error) {
	const base = "payload.startServicePeriodPayload."
	startDate := created.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	d := &periodDetail{Type: p.ServicePeriodType, StartDate: startDate}
	switch p.ServicePeriodType {
	case api.ServicePeriodTypeMinimumNoticePeriod:
		if p.MinimumNoticeDays == nil {
			return nil, missingField(base+"minimumNoticeDays", "A MINIMUM_NOTICE_PERIOD needs minimumNoticeDays.")
		}
		if n, err := strconv.Atoi(*p.MinimumNoticeDays); err != nil || n < 1 {
			return nil, invalidField(base+"minimumNoticeDays", "minimumNoticeDays must be a whole number of days, at least 1.")
		}
		if p.EndDate != nil {
			return nil, invalidField(base+"endDate", "A MINIMUM_NOTICE_PERIOD has no endDate; it runs until revoked with notice.")
		}
		d.MinimumNoticeDays = p.MinimumNoticeDays
	case api.ServicePeriodTypeFixedCommitmentPeriod:
		if p.EndDate == nil {
			return nil, missingField(base+"endDate", "A FIXED_COMMITMENT_PERIOD needs an endDate.")
		}
		if !p.EndDate.After(startDate) {
			return nil, invalidField(base+"endDate", "endDate must be after the period's start, "+startDate.Format(time.RFC3339)+".")
		}
		if p.MinimumNoticeDays != nil {
			return nil, invalidField(base+"minimumNoticeDays", "A FIXED_COMMITMENT_PERIOD has no minimumNoticeDays; it ends on its endDate.")
		}
		end := p.EndDate.UTC()
		d.EndDate = &end
	}
	return d, nil
}

// refusePendingOfType is a ConflictException when a handshake of type t
// about the resource is already PENDING.
func refusePendingOfType(ctx context.Context, r store.Reader, catalog, resourceID string, t api.HandshakeType) error {
	pending, _, err := docstore.List[handshakeRecord](ctx, r, store.DocumentQuery{Kind: kindHandshake, Catalog: catalog, Limit: 1,
		Match: map[string][]string{"resource": {resourceID}, "status": {string(api.HandshakeStatusPending)}, "type": {string(t)}}})
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return apierr.Conflict("Handshake %s of type %s about %s is already pending.", pending[0].Id, t, resourceID).About(resourceHandshake, pending[0].Id)
	}
	return nil
}

// checkHandshakeLimits refuses a handshake past the owner's limits: the
// PENDING handshakes of its type, and those of its type sent to the same
// receiver in the last 24 hours of the server clock, whatever became of
// them.
func (s *Service) checkHandshakeLimits(ctx context.Context, r store.Reader, h *handshakeRecord) error {
	limit := maxActiveHandshakes[h.Type]
	open, err := countDocs(ctx, r, kindHandshake, h.Catalog, map[string][]string{
		"owner": {h.Owner}, "type": {string(h.Type)}, "status": {string(api.HandshakeStatusPending)}}, limit)
	if err != nil {
		return err
	}
	if open >= limit {
		return quotaExceeded(resourceHandshake, h.Owner, quotaActiveHandshakes, "Account %s has %d pending %s handshakes, the most allowed.", h.Owner, limit, h.Type)
	}
	latest, _, err := docstore.List[handshakeRecord](ctx, r, store.DocumentQuery{Kind: kindHandshake, Catalog: h.Catalog, Descending: true,
		Limit: maxHandshakesPerReceiverPerDay, Match: map[string][]string{"route": {routeKey(h.Owner, h.Type, h.Receiver)}}})
	if err != nil {
		return err
	}
	if len(latest) == maxHandshakesPerReceiverPerDay && h.CreatedAt.Sub(latest[maxHandshakesPerReceiverPerDay-1].CreatedAt) < handshakeDay {
		return quotaExceeded(resourceHandshake, h.Receiver, quotaHandshakesPerDay,
			"Account %s has sent account %s %d %s handshakes in the last 24 hours, the most allowed.", h.Owner, h.Receiver, maxHandshakesPerReceiverPerDay, h.Type)
	}
	return nil
}

// displayName is how a handshake names an account of the server: its
// company name, else its id.
func (s *Service) displayName(account string) string {
	if n := s.names[account]; n != "" {
		return n
	}
	return account
}

func invalidField(field, msg string) error {
	return apierr.RequestInvalid(apierr.FieldError{FieldName: field, Code: apierr.CodeInvalidValue, Message: msg})
}

func missingField(field, msg string) error {
	return apierr.RequestInvalid(apierr.FieldError{FieldName: field, Code: apierr.CodeRequiredFieldMissing, Message: msg})
}
