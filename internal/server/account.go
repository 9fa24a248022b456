package server

import (
	"context"

	"github.com/cosell/cosell/internal/account"
	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/wire"
)

// registerAccount is the one place the Account domain joins the server.
// Operations left without a handler answer NotImplementedException.
func registerAccount(api *wire.API, d *deps) error {
	companies := make(map[string]string, len(d.accounts))
	for _, a := range d.accounts {
		companies[a.AccountID] = a.CompanyName
	}
	svc := account.New(account.Config{Store: d.store, Clock: d.cfg.Clock, Region: d.cfg.Region, TokenKey: d.tokenKey, Accounts: companies, Mail: d.cfg.Mail, Logger: d.cfg.Logger})
	d.mail = mailLog{svc}
	d.aws.account = svc
	return addHandlers(api,
		partnerHandlers(svc),
		connectionHandlers(svc),
		profileHandlers(svc),
	)
}

// partnerHandlers serve partners, verification, email codes, the alliance
// lead, training domains and tags.
func partnerHandlers(svc *account.Service) map[string]wire.Handler {
	return map[string]wire.Handler{
		"SendEmailVerificationCode": bind(svc.SendEmailVerificationCode),
		"CreatePartner":             bind(svc.CreatePartner),
		"GetPartner":                bind(svc.GetPartner),
		"ListPartners":              bind(svc.ListPartners),
		"StartVerification":         bind(svc.StartVerification),
		"GetVerification":           bind(svc.GetVerification),
		"GetAllianceLeadContact":    bind(svc.GetAllianceLeadContact),
		"PutAllianceLeadContact":    bind(svc.PutAllianceLeadContact),
		"AssociateAwsTrainingCertificationEmailDomain":    bind(svc.AssociateAwsTrainingCertificationEmailDomain),
		"DisassociateAwsTrainingCertificationEmailDomain": bind(svc.DisassociateAwsTrainingCertificationEmailDomain),
		"TagResource":         bind(svc.TagResource),
		"UntagResource":       bind(svc.UntagResource),
		"ListTagsForResource": bind(svc.ListTagsForResource),
	}
}

// mailLog shows the admin API the codes the Account API "emailed".
type mailLog struct{ svc *account.Service }

func (m mailLog) SentCodes(ctx context.Context) ([]admin.SentCode, error) {
	codes, err := m.svc.SentCodes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]admin.SentCode, len(codes))
	for i, c := range codes {
		out[i] = admin.SentCode(c)
	}
	return out, nil
}
