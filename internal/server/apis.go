package server

import (
	"fmt"

	apiaccount "github.com/cosell/cosell/api/account"
	apibenefits "github.com/cosell/cosell/api/benefits"
	apichannel "github.com/cosell/cosell/api/channel"
	apirevenue "github.com/cosell/cosell/api/revenue"
	apiselling "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/smithy"
	"github.com/cosell/cosell/internal/validate"
	"github.com/cosell/cosell/internal/wire"
)

// partnerAPI is one Partner Central API the server serves: its generated
// model, how its exceptions look on the wire, and the registration that
// builds its domain and adds the handlers. This table is the one place a
// new API joins the server (and the README's list of what it lacks: the
// operations without a handler are listed under "### <Title>").
type partnerAPI struct {
	Title    string
	Service  *smithy.Service
	Errors   wire.ErrorStyle
	Register func(*wire.API, *deps) error
}

// partnerAPIs are registered in this order; Account reads nothing from
// Selling, nor Selling from Account, beyond the shared store. Benefits
// reads opportunities through Selling, so it comes after it.
var partnerAPIs = []partnerAPI{
	{Title: "Selling API", Service: apiselling.Service, Errors: wire.SellingErrors, Register: registerSelling},
	{Title: "Account API", Service: apiaccount.Service, Errors: wire.AccountErrors, Register: registerAccount},
	{Title: "Channel API", Service: apichannel.Service, Errors: wire.ChannelErrors, Register: registerChannel},
	{Title: "Revenue Measurement API", Service: apirevenue.Service, Errors: wire.FieldListErrors, Register: registerRevenue},
	{Title: "Benefits API", Service: apibenefits.Service, Errors: wire.BenefitsErrors, Register: registerBenefits},
}

// registerAPIs builds every API's domain on d and returns the wire APIs.
func registerAPIs(d *deps) ([]*wire.API, error) {
	apis := make([]*wire.API, 0, len(partnerAPIs))
	for _, p := range partnerAPIs {
		api := &wire.API{Service: p.Service, Validate: validate.Request, Decode: validate.Decode, Handlers: map[string]wire.Handler{}, Errors: p.Errors}
		if err := p.Register(api, d); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Title, err)
		}
		apis = append(apis, api)
	}
	return apis, nil
}

// signingNames are the signing names of every API, for LocalStack's health.
func signingNames() []string {
	names := make([]string, len(partnerAPIs))
	for i, p := range partnerAPIs {
		names[i] = p.Service.SigningName
	}
	return names
}
