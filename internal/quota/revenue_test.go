package quota

import (
	"testing"

	"github.com/cosell/cosell/internal/apierr"
)

func TestRevenueMeasurementClasses(t *testing.T) {
	const revenue = "PartnerCentralRevenueMeasurement"
	for op, rate := range map[string]int{"GetRevenueAttribution": 50, "ListMarketplaceRevenueShares": 10, "TagResource": 2, "StartRevenueAttributionAllocationsTask": 1} {
		l, _, _ := newLimiter()
		admitted := 0
		for range rate + 3 {
			switch err := l.Allow("111111111111", revenue, op); {
			case err == nil:
				admitted++
			case !apierr.Is(err, apierr.KindThrottling):
				t.Fatalf("%s: %v", op, err)
			}
		}
		if admitted != rate {
			t.Errorf("%s: %d of a burst admitted, want %d", op, admitted, rate)
		}
	}
	// The Selling API's TagResource is not Revenue Measurement's.
	if ClassOf(selling, "TagResource") != nil || ClassOf(revenue, "TagResource") != &RevenueWrite {
		t.Error("classes leak between services")
	}
}
