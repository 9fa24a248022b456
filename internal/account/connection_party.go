package account

import (
	api "github.com/cosell/cosell/api/account"
)

// party is one side of a connection or an invitation, as known when the
// invitation was sent: the account and its partner's public profile.
type party struct {
	Account   string `json:"account"`
	ProfileId string `json:"profileId,omitempty"`
	Name      string `json:"name"`
}

// partyOf describes a partner as a connection participant. Its name is the
// public profile's display name, else the legal name it registered with.
func partyOf(p *partnerRecord) party {
	name := p.Profile.DisplayName
	if name == "" {
		name = p.LegalName
	}
	return party{Account: p.Account, ProfileId: textOf(p.Profile.ProfileId), Name: name}
}

// identifier is how the party is addressed for a connection type: by its
// public profile for collaboration, by its AWS account for subsidiaries
// (the two kinds of ReceiverIdentifier CreateConnectionInvitation takes).
func (p party) identifier(t api.ConnectionType) string {
	if t == api.ConnectionTypeOpportunityCollaboration && p.ProfileId != "" {
		return p.ProfileId
	}
	return p.Account
}

// participant is the party as the model's Participant union: a partner
// profile for collaboration, an account for subsidiaries.
func (p party) participant(t api.ConnectionType) api.Participant {
	if t == api.ConnectionTypeOpportunityCollaboration && p.ProfileId != "" {
		return api.Participant{PartnerProfile: &api.PartnerProfileSummary{Id: p.ProfileId, Name: p.Name}}
	}
	return api.Participant{Account: &api.AccountSummary{Name: p.Name}}
}

// pairKey names the unordered pair of two accounts.
func pairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "|" + b
}

// peerKeys index a two-party document for "the other participant is one
// of these identifiers" filters: "A>x" for each identifier x of B, and the
// other way round, so a caller's filter never matches its own ids.
func peerKeys(a, b party) []string {
	var keys []string
	for _, side := range [][2]party{{a, b}, {b, a}} {
		self, other := side[0], side[1]
		keys = append(keys, self.Account+">"+other.Account)
		if other.ProfileId != "" {
			keys = append(keys, self.Account+">"+other.ProfileId)
		}
	}
	return keys
}

// peerFilter is the "peer" key values matching account's other participant
// among ids; nil when ids is empty (no filter).
func peerFilter(account string, ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = account + ">" + id
	}
	return keys
}

func textOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
