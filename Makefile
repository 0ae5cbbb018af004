# Haven. The README's two commands are `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
GO ?= go
DIST := internal/web/static/dist
BENCH_COUNT ?= 6

.PHONY: all build run test check lint unit browser bench assets clean

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

# The whole suite: formatting, vet, staticcheck, unit and store tests on both
# databases (with -race), then the browser tests in headless Chromium.
test: assets check unit browser

check:
	@unformatted=$$(gofmt -l cmd internal); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

unit:
	$(GO) test -race -count=1 -timeout 20m $$($(GO) list ./... | grep -v /internal/e2e)

browser:
	$(GO) test -count=1 -timeout 15m ./internal/e2e/...

# Store and page benchmarks on both databases, printed in benchstat format.
bench: assets
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCH_COUNT) ./internal/store/... ./internal/web/... | tee bench.txt
	$(GO) tool benchstat bench.txt

clean:
	rm -rf bin $(DIST) node_modules
