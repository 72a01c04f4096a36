#!/usr/bin/env bash
# test.sh [SUITE...] — installs what is missing and runs Bulwark's test
# suites: go (Go with -race, including the DynamoDB driver against DynamoDB
# Local), web (Vitest), e2e (headless Chromium against the Go server), infra
# (CDK synth assertions and cdk-nag). With no argument, all of them. Every
# suite prints a plain "N passed, N failed" line; the script ends with one
# line per suite and exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
mkdir -p .cache/test
go build -o bin/testsummary ./tools/testsummary || exit 1

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(go web e2e infra)
results=()
status=0

run_suite() {
  local name=$1; shift
  local start=$SECONDS
  printf '\n\033[1m==> %s tests\033[0m\n' "$name"
  if "$@"; then
    results+=("$name: ok ($((SECONDS - start))s)")
  else
    results+=("$name: FAILED ($((SECONDS - start))s)")
    status=1
  fi
}

go_suite() {
  scripts/deps.sh java || return 1
  go vet ./... || return 1
  go test -race -json -timeout 20m ./... | bin/testsummary go
}

web_suite() {
  scripts/deps.sh web || return 1
  (cd web && npm test)
}

e2e_suite() {
  scripts/deps.sh web browser || return 1
  (cd web && npm run build && npm run e2e)
}

infra_suite() {
  # The real Lambda zips (build-lambdas.sh fails if the api zip reaches
  # 10 MB), synthesized and asserted by the CDK tests.
  scripts/build-lambdas.sh dist/lambda || return 1
  scripts/deps.sh infra || return 1
  (cd infra && go vet ./... && BULWARK_TEST_LAMBDA_DIR="$PWD/../dist/lambda" go test -json -timeout 30m ./... | ../bin/testsummary infra)
}

for s in "${suites[@]}"; do
  case "$s" in
    go) run_suite go go_suite ;;
    web) run_suite web web_suite ;;
    e2e) run_suite e2e e2e_suite ;;
    infra) run_suite infra infra_suite ;;
    *) echo "test.sh: unknown suite $s (go, web, e2e, infra)" >&2; exit 2 ;;
  esac
done

printf '\n\033[1m==> summary\033[0m\n'
printf '%s\n' "${results[@]}"
exit $status
