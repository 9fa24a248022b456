package server

import (
	"net/http"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/console"
)

// mountConsole serves the web console under /console/ and sends browsers
// that open "/" there; aws keeps every other request to "/". Without an
// admin token the console only says how to turn it on.
func mountConsole(mux *http.ServeMux, d *deps, ctl *controls, s *Server, aws http.Handler) error {
	cfg := console.Config{Token: d.cfg.AdminToken, Region: d.cfg.Region, Accounts: d.accounts, Logger: d.cfg.Logger}
	if cfg.Token != "" {
		// mountAdmin has already refused a clock the admin API cannot move.
		cfg.Clock, _ = d.cfg.Clock.(admin.Clock)
		cfg.Selling, cfg.Aws = d.aws.selling, d.aws
		cfg.Events, cfg.Outbox, cfg.Queues = s.events, d.store, s.sqs
		cfg.Faults, cfg.Reset, cfg.Quotas = ctl.faults, ctl, ctl
		cfg.Exchange, cfg.Objects = s.ace, s.ace.buckets
		if ch := d.aws.channelRoutes(); ch != nil {
			cfg.Channel, cfg.ChannelSide = d.aws.channel, ch
		}
		if d.aws.benefits != nil {
			cfg.Benefits, cfg.BenefitsSide = d.aws.benefits, benefitsSide{d.aws.benefits}
		}
		if rs := d.aws.revenueRoutes(); rs != nil {
			cfg.Revenue, cfg.RevenueSide = d.aws.revenue, rs
		}
	}
	return console.Mount(mux, cfg, aws)
}
