# hrbridge — `make run` starts the product, `make test` runs every test.
SHELL := /bin/bash
GO ?= go
BIN := bin/hrbridge
export CGO_ENABLED ?= 0
# Not ./...: frontend/node_modules holds third-party Go packages.
PKGS := ./api/... ./migrations/... ./server/... ./frontend

.PHONY: run build build-web gen check test test-go test-web test-e2e bench web-deps

## run: build everything and start on embedded SQLite with the sandbox providers
run: build
	HRBRIDGE_SANDBOX=$${HRBRIDGE_SANDBOX:-1} ./$(BIN) serve

## build: the SPA, then the binary that embeds it
build: build-web
	$(GO) build -o $(BIN) ./server

web-deps:
	@if [ -f frontend/package.json ] && [ ! -d frontend/node_modules ]; then cd frontend && npm ci --no-audit --no-fund; fi

build-web: web-deps
	@if [ -f frontend/package.json ]; then cd frontend && npm run build; fi

## gen: regenerate Go and TypeScript code from openapi.yaml
gen: web-deps
	$(GO) tool oapi-codegen -config api/config.yaml openapi.yaml
	cp openapi.yaml api/openapi.yaml
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent gen; fi

## check: fail when generated code differs from what openapi.yaml gives; vet; lint the spec
check: web-deps
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	sed "s#^output: .*#output: $$tmp/api.gen.go#" api/config.yaml > $$tmp/config.yaml && \
	$(GO) tool oapi-codegen -config $$tmp/config.yaml openapi.yaml && \
	cmp -s $$tmp/api.gen.go api/api.gen.go || { echo "api/api.gen.go is out of date with openapi.yaml: run make gen" >&2; exit 1; }; \
	cmp -s openapi.yaml api/openapi.yaml || { echo "api/openapi.yaml differs from openapi.yaml: run make gen" >&2; exit 1; }; \
	if [ -f frontend/package.json ]; then (cd frontend && npm run --silent gen:check) || exit 1; fi
	$(GO) vet $(PKGS)
	@if [ -f .spectral.yaml ] && [ -x frontend/node_modules/.bin/spectral ]; then frontend/node_modules/.bin/spectral lint --fail-severity error openapi.yaml; fi
	@echo "check: generated code is up to date"

## test: Go tests on SQLite and PostgreSQL, then the SPA's unit and end-to-end tests
test: check test-go test-web test-e2e

test-go:
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-web: web-deps
	@if [ -f frontend/package.json ]; then cd frontend && npm test; fi

test-e2e: build
	@if [ -f frontend/e2e/run.sh ]; then bash frontend/e2e/run.sh; fi

## bench: every benchmark, one table (docs/benchmarks.md holds the latest figures)
bench:
	@mkdir -p data
	$(GO) test -run '^$$' -bench . -benchtime 1x -benchmem -timeout 60m ./server/... | tee data/bench.txt
	@echo
	@$(GO) run ./server/tools/benchtable < data/bench.txt
