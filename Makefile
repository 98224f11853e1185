# pupns: `make run` to try it, `make test` to prove it.
GO      ?= go
BIN     := bin/pupns
# make run serves where the binary would: PUPNS_DATA and PUPNS_ADDR from the environment, unless
# DATA or ADDR are given (make run ADDR=:9090).
DATA    ?= $(or $(PUPNS_DATA),./data)
ADDR    ?= $(or $(PUPNS_ADDR),:8080)
TEMPL   := $(GO) tool templ

.PHONY: generate build run test e2e torture bench bench-office bench-national lint check clean sounds

generate: ## regenerate *_templ.go from views/*.templ
	$(TEMPL) generate

build: ## regenerate *_templ.go quietly and build bin/pupns
	@$(TEMPL) generate -log-level error
	$(GO) build -o $(BIN) .

run: build ## build, create the demo office on first start, serve on ADDR (PUPNS_ADDR, default :8080)
	./$(BIN) serve --data $(DATA) --addr $(ADDR) --demo

test: ## every test: store, handlers, and the browser tests in e2e/ (needs /usr/bin/chromium)
	$(GO) test -race -count=1 -timeout 30m ./...

e2e: ## only the browser tests, verbose
	$(GO) test -count=1 -v ./e2e/

torture: ## the slow fault tests on the real binary (kill -9, SIGTERM, slowloris, slow uploads, …); FIGURE lines are the measurements
	$(GO) test -tags torture -count=1 -timeout 40m -v ./e2e/torture/

bench: ## throughput and p99 at 64 clients, as ratios against baselines measured in the same run; the campaign's bytes per PNS (PUPNS_BENCH_PNS, default 2000)
	$(GO) test -run '^$$' -bench . -benchtime 3s -count 1 -timeout 150m ./handlers/
	$(GO) test -run '^$$' -bench Campaign -benchtime 1x -count 1 -timeout 60m ./store/

# bench-national: the national deadline week through one Kanreg hub: 600 simulated offices (NATIONAL_OFFICES) at
# 540 and 5,400 lines messages/s for NATIONAL_SECONDS each, the hub's batched receipt against one message per
# transaction in the same run (README › Scale).
NATIONAL_OFFICES ?= 600
NATIONAL_SECONDS ?= 30
bench-national: ## the national deadline week through one hub: 600 offices, 540/s and 5,400/s, batched vs per-message receipt
	PUPNS_NATIONAL_OFFICES=$(NATIONAL_OFFICES) PUPNS_NATIONAL_SECONDS=$(NATIONAL_SECONDS) \
		$(GO) test -run '^$$' -bench National -benchtime 1x -count 1 -timeout 30m ./handlers/bkn/

# bench-office builds (once, kept in OFFICE_CACHE by size) a demo office of OFFICE_PNS PNS, starts the real
# binary on it cold and warm, and replays the office's share of the deadline week at 10× for OFFICE_SECONDS.
OFFICE_PNS     ?= 250000
OFFICE_SECONDS ?= 60
OFFICE_CACHE   ?= $(or $(TMPDIR),/tmp)/pupns-office

bench-office: ## the deadline week at 250,000 PNS, replayed at 10× on the real binary; FIGURE lines are the measurements
	PUPNS_OFFICE_PNS=$(OFFICE_PNS) PUPNS_OFFICE_SECONDS=$(OFFICE_SECONDS) PUPNS_OFFICE_CACHE=$(OFFICE_CACHE) \
		$(GO) test -tags office -count=1 -timeout 90m -v ./e2e/office/

lint: ## go vet, staticcheck (pinned in go.mod), go.mod tidy, gofmt, templ fmt
	$(GO) vet ./...
	$(GO) vet -tags torture ./e2e/torture/
	$(GO) vet -tags office ./e2e/office/
	$(GO) tool staticcheck ./...
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	@out=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi
	@for f in $$(git ls-files '*.templ'); do $(TEMPL) fmt -stdout $$f 2>/dev/null | cmp -s - $$f || { echo "templ fmt would change: $$f"; exit 1; }; done

check: generate ## regenerate, fail if that changed the tree, then lint and test
	@git diff --exit-code --stat -- '*_templ.go' || { echo "generated files were stale: commit them"; exit 1; }
	$(MAKE) lint
	$(MAKE) test

sounds: ## remake the audio captcha's Indonesian digit sounds (needs espeak-ng and sox; the results are committed, builds need neither)
	static/captchaaudio/gen.sh

clean:
	rm -rf bin
