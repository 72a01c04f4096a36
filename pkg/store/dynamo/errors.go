package dynamo

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// mapErr gives an error from the DynamoDB client a kind: the caller's
// canceled context stays visible (errors.Is(err, context.Canceled)),
// throttling, server-side failures and network failures are Unavailable.
func (s *Store) mapErr(ctx context.Context, err error, what string) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		if !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
			"InternalServerError", "ServiceUnavailable", "LimitExceededException":
			return errs.E(errs.Unavailable, "%s: DynamoDB is busy or failing; try again: %w", what, err)
		case "ResourceNotFoundException":
			return errs.E(errs.Unavailable, "%s: table %s does not exist: %w", what, s.table, err)
		case "UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException", "ExpiredTokenException":
			return errs.E(errs.Unavailable, "%s: DynamoDB refused the credentials: %w", what, err)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	if transportFailure(err) {
		return errs.E(errs.Unavailable, "%s: cannot reach DynamoDB: %w", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// transportFailure reports whether err is a failure to get an answer from
// the service (with the caller's context still live).
func transportFailure(err error) bool {
	var rse *smithyhttp.RequestSendError
	var ne net.Error
	return errors.As(err, &rse) || errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)
}

// definitelyNotWritten reports whether a failed write certainly did not
// happen: DynamoDB answered with a client error. Without an answer, or
// with a server error, the write may have happened.
func definitelyNotWritten(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.ErrorFault() == smithy.FaultClient
}
