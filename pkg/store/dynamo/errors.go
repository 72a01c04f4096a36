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
	if cerr := ctx.Err(); cerr != nil {
		if !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		return errs.Wrap(errs.Other, err, "%s", what)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
			"InternalServerError", "ServiceUnavailable", "LimitExceededException":
			return errs.Wrap(errs.Unavailable, err, "%s: DynamoDB is busy or failing; try again", what)
		case "ResourceNotFoundException":
			return errs.Wrap(errs.Unavailable, err, "%s: table %s does not exist", what, s.table)
		case "UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException", "ExpiredTokenException":
			return errs.Wrap(errs.Unavailable, err, "%s: DynamoDB refused the credentials", what)
		}
		return errs.Wrap(errs.Other, err, "%s", what)
	}
	if transportFailure(err) {
		return errs.Wrap(errs.Unavailable, err, "%s: cannot reach DynamoDB", what)
	}
	return errs.Wrap(errs.Other, err, "%s", what)
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
