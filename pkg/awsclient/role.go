package awsclient

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// SessionName is the role session name of every assumed member role; it
// shows in the member account's CloudTrail.
const SessionName = "bulwark-accelerator"

// SessionDuration is how long an assumed-role session lasts.
const SessionDuration = 15 * time.Minute

// Roles assumes member accounts' read-only roles with their ExternalIds and
// caches the sessions in memory (never on disk). It is safe for concurrent
// use.
type Roles struct {
	// Base is the platform's configuration; its credentials call STS.
	Base aws.Config

	mu    sync.Mutex
	cache map[string]aws.CredentialsProvider
}

// Config returns a configuration for the account's role in region (the
// base region when empty). The credentials are fetched lazily, on the first
// call made with them, and refreshed before they expire.
func (r *Roles) Config(a *accounts.Account, region string) (aws.Config, error) {
	if a.Access != accounts.AccessRole || a.RoleARN == "" {
		return aws.Config{}, errs.E(errs.Invalid, "account %s has no role to assume", a.ID)
	}
	if a.ExternalID == "" {
		return aws.Config{}, errs.E(errs.Invalid, "account %s has no ExternalId", a.ID)
	}
	key := a.RoleARN + "\x00" + a.ExternalID
	r.mu.Lock()
	if r.cache == nil {
		r.cache = map[string]aws.CredentialsProvider{}
	}
	p, ok := r.cache[key]
	if !ok {
		ext := a.ExternalID
		p = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(r.Base), a.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			o.ExternalID = &ext
			o.RoleSessionName = SessionName
			o.Duration = SessionDuration
		}))
		r.cache[key] = p
	}
	r.mu.Unlock()
	cfg := r.Base.Copy()
	cfg.Credentials = p
	if region != "" {
		cfg.Region = region
	}
	return cfg, nil
}

// Check assumes the account's role once and returns the assumed identity's
// ARN: a registration can be verified before the first build.
func (r *Roles) Check(ctx context.Context, a *accounts.Account) (string, error) {
	cfg, err := r.Config(a, "")
	if err != nil {
		return "", err
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", wrap(err, "assume %s with the account's ExternalId", a.RoleARN)
	}
	return aws.ToString(out.Arn), nil
}

// RoleVerifier verifies a member account by assuming its role with the
// account's ExternalId (Roles.Check) and checking that the session belongs
// to that account. It is the accounts.Verifier of aws mode without an
// aggregator.
type RoleVerifier struct {
	Roles *Roles
}

var _ accounts.Verifier = RoleVerifier{}

// Verify assumes a's role; a refusal (wrong ExternalId, no member stack)
// is Forbidden.
func (v RoleVerifier) Verify(ctx context.Context, _ string, a *accounts.Account) error {
	arn, err := v.Roles.Check(ctx, a)
	if err != nil {
		return err
	}
	// arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION
	if parts := strings.SplitN(arn, ":", 6); len(parts) < 6 || parts[4] != a.ID {
		return errs.E(errs.Forbidden, "the role of account %s answered as %q, another account", a.ID, arn)
	}
	return nil
}
