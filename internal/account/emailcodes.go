package account

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// AWS does not document how long a code stays valid; a day matches the
// daily sending quota, so a partner never holds more than a day's codes.
const emailCodeLifetime = 24 * time.Hour

// maxEmailCodesPerDay is the documented quota of codes per email address
// per day (AWS catalog; the Sandbox sends none). Like the Selling quotas,
// the day is a rolling 24 hours.
const maxEmailCodesPerDay = 5

// emailCodeSubject is the subject of the email carrying a code.
const emailCodeSubject = "Your AWS Partner Central verification code"

// emailCodeRecord is one code "sent" to an address. Real AWS emails it;
// cosell keeps it as the mail log tests and the admin API read.
type emailCodeRecord struct {
	Id        string     `json:"id"`
	Email     string     `json:"email"` // lowercased: addresses are matched case-insensitively
	Code      string     `json:"code"`
	Account   string     `json:"account"` // who asked for it
	SentAt    time.Time  `json:"sentAt"`
	ExpiresAt time.Time  `json:"expiresAt"`
	UsedAt    *time.Time `json:"usedAt,omitempty"`
}

func (c *emailCodeRecord) DocID() string         { return c.Id }
func (c *emailCodeRecord) DocCreated() time.Time { return c.SentAt }
func (c *emailCodeRecord) DocKeys() map[string][]string {
	return map[string][]string{"email": {c.Email}}
}

// SendEmailVerificationCode "emails" a six-digit code to an address: it
// keeps the code in the mail log and, when a mail.Sender is configured,
// also emails it. In the Sandbox email verification is disabled and nothing
// is sent.
func (s *Service) SendEmailVerificationCode(ctx context.Context, account string, in *api.SendEmailVerificationCodeRequest) (*api.SendEmailVerificationCodeResponse, error) {
	if in.Catalog == CatalogSandbox {
		return &api.SendEmailVerificationCodeResponse{}, nil
	}
	now := s.now()
	email := strings.ToLower(in.Email)
	var code string
	err := s.store.Update(ctx, func(tx store.Tx) error {
		recent, _, err := docstore.List[emailCodeRecord](ctx, tx, codesOf(email, maxEmailCodesPerDay))
		if err != nil {
			return err
		}
		if len(recent) == maxEmailCodesPerDay && recent[maxEmailCodesPerDay-1].SentAt.After(now.Add(-24*time.Hour)) {
			return apierr.QuotaExceeded("At most %d verification codes can be sent to an email address per day.", maxEmailCodesPerDay).
				WithReason(string(api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfEmail))
		}
		code, err = sixDigits()
		if err != nil {
			return err
		}
		rec := &emailCodeRecord{Id: docstore.NewID("mail-", 13), Email: email, Code: code, Account: account, SentAt: now, ExpiresAt: now.Add(emailCodeLifetime)}
		_, err = docstore.Put(ctx, tx, kindEmailCode, CatalogAWS, rec, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.deliverCode(ctx, account, in.Email, code)
	return &api.SendEmailVerificationCodeResponse{}, nil
}

// deliverCode emails a code the mail log already holds, after its
// transaction has committed, so no store transaction waits on the network.
// A failure only logs a warning: AWS accepts the request and delivers the
// email asynchronously, so a bounce never fails SendEmailVerificationCode,
// and the code can still be read from the mail log.
func (s *Service) deliverCode(ctx context.Context, account, to, code string) {
	if s.mail == nil {
		return
	}
	body := fmt.Sprintf("Your AWS Partner Central email verification code is %s.\n\n"+
		"It was requested by account %s and expires in %d hours.\n", code, account, int(emailCodeLifetime.Hours()))
	if err := s.mail.Send(ctx, to, emailCodeSubject, body); err != nil {
		s.logger.WarnContext(ctx, "email verification code not delivered; it stays in the mail log", "to", to, "account", account, "err", err)
	}
}

// codesOf selects the newest codes sent to an address.
func codesOf(email string, n int) store.DocumentQuery {
	return store.DocumentQuery{Kind: kindEmailCode, Catalog: CatalogAWS, Match: map[string][]string{"email": {email}}, Descending: true, Limit: n}
}

func sixDigits() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("account: email code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// consumeEmailCode checks the code given for an address and uses it up.
// Only the newest code sent to the address counts — sending another
// replaces the previous one, as one-time codes usually work (AWS does not
// say). In the Sandbox any six digits pass (the wire layer has checked the
// form). field names the request member for the error.
func (s *Service) consumeEmailCode(ctx context.Context, tx store.Tx, catalog, email, code, field string) error {
	if catalog == CatalogSandbox {
		return nil
	}
	now := s.now()
	found, _, err := docstore.List[emailCodeRecord](ctx, tx, codesOf(strings.ToLower(email), 1))
	if err != nil {
		return err
	}
	if len(found) == 0 || found[0].Code != code || found[0].UsedAt != nil || !now.Before(found[0].ExpiresAt) {
		return apierr.RequestInvalid(apierr.FieldError{FieldName: field, Code: apierr.CodeInvalidValue,
			Message: "The email verification code is wrong, expired or already used; request a new one with SendEmailVerificationCode."})
	}
	d, err := docstore.Get[emailCodeRecord](ctx, tx, kindEmailCode, CatalogAWS, found[0].Id, func() error { return fmt.Errorf("account: email code %s vanished", found[0].Id) })
	if err != nil {
		return err
	}
	d.Value.UsedAt = &now
	_, err = docstore.Put(ctx, tx, kindEmailCode, CatalogAWS, d.Value, d.Version)
	return err
}

// SentCode is one entry of the mail log: the newest code sent to an
// address. Its fields match admin.SentCode, so the server converts one to
// the other without the admin API importing this package.
type SentCode struct {
	Email     string    `json:"email"`
	Code      string    `json:"code"`
	Account   string    `json:"account"`
	SentAt    time.Time `json:"sentAt"`
	ExpiresAt time.Time `json:"expiresAt"`
	Used      bool      `json:"used"`
}

// SentCodes is the mail log: the newest code for every address, newest
// first. It reads the whole log, which is fine for the test tool it serves.
func (s *Service) SentCodes(ctx context.Context) ([]SentCode, error) {
	all, _, err := docstore.List[emailCodeRecord](ctx, s.store, store.DocumentQuery{Kind: kindEmailCode, Catalog: CatalogAWS, Descending: true})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []SentCode{}
	for _, c := range all {
		if seen[c.Email] {
			continue
		}
		seen[c.Email] = true
		out = append(out, SentCode{Email: c.Email, Code: c.Code, Account: c.Account, SentAt: c.SentAt, ExpiresAt: c.ExpiresAt, Used: c.UsedAt != nil})
	}
	return out, nil
}
