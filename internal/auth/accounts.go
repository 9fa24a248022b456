// Package auth knows the partner accounts cosell serves and verifies AWS
// Signature Version 4 on incoming requests, answering failures with the
// errors AWS JSON services give.
package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
)

// Account is one partner account and the single long-term credential that
// signs as it.
type Account struct {
	AccountID       string `json:"accountId"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	CompanyName     string `json:"companyName"`
	// SpmsID is the partner id the ACE file exchange names the account's
	// S3 buckets with; optional (the server derives one).
	SpmsID string `json:"spmsId,omitempty"`
}

// Accounts is an immutable set of accounts, looked up by access key id.
type Accounts struct {
	list  []Account
	byKey map[string]*Account
}

// DefaultAccounts are the two accounts cosell serves when no accounts file
// is given: two partners, so cross-account behaviour (sharing, invitations,
// tenancy) can be tried without any setup.
func DefaultAccounts() *Accounts {
	a, err := NewAccounts([]Account{
		{AccountID: "111111111111", AccessKeyID: "test", SecretAccessKey: "test", CompanyName: "Example Partner One"},
		{AccountID: "222222222222", AccessKeyID: "test2", SecretAccessKey: "test2", CompanyName: "Example Partner Two"},
	})
	if err != nil {
		panic(err) // the literal above is valid; a failure here is a programming error
	}
	return a
}

// accountsFile is the on-disk form: {"accounts":[{...}, ...]}.
type accountsFile struct {
	Accounts []Account `json:"accounts"`
}

// LoadAccounts reads an accounts file. Errors name the file and the entry.
func LoadAccounts(path string) (*Accounts, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("accounts file: %w", err)
	}
	var f accountsFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a typo such as "secretKey" must not silently leave a field empty
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("accounts file %s: not valid JSON of the form {\"accounts\":[{\"accountId\",\"accessKeyId\",\"secretAccessKey\",\"companyName\"}]}: %w", path, err)
	}
	a, err := NewAccounts(f.Accounts)
	if err != nil {
		return nil, fmt.Errorf("accounts file %s: %w", path, err)
	}
	return a, nil
}

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// NewAccounts validates list and indexes it: 12-digit account ids, unique
// ids and access keys, non-empty secrets.
func NewAccounts(list []Account) (*Accounts, error) {
	if len(list) == 0 {
		return nil, errors.New("no accounts: at least one account is required")
	}
	a := &Accounts{list: append([]Account(nil), list...), byKey: make(map[string]*Account, len(list))}
	ids := make(map[string]bool, len(list))
	for i := range a.list {
		acc := &a.list[i]
		where := fmt.Sprintf("account #%d (%q)", i+1, acc.AccountID)
		switch {
		case !accountIDPattern.MatchString(acc.AccountID):
			return nil, fmt.Errorf("%s: accountId must be exactly 12 digits", where)
		case ids[acc.AccountID]:
			return nil, fmt.Errorf("%s: accountId is listed twice", where)
		case acc.AccessKeyID == "":
			return nil, fmt.Errorf("%s: accessKeyId is empty", where)
		case a.byKey[acc.AccessKeyID] != nil:
			return nil, fmt.Errorf("%s: accessKeyId %q is already used by account %s", where, acc.AccessKeyID, a.byKey[acc.AccessKeyID].AccountID)
		case acc.SecretAccessKey == "":
			return nil, fmt.Errorf("%s: secretAccessKey is empty", where)
		}
		ids[acc.AccountID] = true
		a.byKey[acc.AccessKeyID] = acc
	}
	return a, nil
}

// ByAccessKey returns the account an access key id belongs to.
func (a *Accounts) ByAccessKey(accessKeyID string) (Account, bool) {
	acc, ok := a.byKey[accessKeyID]
	if !ok {
		return Account{}, false
	}
	return *acc, true
}

// List returns the accounts in file order.
func (a *Accounts) List() []Account { return append([]Account(nil), a.list...) }
