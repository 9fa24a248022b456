package faults

// LocalStackRule is a rule in the format of LocalStack's Chaos API
// (/_localstack/chaos/faults), so tools written for LocalStack work
// unchanged. cosell's own fields (account, latency) ride along, so a rule
// set through either API reads back whole through both.
type LocalStackRule struct {
	Service     string           `json:"service,omitempty"`
	Region      string           `json:"region,omitempty"`
	Operation   string           `json:"operation,omitempty"`
	Probability *float64         `json:"probability,omitempty"`
	Error       *LocalStackError `json:"error,omitempty"`
	Account     string           `json:"account,omitempty"`
	Latency     Duration         `json:"latency,omitempty"`
}

// LocalStackError is the error a LocalStack rule answers with.
type LocalStackError struct {
	StatusCode int    `json:"statusCode,omitempty"`
	Code       string `json:"code,omitempty"`
}

// FromLocalStack converts rules. A rule without an error gets
// LocalStack's default, 503 ServiceUnavailable, unless it carries cosell's
// latency: LocalStack's own rules have none, and a latency-only rule must
// read back from GET and be sent back to DELETE unchanged.
func FromLocalStack(rules []LocalStackRule) []Rule {
	out := make([]Rule, len(rules))
	for i, l := range rules {
		r := Rule{Service: l.Service, Region: l.Region, Operation: l.Operation, Probability: l.Probability,
			Account: l.Account, Latency: l.Latency}
		if l.Error == nil && l.Latency == 0 {
			r.ErrorCode, r.StatusCode = DefaultCode, DefaultStatus
		}
		if l.Error != nil {
			r.ErrorCode, r.StatusCode = l.Error.Code, l.Error.StatusCode
			if r.ErrorCode == "" {
				r.ErrorCode = DefaultCode
			}
			if r.StatusCode == 0 && r.ErrorCode == DefaultCode {
				r.StatusCode = DefaultStatus
			}
		}
		out[i] = r
	}
	return out
}

// ToLocalStack converts rules for LocalStack's GET. A latency-only rule
// has no error block.
func ToLocalStack(rules []Rule) []LocalStackRule {
	out := make([]LocalStackRule, len(rules))
	for i, r := range rules {
		l := LocalStackRule{Service: r.Service, Region: r.Region, Operation: r.Operation, Probability: r.Probability,
			Account: r.Account, Latency: r.Latency}
		if r.ErrorCode != "" {
			l.Error = &LocalStackError{StatusCode: r.StatusCode, Code: r.ErrorCode}
		}
		out[i] = l
	}
	return out
}
