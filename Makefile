# Bulwark — every command a developer or CI needs. `make help` lists them.
# Each target installs what it needs and is missing (the deps-* targets),
# and nothing else.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_CLI_TELEMETRY := true
export GOFLAGS ?= -buildvcs=false

ADDR ?= 127.0.0.1:8080
STORE ?= bolt://.data/bulwark.db
FUZZTIME ?= 60s
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/bulwark-tm/bulwark/pkg/app.Version=$(VERSION)

.PHONY: help run serve web-build test test-go test-web test-e2e test-infra testsummary bench fuzz build synth deploy lint clean \
	deps deps-go deps-node deps-web deps-infra deps-browser deps-java

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

run: web-build ## install what is missing, build, and serve http://localhost:8080 with the embedded store and demo data
	go build -ldflags "$(LDFLAGS)" -o bin/bulwark ./functions/local
	bin/bulwark serve --addr $(ADDR) --store $(STORE) --web web/dist --demo

web-build: deps-web
	cd web && npm run build

# ---------- tests ----------
# Every suite prints a plain "N passed, N failed" line; `make test` runs them
# all (a failed one does not stop the others), ends with one line per suite
# and fails if any failed.
SUITES := go web e2e infra

test: ## install what is missing and run every test suite (Go, web unit, browser end-to-end, infra synth)
	@status=0; results=(); \
	for s in $(SUITES); do \
	  start=$$SECONDS; printf '\n\033[1m==> %s tests\033[0m\n' "$$s"; \
	  if $(MAKE) --no-print-directory test-$$s; then results+=("$$s: ok ($$((SECONDS - start))s)"); \
	  else results+=("$$s: FAILED ($$((SECONDS - start))s)"); status=1; fi; \
	done; \
	printf '\n\033[1m==> summary\033[0m\n'; printf '%s\n' "$${results[@]}"; exit $$status

testsummary:
	go build -o bin/testsummary ./pkg/internal/testsummary

test-go: deps-java testsummary ## Go tests with -race (DynamoDB Local is started by the store tests)
	go vet ./...
	go test -race -json -timeout 20m ./... | bin/testsummary go

test-web: deps-web ## web unit tests (Vitest)
	cd web && npm test

test-e2e: deps-web deps-browser ## browser end-to-end tests in headless Chromium against the Go server
	cd web && npm run build && npm run e2e

# The real Lambda zips (infra/build-lambdas.sh fails if the api zip reaches
# 10 MB), synthesized and asserted by the CDK tests.
test-infra: deps-infra testsummary ## CDK assertion and cdk-nag tests
	infra/build-lambdas.sh dist/lambda
	cd infra && go vet ./... && BULWARK_TEST_LAMBDA_DIR="$$PWD/../dist/lambda" go test -json -timeout 30m ./... | ../bin/testsummary infra

# Performance, measured here and now: API GET/PUT latency (p50/p99) of a
# 1,000-component model through the HTTP handler on bolt and on DynamoDB
# Local (started and stopped here); every other Go benchmark in pkg/; the
# browser benchmark (render and pan a 2,000-component model in headless
# Chromium; open the Overview of a model with 10,000 threats).
DYNAMODB_LOCAL := pkg/store/dynamo/dynamotest/dynamodb-local.sh

bench: deps-java deps-web deps-browser ## API latency on bolt and DynamoDB Local, analysis time, browser render/pan
	@endpoint=$$($(DYNAMODB_LOCAL) start); port=$${endpoint##*:}; \
	trap '$(DYNAMODB_LOCAL) stop "'"$$port"'" >/dev/null 2>&1 || true' EXIT; \
	export BULWARK_DYNAMODB_ENDPOINT=$$endpoint; \
	echo "==> API latency, 1,000-component model (goal: p99 < 20 ms on bolt)"; \
	go test -run '^$$' -bench '^BenchmarkModel$$' -benchtime 200x ./pkg/api/; \
	echo "==> other Go benchmarks (analysis: goal < 200 ms for 5,000 components, linear growth; diff (BenchmarkCompare5000): goal < 200 ms for two 5,000-component versions)"; \
	go test -run '^$$' -bench . $$(go list ./pkg/... | grep -v '/pkg/api$$'); \
	echo "==> browser: render and pan a 2,000-component, 3,000-flow model (goal >= 30 fps); Overview of 10,000 threats (goal < 1 s)"; \
	cd web && npm run build >/dev/null && npm run bench

fuzz: ## run each fuzz target for $(FUZZTIME)
	@for t in $$(go test -list 'Fuzz.*' ./pkg/... | grep '^Fuzz'); do \
	  pkg=$$(grep -rl "func $$t(" --include=*_test.go pkg | head -1 | xargs dirname); \
	  echo "==> $$t in $$pkg"; go test -run XXX -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./$$pkg; \
	done

build: ## every Lambda as a linux/arm64 zip in dist/lambda
	infra/build-lambdas.sh dist/lambda

synth: build web-build deps-infra ## synthesize the CDK stacks (offline; builds the Lambda zips and the web app first)
	go -C infra build -o ../bin/bulwark-infra ./cmd/bulwark-infra
	infra/node_modules/.bin/cdk synth --app bin/bulwark-infra --output cdk.out

# ORG_ID: the AWS Organizations id (o-…) whose accounts may forward events to
# the platform bus; leave it empty for a single account (no bus policy).
ORG_ID ?=

deploy: build web-build deps-infra ## deploy the platform stacks to the AWS account of your credentials; ORG_ID=o-… admits an organization's events (see README.md)
	go -C infra build -o ../bin/bulwark-infra ./cmd/bulwark-infra
	infra/node_modules/.bin/cdk deploy --app bin/bulwark-infra -c bulwark:stacks=platform --all \
	  $(if $(ORG_ID),--parameters BulwarkEvents:OrganizationId=$(ORG_ID)) \
	  --require-approval never --outputs-file cdk.out/outputs.json
	@node -e 'const o=require("./cdk.out/outputs.json");console.log("Bulwark is at", (o.BulwarkWeb||{}).WebUrl)'

lint: ## go vet, gofmt, and the web type check
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	cd infra && go vet ./...
	$(MAKE) --no-print-directory deps-web && cd web && npx tsc --noEmit

clean: ## remove build output (not .data)
	rm -rf bin dist cdk.out web/dist

# ---------- what the targets install when it is missing, and nothing else ----------
# Go 1.26 and Node.js 20 with npm are expected; apt-get (root or sudo)
# installs Node.js, Debian's chromium and Java 17 (for DynamoDB Local) on a
# fresh Debian/Ubuntu machine. Safe to run again: each step checks first.

deps: deps-web deps-infra deps-browser deps-java ## install everything the builds and tests need

# apt_install PACKAGES: apt-get install, with sudo unless root.
define apt_install
	if [ "$$(id -u)" = 0 ]; then sudo=""; else command -v sudo >/dev/null || { echo "need root or sudo to apt-get install $(1)" >&2; exit 1; }; sudo=sudo; fi; \
	printf '\033[1m==> installing %s with apt-get\033[0m\n' "$(1)" >&2; \
	[ -f /tmp/.bulwark-apt-updated ] || { $$sudo apt-get update -qq && touch /tmp/.bulwark-apt-updated; }; \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $(1) >/dev/null
endef

# npm_ci DIR: installs DIR's npm packages when node_modules is missing or
# older than package-lock.json.
define npm_ci
	if [ ! -d $(1)/node_modules ] || [ $(1)/package-lock.json -nt $(1)/node_modules/.package-lock.json ]; then \
	  printf '\033[1m==> installing npm packages in %s\033[0m\n' $(1) >&2; \
	  cd $(1) && npm ci --no-audit --no-fund --loglevel=error; \
	fi
endef

deps-go:
	@command -v go >/dev/null || { echo "Go 1.26 is required: https://go.dev/doc/install" >&2; exit 1; }

deps-node: deps-go
	@command -v npm >/dev/null || { $(call apt_install,nodejs npm); }

deps-web: deps-node
	@$(call npm_ci,web)

deps-infra: deps-node
	@$(call npm_ci,infra)

deps-browser:
	@[ -x /usr/bin/chromium ] || { $(call apt_install,chromium fonts-liberation); }

deps-java:
	@command -v java >/dev/null || { $(call apt_install,openjdk-17-jre-headless); }
