#!/usr/bin/env bash
# Peer comparison: stance's encoder against ONNX Runtime and PyTorch on the
# same model files (sentence-transformers/all-MiniLM-L6-v2), the same
# sentences, the same thread count, interleaved, median of several rounds.
# Last line: `ratio candle/ort=R1 candle/torch=R2` (throughput ratios; above 1
# means stance is faster).
#
#   benches/compare/run.sh                      # 2000 sentences, 2 threads, 3 rounds
#   benches/compare/run.sh --rounds 5 --batch 64 --threads 1
#
# Options after the script name go to compare.py (`--help` lists them).
# First run: creates benches/compare/.venv from PyPI (requirements.txt; the
# torch wheel is large) and reuses it afterwards; COMPARE_VENV=DIR uses an
# existing virtualenv with the same packages instead.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# 1. The Python side, built once (rebuilt when requirements.txt changes).
venv="${COMPARE_VENV:-$here/.venv}"
stamp="$venv/.stance-requirements"
if [[ -z "${COMPARE_VENV:-}" ]] && ! cmp -s "$here/requirements.txt" "$stamp"; then
    echo "compare: creating $venv (pip install -r requirements.txt)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$stamp"
fi
python="$venv/bin/python"

# 2. The Rust side: the release binary (model lookup) and the encode example.
cargo build --release --locked --quiet --bin stance --example encode

# 3. The model files, from the local Hugging Face cache (as `make setup` puts them there).
model_dir="$(HF_HUB_OFFLINE=1 target/release/stance fetch-model sentence-transformers/all-MiniLM-L6-v2 2>/dev/null || true)"
if [[ -z "$model_dir" ]]; then
    python3 scripts/fetch_encoder.py >/dev/null
    model_dir="$(HF_HUB_OFFLINE=1 target/release/stance fetch-model sentence-transformers/all-MiniLM-L6-v2)"
fi

# 4. Time the three engines.
work="$root/target/compare"
mkdir -p "$work"
exec "$python" "$here/compare.py" \
    --model-dir "$model_dir" \
    --encode-bin "$root/target/release/examples/encode" \
    --articles datasets/train/articles.jsonl datasets/dev/articles.jsonl \
    --work "$work" \
    "$@"
