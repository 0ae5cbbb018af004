# Haven. The README's two commands are `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
GO ?= go
DIST := internal/web/static/dist
BENCH_COUNT ?= 6

.PHONY: all build run test check gosec lint unit browser bench assets clean loadtest chaos chaos-short fuzz fuzz-short national

all: build

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

# The GOV.UK and MOJ Frontend styles, compiled with Arial, and their scripts and icons.
$(DIST)/app.css: node_modules assets/haven.scss
	mkdir -p $(DIST)/images
	npx sass --load-path=. --style=compressed --no-source-map --quiet-deps assets/haven.scss $(DIST)/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(DIST)/
	cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js $(DIST)/
	cp node_modules/@ministryofjustice/frontend/moj/assets/images/icon-*.svg $(DIST)/images/

assets: $(DIST)/app.css

build: assets
	$(GO) build -o bin/haven ./cmd/haven

# Haven with synthetic demo data on the embedded database, at http://127.0.0.1:8080.
run: build
	rm -f data/demo.db data/demo.db-wal data/demo.db-shm
	./bin/haven serve --demo --db sqlite:data/demo.db --log-format text

# The whole suite: formatting, vet, staticcheck, gosec (S41), unit and store tests on both
# databases (with -race), a short run of every reliability test and fuzz
# target, then the browser tests in headless Chromium.
test: assets check unit chaos-short fuzz-short browser

check:
	@unformatted=$$(gofmt -l cmd internal); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	GO=$(GO) scripts/gosec

# Static analysis for security (S41): fails on any untriaged high or medium finding.
gosec:
	GO=$(GO) scripts/gosec

unit:
	GO=$(GO) scripts/unit

browser:
	$(GO) test -count=1 -timeout 30m ./internal/e2e/...

# Store and page benchmarks on both databases, printed in benchstat format.
bench: assets
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCH_COUNT) ./internal/store/... ./internal/web/... | tee bench.txt
	$(GO) tool benchstat bench.txt

# The national data set on SQLite, kept in data/ for the load test.
national: build
	rm -f data/national.db data/national.db-wal data/national.db-shm
	./bin/haven demo --scale national --db sqlite:data/national.db

# Haven pinned to one core and the vegeta load generator on the other, on the
# national data set, on SQLite then PostgreSQL. Figures: docs/PERFORMANCE.md.
loadtest: build
	$(GO) build -o bin/loadtest ./tools/loadtest
	status=0; ./bin/loadtest -db sqlite || status=1; ./bin/loadtest -db postgres || status=1; exit $$status

# The reliability harness (R1, R3, R5, R6, R8, R9, R10, R11) against the real
# binary; `chaos-short` is the few-cycle run `make test` includes.
chaos: build
	$(GO) run ./tools/chaos -bin bin/haven

chaos-short: build
	$(GO) run ./tools/chaos -bin bin/haven -short

# Every fuzz target in turn: a minute each here, a few seconds each in `make test`.
fuzz:
	scripts/fuzz 60s

fuzz-short:
	scripts/fuzz 3s

clean:
	rm -rf bin $(DIST) node_modules
