package benefits

import (
	"testing"

	"github.com/cosell/cosell/internal/apierr"
)

// FuzzCheckDetails feeds arbitrary BenefitApplicationDetails to every
// seeded benefit's schema, as a draft and as a submission: the answer is
// always details to store or a ValidationException, never a panic, and
// stored details decode again as an object.
func FuzzCheckDetails(f *testing.F) {
	f.Add([]byte(pocDetails))
	f.Add([]byte(`{"AccountId":12,"MigrationWorkloads":[1,{}],"Seats":1.5,"AdminEmail":"x@","StartDate":"2026-13-01"}`))
	f.Add([]byte(`{"IsvWmpSecondTrancheConsentCaptured":"yes","EstimatedArr":-1e400}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	benefits := seedCatalog(CatalogSandbox)
	f.Fuzz(func(t *testing.T, data []byte) {
		for i := range benefits {
			for _, complete := range []bool{false, true} {
				stored, err := checkDetails(&benefits[i], data, complete)
				if err != nil {
					if e, ok := apierr.As(err); !ok || e.Kind != apierr.KindValidation {
						t.Fatalf("%s: %v, want a ValidationException", benefits[i].Name, err)
					}
					continue
				}
				if _, err := decodeDetails(stored); err != nil {
					t.Fatalf("stored details %s: %v", stored, err)
				}
			}
		}
	})
}
