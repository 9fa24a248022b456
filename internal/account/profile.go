package account

import (
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
)

// The partner profile is the public face of a partner: its content
// (display name, description, website, logo, segments, localized copies)
// and whether it is PUBLIC. The content changes only through profile
// update tasks (profile_task*.go); visibility is set on its own
// (profile_visibility.go).
//
// How this fits semantics §7.2: AWS's Sandbox guide says to run
// StartProfileUpdateTask after CreatePartner before a partner can be a
// connection target, because AWS publishes a profile only once its content
// has been reviewed. cosell gives every partner its ProfileId at
// CreatePartner, so a connection invitation can always address it; the
// first update task is what fills the profile with reviewed content. The
// two therefore agree: the id exists from registration, the content from
// the first SUCCEEDED task.

// quotaWindow is the rolling window of the Account API's daily quotas
// (semantics §5.3; the Selling API documents its daily quotas as a
// rolling 24 hours, and nothing says the Account API differs).
const quotaWindow = 24 * time.Hour

// dailyQuotaExceeded is the error for a profile quota (update tasks or
// visibility changes per day): ServiceQuotaExceededException with the
// quota's Reason, as the model has listed for both operations since
// 2026-05 (semantics-2026 §2.2).
func dailyQuotaExceeded(what string, limit int, reason api.ServiceQuotaExceededExceptionReason) error {
	return apierr.QuotaExceeded("You have reached the quota of %d %s per day; try again later.", limit, what).WithReason(string(reason))
}

// profileID is the partner's public profile id. Every partner gets one at
// registration; a record without one is reported as AWS would report a
// partner whose profile does not exist.
func profileID(p *partnerRecord) (string, error) {
	if p.Profile.ProfileId == nil {
		return "", apierr.NotFound("Partner %s has no profile.", p.Id).WithReason(string(api.ResourceNotFoundExceptionReasonPartnerProfileNotFound))
	}
	return *p.Profile.ProfileId, nil
}
