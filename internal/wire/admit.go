package wire

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cosell/cosell/internal/smithy"
)

// Call is what an Admit function learns of a request: which operation of
// which service, for which verified account.
type Call struct {
	Service   *smithy.Service
	Operation string
	Account   string
}

// Fault is an error a request is made to fail with whatever it asked, for
// fault injection. An Admit function returns it; the endpoint writes it in
// the service's own error encoding, so SDKs raise the modelled exception
// class when Code names one of the service's exceptions.
type Fault struct {
	Code    string // exception name, e.g. "ThrottlingException" or "ServiceUnavailable"
	Status  int    // 0: the model's status for a modelled exception, else 500
	Message string // "" for a generic one
}

func (f *Fault) Error() string { return fmt.Sprintf("injected fault %s (%d)", f.Code, f.Status) }

// fromFault shapes an injected fault. A modelled exception gets the
// service's namespace and the members its shape requires (the Account
// API's Reason); any other code is written as AWS's front end writes the
// errors it raises itself, as ServiceUnavailable is.
func fromFault(api *API, f *Fault) *wireError {
	msg := f.Message
	if msg == "" {
		msg = "Injected fault: " + f.Code
	}
	shape := api.Service.ErrorsByName[f.Code]
	if shape == nil {
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		return &wireError{status: status, name: f.Code, namespace: coralNamespace, members: map[string]any{"message": msg}}
	}
	status := f.Status
	if status == 0 {
		status = modelStatus(api.Service, f.Code, http.StatusInternalServerError)
	}
	messageKey, reasonKey := api.Errors.memberNames()
	members := map[string]any{messageKey: msg}
	if reason := reasonFor(shape, reasonKey, ""); reason != "" {
		members[reasonKey] = reason
	}
	return &wireError{status: status, name: f.Code, namespace: api.Errors.namespace(api.Service), members: members}
}

// admit runs Options.Admit for a request about to be handled.
func (h *Endpoint) admit(ctx context.Context, x *exchange) error {
	if h.opts.Admit == nil {
		return nil
	}
	return h.opts.Admit(ctx, Call{Service: x.api.Service, Operation: x.op, Account: x.account})
}

// asFault finds an injected fault in err.
func asFault(err error) (*Fault, bool) {
	var f *Fault
	ok := errors.As(err, &f)
	return f, ok
}
