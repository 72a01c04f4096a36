package secrets

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// SecretsManagerAPI is the part of *secretsmanager.Client that
// SecretsManager uses.
type SecretsManagerAPI interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
	PutSecretValue(ctx context.Context, in *secretsmanager.PutSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error)
	CreateSecret(ctx context.Context, in *secretsmanager.CreateSecretInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.CreateSecretOutput, error)
	DeleteSecret(ctx context.Context, in *secretsmanager.DeleteSecretInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.DeleteSecretOutput, error)
}

var _ SecretsManagerAPI = (*secretsmanager.Client)(nil)

// SecretsManager keeps each secret as one AWS Secrets Manager secret named
// Prefix + name, its value as SecretString (SecretBinary when the value is
// not UTF-8). Put updates the secret's current version, creating the
// secret on first use (encrypted with KMSKeyID when set, else the account's
// aws/secretsmanager key, and tagged app=bulwark). Delete schedules the
// secret's deletion with a 7-day recovery window.
//
// The function needs secretsmanager:GetSecretValue, PutSecretValue,
// CreateSecret, TagResource and DeleteSecret on the secrets named
// Prefix*, and kms:Encrypt/Decrypt/GenerateDataKey on KMSKeyID when set.
type SecretsManager struct {
	Client   SecretsManagerAPI
	Prefix   string // e.g. "bulwark/"
	KMSKeyID string // optional customer managed key
}

var _ Store = (*SecretsManager)(nil)

func (s *SecretsManager) id(name string) string { return s.Prefix + name }

// Put creates or replaces the value of name.
func (s *SecretsManager) Put(ctx context.Context, name string, value []byte) error {
	if err := CheckName(name); err != nil {
		return err
	}
	if err := checkValue(name, value); err != nil {
		return err
	}
	put := &secretsmanager.PutSecretValueInput{SecretId: aws.String(s.id(name))}
	create := &secretsmanager.CreateSecretInput{
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
func (s *SecretsManager) Get(ctx context.Context, name string) ([]byte, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	out, err := s.Client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.id(name))})
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
func (s *SecretsManager) Delete(ctx context.Context, name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	_, err := s.Client.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String(s.id(name)), RecoveryWindowInDays: aws.Int64(7)})
	var nf *types.ResourceNotFoundException
	if err != nil && !errors.As(err, &nf) {
		return smError(err, "delete secret %s", name)
	}
	return nil
}

// smError gives a Secrets Manager error its errs.Kind. The service's
// messages name secrets, never their values.
func smError(err error, format string, args ...any) error {
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
		return errs.Wrap(errs.NotFound, err, "%s", ctxMsg)
	case errors.As(err, &invalid):
		// e.g. the secret is scheduled for deletion
		return errs.Wrap(errs.Conflict, err, "%s", ctxMsg)
	case errors.As(err, &param):
		return errs.Wrap(errs.Invalid, err, "%s", ctxMsg)
	case errors.As(err, &limit):
		return errs.Wrap(errs.Unavailable, err, "%s", ctxMsg)
	case errors.As(err, &api) && api.ErrorFault() == smithy.FaultClient:
		return errs.Wrap(errs.Other, err, "%s", ctxMsg)
	}
	return errs.Wrap(errs.Unavailable, err, "%s", ctxMsg)
}
