package admin

import (
	"context"
	"net/http"
	"time"
)

// Mailbox is the log of the email verification codes the Account API
// would have emailed; the server adapts the Account domain to it.
type Mailbox interface {
	// SentCodes is the newest code sent to each address, newest first.
	SentCodes(ctx context.Context) ([]SentCode, error)
}

// SentCode is one address's newest code.
type SentCode struct {
	Email     string    `json:"email"`
	Code      string    `json:"code"`
	Account   string    `json:"account"` // the account that asked for it
	SentAt    time.Time `json:"sentAt"`
	ExpiresAt time.Time `json:"expiresAt"`
	Used      bool      `json:"used"`
}

// mailState is the answer of GET /_cosell/mail.
type mailState struct {
	Codes []SentCode `json:"codes"`
}

// getMail answers GET /_cosell/mail: what a test would otherwise read from
// an inbox.
func getMail(m Mailbox) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		codes, err := m.SentCodes(r.Context())
		if err != nil {
			writeError(w, http.StatusInternalServerError, "read the mail log: "+err.Error())
			return
		}
		writeJSON(w, http.StatusOK, mailState{Codes: codes})
	}
}
