// Package secretsmanager is the AWS Secrets Manager driver of pkg/secrets:
// a secrets.Store keeping each secret as one Secrets Manager secret under a
// prefix, for the deployed platform ("secretsmanager://bulwark/").
package secretsmanager

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
)

// API is the part of the AWS SDK's *secretsmanager.Client that Store
// uses.
type API interface {
	GetSecretValue(ctx context.Context, in *sm.GetSecretValueInput, opts ...func(*sm.Options)) (*sm.GetSecretValueOutput, error)
	PutSecretValue(ctx context.Context, in *sm.PutSecretValueInput, opts ...func(*sm.Options)) (*sm.PutSecretValueOutput, error)
	CreateSecret(ctx context.Context, in *sm.CreateSecretInput, opts ...func(*sm.Options)) (*sm.CreateSecretOutput, error)
	DeleteSecret(ctx context.Context, in *sm.DeleteSecretInput, opts ...func(*sm.Options)) (*sm.DeleteSecretOutput, error)
}

var _ API = (*sm.Client)(nil)

// Store keeps each secret as one AWS Secrets Manager secret named
// Prefix + name, its value as SecretString (SecretBinary when the value is
// not UTF-8). Put updates the secret's current version, creating the
// secret on first use (encrypted with KMSKeyID when set, else the account's
// aws/secretsmanager key, and tagged app=bulwark). Delete schedules the
// secret's deletion with a 7-day recovery window; until it ends the secret
// is NotFound to Get, deleting it again changes nothing, and a Put is a
// Conflict (the service refuses to write a secret scheduled for deletion).
//
// The function needs secretsmanager:GetSecretValue, PutSecretValue,
// CreateSecret, TagResource and DeleteSecret on the secrets named
// Prefix*, and kms:Encrypt/Decrypt/GenerateDataKey on KMSKeyID when set.
type Store struct {
	Client   API
	Prefix   string // e.g. "bulwark/"
	KMSKeyID string // optional customer managed key
}

var _ secrets.Store = (*Store)(nil)

// New returns the Store of the secrets named prefix + name, using cfg's
// credentials and region, encrypted with kmsKeyID when it is not empty.
func New(cfg aws.Config, prefix, kmsKeyID string) *Store {
	return &Store{Client: sm.NewFromConfig(cfg), Prefix: prefix, KMSKeyID: kmsKeyID}
}

func (s *Store) id(name string) string { return s.Prefix + name }

// Put creates or replaces the value of name.
func (s *Store) Put(ctx context.Context, name string, value []byte) error {
	if err := secrets.CheckName(name); err != nil {
		return err
	}
	if err := secrets.CheckValue(name, value); err != nil {
		return err
	}
	put := &sm.PutSecretValueInput{SecretId: aws.String(s.id(name))}
	create := &sm.CreateSecretInput{
		Name:        aws.String(s.id(name)),
		Description: aws.String("Bulwark integration secret"),
		Tags:        []types.Tag{{Key: aws.String("app"), Value: aws.String("bulwark")}},
	}
	if s.KMSKeyID != "" {
		create.KmsKeyId = aws.String(s.KMSKeyID)
	}
	if utf8.Valid(value) {
		put.SecretString, create.SecretString = aws.String(string(value)), aws.String(string(value))
	} else {
		put.SecretBinary, create.SecretBinary = value, value
	}
	_, err := s.Client.PutSecretValue(ctx, put)
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		_, err = s.Client.CreateSecret(ctx, create)
		var exists *types.ResourceExistsException
		if errors.As(err, &exists) { // created concurrently: update it
			_, err = s.Client.PutSecretValue(ctx, put)
		}
	}
	if err != nil {
		return smError(err, "put secret %s", name)
	}
	return nil
}

// Get returns the current value of name.
func (s *Store) Get(ctx context.Context, name string) ([]byte, error) {
	if err := secrets.CheckName(name); err != nil {
		return nil, err
	}
	out, err := s.Client.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String(s.id(name))})
	var deleted *types.InvalidRequestException
	if errors.As(err, &deleted) { // scheduled for deletion: gone for readers
		return nil, errs.E(errs.NotFound, "get secret %s: %w", name, err)
	}
	if err != nil {
		return nil, smError(err, "get secret %s", name)
	}
	if out.SecretString != nil {
		return []byte(*out.SecretString), nil
	}
	if out.SecretBinary != nil {
		return out.SecretBinary, nil
	}
	return nil, errs.E(errs.NotFound, "secret %s has no value", name)
}

// Delete schedules the deletion of name.
func (s *Store) Delete(ctx context.Context, name string) error {
	if err := secrets.CheckName(name); err != nil {
		return err
	}
	_, err := s.Client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String(s.id(name)), RecoveryWindowInDays: aws.Int64(7)})
	var (
		nf      *types.ResourceNotFoundException
		deleted *types.InvalidRequestException // already scheduled for deletion
	)
	if err != nil && !errors.As(err, &nf) && !errors.As(err, &deleted) {
		return smError(err, "delete secret %s", name)
	}
	return nil
}

// smError gives a Secrets Manager error its errs.Kind. The service's
// messages name secrets, never their values.
func smError(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	ctxMsg := fmt.Sprintf(format, args...)
	var (
		nf      *types.ResourceNotFoundException
		invalid *types.InvalidRequestException
		param   *types.InvalidParameterException
		limit   *types.LimitExceededException
		api     smithy.APIError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", ctxMsg, err)
	case errors.As(err, &nf):
		return errs.E(errs.NotFound, "%s: %w", ctxMsg, err)
	case errors.As(err, &invalid):
		// e.g. the secret is scheduled for deletion
		return errs.E(errs.Conflict, "%s: %w", ctxMsg, err)
	case errors.As(err, &param):
		return errs.E(errs.Invalid, "%s: %w", ctxMsg, err)
	case errors.As(err, &limit):
		return errs.E(errs.Unavailable, "%s: %w", ctxMsg, err)
	case errors.As(err, &api) && api.ErrorFault() == smithy.FaultClient:
		return fmt.Errorf("%s: %w", ctxMsg, err)
	}
	return errs.E(errs.Unavailable, "%s: %w", ctxMsg, err)
}
