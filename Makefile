# loyalty-inference: `make serve` and `make test` work on a fresh clone with Node.js and npm.
SHELL := /bin/bash
NODE_MODULES := node_modules/.package-lock.json
PROTO_FILES := $(wildcard proto/loyalty/v1/*.proto) $(wildcard proto/inference/*.proto)
GEN_TYPES := npx --no-install proto-loader-gen-types --longs=String --enums=String --defaults --oneofs \
	--includeComments --grpcLib=@grpc/grpc-js -I proto
SOURCES := $(shell find src -name '*.ts' 2>/dev/null)

.PHONY: setup build serve test test-unit test-tools lint format proto check-proto seed-mysql materialize import-cdnow client models telco telco-reference real-data cdnow-ltv cdnow-variants bench bench-tools soak scale fuzz clean

setup: $(NODE_MODULES)

# `npm install`, not `npm ci`: npm 11 writes lock files without the other platforms' optional
# packages (Biome's binaries) and then its own `npm ci` refuses them. With the lock file present,
# `npm install` installs exactly the locked versions and leaves the lock file unchanged.
$(NODE_MODULES): package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

build: dist/.built

dist/.built: $(NODE_MODULES) $(SOURCES) tsconfig.json
	npx --no-install tsc -p tsconfig.json
	@touch $@

## Regenerates the TypeScript types of the protobuf contract.
proto: $(NODE_MODULES)
	rm -rf src/generated
	$(GEN_TYPES) -O src/generated $(patsubst proto/%,%,$(PROTO_FILES))

## Fails when src/generated does not match proto/ (proto and code must not drift).
check-proto: $(NODE_MODULES)
	@tmp=$$(mktemp -d) && $(GEN_TYPES) -O $$tmp $(patsubst proto/%,%,$(PROTO_FILES)) >/dev/null && \
	  if diff -r $$tmp src/generated >/dev/null; then echo "generated types match proto/"; rm -rf $$tmp; \
	  else echo "src/generated is stale: run 'make proto'"; diff -r $$tmp src/generated | head -20; rm -rf $$tmp; exit 1; fi

## Freed model buffers go back to the system instead of staying in glibc's per-thread arenas
## (README, Unloading); a value of GLIBC_TUNABLES already set is kept.
serve: build
	GLIBC_TUNABLES=$${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=65536:glibc.malloc.trim_threshold=65536} node dist/cli/serve.js

lint: $(NODE_MODULES)
	npx --no-install biome check --error-on-warnings .
	npx --no-install tsc -p test/tsconfig.json --noEmit

format: $(NODE_MODULES)
	npx --no-install biome check --write .

test: build check-proto lint test-tools
	npx --no-install vitest run

## Pure logic only: no server, no dist/, no database server; files in parallel (about 30 s).
test-unit: $(NODE_MODULES)
	npx --no-install vitest run --project unit

## What the tests drive the server with, installed from Debian when missing: h2load (the benchmark
## smoke run), Debian's Python gRPC (the independent Open Inference Protocol client), chromium
## (the console's browser test, driven by playwright-core), openssl (the TLS test's certificates) and
## kubectl (renders deploy/'s Kustomize manifests offline; Debian's kubernetes-client when none is on PATH).
## promtool (checks deploy/'s alerting rules) is taken out of Debian's prometheus package into
## $(PROMTOOL_DIR) rather than installed: the package would also install and start a Prometheus server.
PROMTOOL_DIR := node_modules/.cache/prometheus
test-tools:
	@missing=""; \
	command -v h2load >/dev/null || command -v ghz >/dev/null || missing="nghttp2-client"; \
	/usr/bin/python3 -c 'import grpc, grpc_tools' 2>/dev/null || missing="$$missing python3-grpcio python3-grpc-tools"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	command -v kubectl >/dev/null || missing="$$missing kubernetes-client"; \
	if [ -n "$$missing" ]; then echo "installing$$missing"; apt-get update -qq && apt-get install -y -qq $$missing; fi
	@command -v promtool >/dev/null || test -x $(PROMTOOL_DIR)/usr/bin/promtool || { \
	  echo "extracting promtool from Debian's prometheus package into $(PROMTOOL_DIR)"; \
	  tmp=$$(mktemp -d) && chmod 777 $$tmp && \
	  { (cd $$tmp && apt-get download -qq prometheus) || { apt-get update -qq && (cd $$tmp && apt-get download -qq prometheus); }; } && \
	  mkdir -p $(PROMTOOL_DIR) && dpkg-deb -x $$tmp/prometheus_*.deb $(PROMTOOL_DIR) && rm -rf $$tmp; }

## The feature store at scale: built-in materialization of 100k and 1M customers, a 10M-row file
## view, each with wall time, peak RSS and online lookup p50/p99 (bench/scale.js; ARGS to change sizes).
scale: build
	node bench/scale.js $(ARGS)

## Trains every target of models/pipeline.json from the demo store and rewrites models/.
models: build
	node dist/cli/train-models.js --config models/pipeline.json --out models

## Churn on the IBM Telco data: test ROC-AUC on a fixed stratified split and over 20 splits.
telco: build
	node dist/cli/telco-churn.js --input ../shared/datasets/telco-customer-churn.csv --splits 20

## The reference logistic regression of `make telco` over 200 splits, the project's and scikit-learn's
## (Debian's python3-sklearn, installed when missing): how much of a 20-split mean is the splits;
## then other encodings and models (interactions, splines, gradient boosting) on our seeds 0-19.
telco-reference: build
	@/usr/bin/python3 -c 'import sklearn' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-sklearn; }
	/usr/bin/python3 bench/telco-reference.py --input ../shared/datasets/telco-customer-churn.csv --splits 200

## Every model kind on real public data (../shared/datasets), by configuration only
## (models/real-data-pipeline.json): ours against scikit-learn references on the same splits and the
## published figures, one table (bench/real-data.js; Debian's python3-sklearn, installed when missing).
real-data: build
	@/usr/bin/python3 -c 'import sklearn' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-sklearn; }
	node bench/real-data.js $(ARGS)

## LTV on CDNOW: holdout spend against the mean, zero, RFM and BG/NBD baselines.
cdnow-ltv: build
	node dist/cli/cdnow-ltv.js --input ../shared/datasets/cdnow-sample.txt --splits 10

## What else was tried for LTV on CDNOW (averaged networks, BG/NBD's inputs, quantile heads).
cdnow-variants: build
	node bench/cdnow-variants.js --input ../shared/datasets/cdnow-sample.txt --splits 6

## h2load (Debian's nghttp2-client) for the benchmarks, unless ghz or h2load is on PATH.
bench-tools:
	@command -v ghz >/dev/null || command -v h2load >/dev/null || \
	  { apt-get update -qq && apt-get install -y -qq nghttp2-client; }

## Every benchmark scenario in one run; writes bench/results/latest.json and bench/README.md.
bench: build bench-tools
	node dist/cli/seed.js --target mysql --if-needed
	node dist/cli/seed.js --target postgres --if-needed
	node bench/run.js --out bench/results

## The server at 70% of its capacity for SOAK_MINUTES: RSS, heap and errors over time.
SOAK_MINUTES ?= 10
soak: build
	node bench/soak.js --minutes $(SOAK_MINUTES)

## Mutated requests of every RPC against a real server for FUZZ_SECONDS (make test runs 8 s).
FUZZ_SECONDS ?= 60
fuzz: build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_REPORT=bench/results/fuzz.json npx --no-install vitest run test/fuzz

## Loads the demo base into the MySQL/MariaDB of LOYALTY_MYSQL_URL and materializes it.
seed-mysql: build
	node dist/cli/seed.js --target mysql

## Recomputes and publishes the store's features from its own records (the scheduled job's command).
materialize: build
	node dist/cli/materialize.js $(ARGS)

## RFM of the CDNOW sample (../shared/datasets) as of 1998-06-30, in an SQLite file under data/.
import-cdnow: build
	node dist/cli/import-transactions.js --format cdnow --input ../shared/datasets/cdnow-sample.txt \
	  --sqlite data/cdnow.sqlite --as-of 1998-06-30 --currency USD

## A call to a running server: make client ARGS="rfm C0000001"
client: build
	node dist/cli/client.js $(ARGS)

clean:
	rm -rf dist data
