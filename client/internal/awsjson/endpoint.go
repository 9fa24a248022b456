package awsjson

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The interfaces config.LoadDefaultConfig's sources (its EnvConfig and
// SharedConfig in aws.Config.ConfigSources) implement for service-specific
// endpoints; the SDK's own service clients look them up the same way.
type (
	serviceEndpointSource interface {
		GetServiceBaseEndpoint(ctx context.Context, sdkID string) (string, bool, error)
	}
	ignoreEndpointsSource interface {
		GetIgnoreConfiguredEndpoints(ctx context.Context) (bool, bool, error)
	}
)

// configuredEndpoint is the endpoint the shared configuration sets for the
// service (AWS_ENDPOINT_URL_<SDK ID>, or the profile's services section),
// else cfg.BaseEndpoint (AWS_ENDPOINT_URL), else "": the precedence of the
// SDK's own service clients.
func configuredEndpoint(cfg aws.Config, sdkID string) string {
	if url := serviceEndpoint(cfg.ConfigSources, sdkID); url != "" {
		return url
	}
	return aws.ToString(cfg.BaseEndpoint)
}

// serviceEndpoint is the first service-specific endpoint among the config
// sources, unless they say to ignore configured endpoints.
func serviceEndpoint(sources []any, sdkID string) string {
	ctx := context.Background()
	for _, src := range sources {
		if s, ok := src.(ignoreEndpointsSource); ok {
			if ignore, found, err := s.GetIgnoreConfiguredEndpoints(ctx); err == nil && found {
				if ignore {
					return ""
				}
				break
			}
		}
	}
	for _, src := range sources {
		if s, ok := src.(serviceEndpointSource); ok {
			if url, found, err := s.GetServiceBaseEndpoint(ctx, sdkID); err == nil && found {
				return url
			}
		}
	}
	return ""
}

// defaultEndpoint is the model's endpoint for a region (dual-stack api.aws).
func defaultEndpoint(prefix, region string) string {
	return "https://" + prefix + "." + region + ".api.aws"
}
