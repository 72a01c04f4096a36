#!/usr/bin/env bash
# bench.sh — Bulwark's performance numbers, measured here and now:
#   1. API GET/PUT latency (p50/p99) of a 1,000-component model through the
#      HTTP handler, on bolt and on DynamoDB Local (started and stopped here);
#   2. every other Go benchmark in pkg/ (analysis, store drivers, …);
#   3. the browser benchmark (render and pan a 2,000-component model in
#      headless Chromium, at the opening zoom and with all of it in view;
#      open the Overview of a model with 10,000 threats), when the web app
#      has one.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

scripts/deps.sh java
endpoint=$(scripts/dynamodb-local.sh start)
port=${endpoint##*:}
trap 'scripts/dynamodb-local.sh stop "$port" >/dev/null 2>&1 || true' EXIT
export BULWARK_DYNAMODB_ENDPOINT=$endpoint

echo "==> API latency, 1,000-component model (goal: p99 < 20 ms on bolt)"
go test -run '^$' -bench '^BenchmarkModel$' -benchtime 200x ./pkg/api/

echo "==> other Go benchmarks (analysis: goal < 200 ms for 5,000 components, linear growth; diff (BenchmarkCompare5000): goal < 200 ms for two 5,000-component versions)"
go test -run '^$' -bench . $(go list ./pkg/... | grep -v '/pkg/api$')

if grep -q '"bench"' web/package.json 2>/dev/null; then
  echo "==> browser: render and pan a 2,000-component, 3,000-flow model (goal >= 30 fps); Overview of 10,000 threats (goal < 1 s)"
  scripts/deps.sh web browser
  (cd web && npm run build >/dev/null && npm run bench)
fi
