package wire

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/smithy"
	"github.com/cosell/cosell/internal/validate"
)

// realEndpoint serves the generated Selling and Account models with the
// model validator and the given handlers on the Selling side.
func realEndpoint(t testing.TB, sellingHandlers map[string]Handler, decode func(*smithy.Operation, []byte, any) error) *httptest.Server {
	t.Helper()
	verifier := &auth.Verifier{Accounts: auth.DefaultAccounts(), Clock: func() time.Time { return testNow }}
	e, err := NewEndpoint(Options{Verifier: verifier},
		&API{Service: selling.Service, Validate: validate.Request, Decode: decode, Handlers: sellingHandlers, Errors: SellingErrors},
		&API{Service: account.Service, Validate: validate.Request, Handlers: map[string]Handler{}, Errors: AccountErrors},
	)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// Every one of the 71 operations routes both ways and is validated before
// anything else: an empty input either breaks the model (400) or reaches
// the missing handler (501). Nothing answers 5xx otherwise.
func TestEveryModelledOperationRoutes(t *testing.T) {
	srv := realEndpoint(t, map[string]Handler{}, validate.Decode)
	total := 0
	for _, api := range []struct {
		name, signing string
		ops           []string
	}{
		{selling.Service.Name, selling.Service.SigningName, opNames(selling.Service.Operations)},
		{account.Service.Name, account.Service.SigningName, opNames(account.Service.Operations)},
	} {
		for _, op := range api.ops {
			total++
			byTarget := do(t, srv, call{target: api.name + "." + op, body: "{}", signingName: api.signing})
			byPath := do(t, srv, call{path: "/" + op, body: "{}", signingName: api.signing, contentType: "application/json; charset=UTF-8"})
			for _, r := range []response{byTarget, byPath} {
				if r.status != http.StatusBadRequest && r.status != http.StatusNotImplemented {
					t.Errorf("%s.%s: status %d %s", api.name, op, r.status, r.body)
				}
			}
			if byTarget.status != byPath.status || byTarget.json["__type"] != byPath.json["__type"] {
				t.Errorf("%s: target routing %d %v, path routing %d %v", op, byTarget.status, byTarget.json["__type"], byPath.status, byPath.json["__type"])
			}
		}
	}
	if total != 79 {
		t.Fatalf("%d operations, want 45 + 34", total)
	}
}

func opNames[T any](ops map[string]T) []string {
	names := make([]string, 0, len(ops))
	for n := range ops {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Statuses and reasons come from the real models: ServiceQuotaExceeded is
// 402 there, and the Account API's required Reason defaults to the first
// value of each exception's reason enum.
func TestRealModelErrors(t *testing.T) {
	var fail error
	srv := realEndpoint(t, map[string]Handler{
		"GetOpportunity": func(context.Context, []byte) (any, error) { return nil, fail },
	}, validate.Decode)
	cases := []struct {
		err    error
		status int
		name   string
	}{
		{apierr.QuotaExceeded("quota"), 402, "ServiceQuotaExceededException"},
		{apierr.Conflict("stale"), 409, "ConflictException"},
		{apierr.NotFound("gone"), 404, "ResourceNotFoundException"},
		{apierr.AccessDenied("no"), 403, "AccessDeniedException"},
		{apierr.Throttled("slow"), 429, "ThrottlingException"},
	}
	for _, tc := range cases {
		fail = tc.err
		r := do(t, srv, call{target: "AWSPartnerCentralSelling.GetOpportunity", body: `{"Catalog":"Sandbox","Identifier":"O1234567"}`})
		wantError(t, r, tc.status, sellingNS, tc.name, "Message", "")
		if _, ok := r.json["Reason"]; ok {
			t.Errorf("%s: Selling exception got a Reason the domain did not set: %s", tc.name, r.body)
		}
	}

	// The Account API has no handlers, so drive its error shaping directly.
	api := &API{Service: account.Service, Errors: AccountErrors}
	wantReasons := map[apierr.Kind]string{
		apierr.KindAccessDenied:         "ACCESS_DENIED",
		apierr.KindConflict:             "CONFLICT_CLIENT_TOKEN",
		apierr.KindNotFound:             "PARTNER_NOT_FOUND",
		apierr.KindServiceQuotaExceeded: "LIMIT_EXCEEDED_NUMBER_OF_EMAIL",
		apierr.KindValidation:           "REQUEST_VALIDATION_FAILED",
		apierr.KindThrottling:           "", // ThrottlingException has no Reason member
	}
	for kind, want := range wantReasons {
		we, ok := fromDomainError(api, &apierr.Error{Kind: kind, Message: "m"})
		if !ok {
			t.Fatalf("kind %d not mapped", kind)
		}
		got, _ := we.members["Reason"].(string)
		if got != want {
			t.Errorf("%s: Reason %q, want %q", we.name, got, want)
		}
		if we.status != account.Service.ErrorsByName[we.name].Error.HTTPStatus {
			t.Errorf("%s: status %d", we.name, we.status)
		}
	}
}

// Op decodes with the API's decoder: member names are case-exact, so a
// "identifier" beside "Identifier" is an unknown member, not an override.
// encoding/json alone would take the lower-case one.
func TestOpDecodesCaseExact(t *testing.T) {
	handlers := func() map[string]Handler {
		return map[string]Handler{"GetOpportunity": Op(func(_ context.Context, in *selling.GetOpportunityRequest) (*selling.GetOpportunityResponse, error) {
			return &selling.GetOpportunityResponse{Id: in.Identifier}, nil
		})}
	}
	body := `{"Catalog":"Sandbox","Identifier":"O1111111","identifier":"O2222222"}`
	for _, tc := range []struct {
		name   string
		decode func(*smithy.Operation, []byte, any) error
		want   string
	}{
		{"model decoder", validate.Decode, "O1111111"},
		{"encoding/json", nil, "O2222222"},
	} {
		srv := realEndpoint(t, handlers(), tc.decode)
		r := do(t, srv, call{target: "AWSPartnerCentralSelling.GetOpportunity", body: body})
		if r.status != http.StatusOK || r.json["Id"] != tc.want {
			t.Errorf("%s: %d %s, want Id %s", tc.name, r.status, r.body, tc.want)
		}
	}
}
