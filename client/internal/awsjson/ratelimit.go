package awsjson

import (
	"context"
	"fmt"

	"golang.org/x/time/rate"

	"github.com/cosell/cosell/internal/quota"
)

// DefaultRateClasses are the quota classes AWS documents for the service's
// operations (the same table cosell enforces with --quotas aws); a bucket
// holds one second's worth, like the server's.
func DefaultRateClasses(svc Service) []RateClass {
	var classes []RateClass
	index := map[string]int{}
	for _, op := range svc.Operations {
		c := quota.ClassOf(svc.Name, op)
		if c == nil {
			continue
		}
		i, ok := index[c.Name]
		if !ok {
			i = len(classes)
			index[c.Name] = i
			classes = append(classes, RateClass{Name: c.Name, PerSecond: float64(c.PerSecond), Burst: c.PerSecond})
		}
		classes[i].Operations = append(classes[i].Operations, op)
	}
	return classes
}

// limiters maps each limited operation to its class's bucket.
type limiters map[string]*rate.Limiter

func newLimiters(rl RateLimit) (limiters, error) {
	l := limiters{}
	if rl.Disabled {
		return l, nil
	}
	for _, c := range rl.Classes {
		if c.PerSecond <= 0 || c.Burst < 1 {
			return nil, fmt.Errorf("rate class %q: want a positive rate and a burst of at least 1", c.Name)
		}
		bucket := rate.NewLimiter(rate.Limit(c.PerSecond), c.Burst)
		for _, op := range c.Operations {
			if l[op] != nil {
				return nil, fmt.Errorf("operation %s is in two rate classes", op)
			}
			l[op] = bucket
		}
	}
	return l, nil
}

// wait blocks until the operation may send a request, or ctx ends.
func (l limiters) wait(ctx context.Context, op string) error {
	if b := l[op]; b != nil {
		return b.Wait(ctx)
	}
	return nil
}
