package awsclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Options configures the platform's AWS access.
type Options struct {
	// Profile is a shared-config profile (bulwark scan --profile); empty
	// uses the default chain (environment, profile, Lambda or instance role).
	Profile string
	// Region is the default region.
	Region string
	// BaseEndpoint, when set, sends every call there (tests, VPC endpoints).
	BaseEndpoint string
	// Credentials, when set, replaces the default chain.
	Credentials aws.CredentialsProvider
	// HTTPClient, when set, is used for every call.
	HTTPClient *http.Client
	// MaxAttempts bounds the attempts of a call (default 5).
	MaxAttempts int
	// MaxBackoff bounds the wait between attempts (default 20 s).
	MaxBackoff time.Duration
}

// Load returns the SDK configuration o describes.
func Load(ctx context.Context, o Options) (aws.Config, error) {
	attempts := o.MaxAttempts
	if attempts == 0 {
		attempts = 5
	}
	backoff := o.MaxBackoff
	if backoff == 0 {
		backoff = 20 * time.Second
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = attempts
				so.MaxBackoff = backoff
				so.Backoff = retry.NewExponentialJitterBackoff(backoff)
			})
		}),
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	if o.Credentials != nil {
		opts = append(opts, config.WithCredentialsProvider(o.Credentials))
	}
	if o.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(o.HTTPClient))
	}
	if o.BaseEndpoint != "" {
		opts = append(opts, config.WithBaseEndpoint(o.BaseEndpoint))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, errs.E(errs.Invalid, "load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errs.E(errs.Invalid, "no AWS region: set --region, AWS_REGION or the profile's region")
	}
	return cfg, nil
}

// wrap gives an SDK error a kind and the operation's name.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	kind := errs.Unavailable
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code := ae.ErrorCode()
		switch {
		case strings.Contains(code, "AccessDenied"), code == "UnauthorizedOperation", code == "AWSOrganizationsNotInUseException",
			code == "InvalidClientTokenId", code == "ExpiredToken", code == "ExpiredTokenException", code == "UnrecognizedClientException":
			kind = errs.Forbidden
		case code == "NoSuchConfigurationAggregatorException", strings.HasPrefix(code, "NoSuch"):
			kind = errs.NotFound
		case strings.HasPrefix(code, "Invalid"), code == "ValidationException":
			kind = errs.Invalid
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		kind = errs.Unavailable
	}
	return errs.E(kind, format+": %w", append(args, err)...)
}
