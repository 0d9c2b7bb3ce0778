# The two commands of the README: `make demo` (the main job) and `make test` (every test).
SWIFT ?= swift
BENCH_ARGS ?=
# CasADi lives in .venv/ when the system Python lacks it (scripts/install-deps.sh).
export PATH := $(CURDIR)/.venv/bin:$(PATH)

.PHONY: demo test bench bench-quick deps templates clean tutorial

deps:
	@bash scripts/install-deps.sh

demo: deps
	@$(SWIFT) build -c release --product demo
	@$(SWIFT) build -c release --product robot-arm
	@$(SWIFT) build -c release --product embedded
	@$(SWIFT) build -c release --product tutorial
	@$(SWIFT) build -c release --product mpc-cartpole
	@.build/release/demo
	@.build/release/robot-arm
	@.build/release/embedded
	@.build/release/tutorial
	@.build/release/mpc-cartpole

# The tutorial example alone (README, "tutorial").
tutorial: deps
	@$(SWIFT) build -c release --product tutorial
	@.build/release/tutorial

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

bench: deps
	@$(SWIFT) build -c release --product diffgen-bench
	@rm -f bench/summary.json
	@.build/release/diffgen-bench $(BENCH_ARGS)
	$(if $(findstring --quick,$(BENCH_ARGS)),,@.build/release/diffgen-bench robots)
	$(if $(findstring --quick,$(BENCH_ARGS)),,@.build/release/diffgen-bench batch)
	$(if $(findstring --quick,$(BENCH_ARGS)),,@.build/release/diffgen-bench repeat)
	$(if $(findstring --quick,$(BENCH_ARGS)),,@.build/release/diffgen-bench ocp)
	$(if $(findstring --quick,$(BENCH_ARGS)),,@.build/release/diffgen-bench acados)
	$(if $(findstring --quick,$(BENCH_ARGS)),,@.build/release/diffgen-bench colpack)

bench-quick:
	@$(MAKE) --no-print-directory bench BENCH_ARGS=--quick

# Re-embeds Templates/ into the Swift sources (a test fails when they differ).
templates:
	python3 scripts/embed-templates.py

clean:
	rm -rf .build
