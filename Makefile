# Gatehouse: run `make run` to serve on http://localhost:8080, `make test` for every test.
GO      ?= go
BIN     ?= bin/gatehouse
ARGS    ?=

.PHONY: run demo build generate test test-short vet fmt bench soak clean screenshots

run: build ## build and serve on :8080 with ./data/gatehouse.db
	./$(BIN) serve $(ARGS)

demo: build ## serve with a seeded demo organization (fresh database in ./data/demo.db)
	./$(BIN) serve --demo --db ./data/demo.db $(ARGS)

build: generate
	$(GO) build -trimpath -o $(BIN) ./cmd/gatehouse

generate:
	$(GO) tool templ generate -log-level error

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w $$(git ls-files '*.go')

# Every test: unit, HTTP, process and browser (Chromium). Fuzz seed corpora run as tests.
# .ci/ensure-chromium installs Chromium first when it is missing and it can
# (root or sudo without a password), else says what to install; the browser
# tests then skip, or, with CI set, the run fails.
test: generate
	bash .ci/ensure-chromium
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 12m ./...

test-short: generate
	$(GO) test -count=1 -short ./...

# Benchmark and soak: real binary, seeded 100k-member database (cached in
# ./data/bench), loopback only. Never part of `make test`. Examples:
#   make bench BENCH_FLAGS='-duration 2s -conns 8'   make soak SOAK_DURATION=1m
BENCH_FLAGS   ?=
SOAK_DURATION ?= 5m
SOAK_FLAGS    ?=

bench: build
	$(GO) build -o bin/benchload ./cmd/benchload
	./bin/benchload bench -server ./$(BIN) -dir ./data/bench $(BENCH_FLAGS)

soak: build
	$(GO) build -o bin/benchload ./cmd/benchload
	./bin/benchload soak -server ./$(BIN) -dir ./data/bench -duration $(SOAK_DURATION) $(SOAK_FLAGS)

clean:
	rm -rf bin

screenshots: ## render the README screenshots from the demo data (needs Chromium)
	bash .ci/ensure-chromium
	GATEHOUSE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestREADMEScreenshots ./tests/browser/
