package workflow

// FailureReason is failureReason, for the tests of package workflow_test.
var FailureReason = failureReason
