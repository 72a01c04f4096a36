# Bulwark — every command a developer or CI needs. `make help` lists them.
# Each target installs what it needs and is missing (scripts/deps.sh).

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

.PHONY: help run serve web-build test test-go test-web test-e2e test-infra bench fuzz build synth deploy lint clean deps

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

run: web-build ## install what is missing, build, and serve http://localhost:8080 with the embedded store and demo data
	go build -ldflags "$(LDFLAGS)" -o bin/bulwark ./functions/local
	bin/bulwark serve --addr $(ADDR) --store $(STORE) --web web/dist --demo

web-build:
	scripts/deps.sh web
	cd web && npm run build

test: ## install what is missing and run every test suite (Go, web unit, browser end-to-end, infra synth)
	scripts/test.sh

test-go: ## Go tests with -race (DynamoDB Local is started by the store tests)
	scripts/test.sh go

test-web: ## web unit tests (Vitest)
	scripts/test.sh web

test-e2e: ## browser end-to-end tests in headless Chromium against the Go server
	scripts/test.sh e2e

test-infra: ## CDK assertion and cdk-nag tests
	scripts/test.sh infra

bench: ## API latency on bolt and DynamoDB Local, analysis time, browser render/pan
	scripts/bench.sh

fuzz: ## run each fuzz target for $(FUZZTIME)
	@for t in $$(go test -list 'Fuzz.*' ./pkg/... | grep '^Fuzz'); do \
	  pkg=$$(grep -rl "func $$t(" --include=*_test.go pkg | head -1 | xargs dirname); \
	  echo "==> $$t in $$pkg"; go test -run XXX -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./$$pkg; \
	done

build: ## every Lambda as a linux/arm64 zip in dist/lambda
	scripts/build-lambdas.sh dist/lambda

synth: build web-build ## synthesize the CDK stacks (offline; builds the Lambda zips and the web app first)
	scripts/deps.sh infra
	go -C infra build -o ../bin/bulwark-infra ./cmd/bulwark-infra
	infra/node_modules/.bin/cdk synth --app bin/bulwark-infra --output cdk.out

# ORG_ID: the AWS Organizations id (o-…) whose accounts may forward events to
# the platform bus; leave it empty for a single account (no bus policy).
ORG_ID ?=

deploy: build web-build ## deploy the platform stacks to the AWS account of your credentials; ORG_ID=o-… admits an organization's events (see README.md)
	scripts/deps.sh infra
	go -C infra build -o ../bin/bulwark-infra ./cmd/bulwark-infra
	infra/node_modules/.bin/cdk deploy --app bin/bulwark-infra -c bulwark:stacks=platform --all \
	  $(if $(ORG_ID),--parameters BulwarkEvents:OrganizationId=$(ORG_ID)) \
	  --require-approval never --outputs-file cdk.out/outputs.json
	@node -e 'const o=require("./cdk.out/outputs.json");console.log("Bulwark is at", (o.BulwarkWeb||{}).WebUrl)'

lint: ## go vet, gofmt, and the web type check
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	cd infra && go vet ./...
	scripts/deps.sh web && cd web && npx tsc --noEmit

clean: ## remove build output (not .data)
	rm -rf bin dist cdk.out web/dist .cache/test
