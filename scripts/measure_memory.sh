#!/usr/bin/env bash
# Peak memory of `stance score` at two (or more) dump sizes: if memory is
# bounded, the peak RSS stays flat while the dump grows.
#
# Each dump is the sample articles (datasets/samples/) repeated N times as
# JSONL (fresh ids, a `copy` meta field), scored with the tiny NLI fixture
# model so that the run takes minutes, not hours; peak RSS and wall time come
# from /usr/bin/time -v.
#
#   scripts/measure_memory.sh                 # 100x and 400x the samples
#   SIZES="10 100" scripts/measure_memory.sh  # other sizes
#   MODEL=models/stance-minilm PARTIES=config/parties.toml scripts/measure_memory.sh
#
# Environment: SIZES (multiples of the samples), MODEL, PARTIES (a parties
# file; empty = the built-in parties), BIN, CANDLE_NUM_THREADS (default 1:
# candle's CPU pool spin-waits, which hurts on a busy machine), WORK (keep the
# dumps and outputs there instead of a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/stance}
MODEL=${MODEL:-tests/fixtures/parity/bert}
SIZES=${SIZES:-"100 400"}
PARTIES=${PARTIES:-}
export CANDLE_NUM_THREADS=${CANDLE_NUM_THREADS:-1}
if [ -z "${WORK:-}" ]; then
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
[ -x "$BIN" ] || cargo build --release

printf '%-6s %10s %9s %9s %10s %14s %10s\n' size dump_MB articles sentences rows peak_RSS_MB wall_s
for n in $SIZES; do
    dump="$WORK/dump-$n.jsonl"
    python3 - "$n" > "$dump" <<'PY'
import json, os, sys
copies = int(sys.argv[1])
names = sorted(n for n in os.listdir("datasets/samples") if n.endswith(".txt"))
texts = [open(os.path.join("datasets/samples", n), encoding="utf-8").read() for n in names]
for copy in range(copies):
    for name, text in zip(names, texts):
        print(json.dumps({"id": f"{copy:06d}/{name[:-4]}", "text": text, "copy": copy}, ensure_ascii=False))
PY
    args=(score "$dump" -o "$WORK/out-$n.jsonl" --model "$MODEL" --quiet)
    [ -n "$PARTIES" ] && args+=(--parties "$PARTIES")
    /usr/bin/time -v "$BIN" "${args[@]}" 2> "$WORK/time-$n.txt"
    summary=$(grep '^stance:' "$WORK/time-$n.txt")
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time-$n.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time-$n.txt")
    seconds=$(python3 -c "import sys; p=[float(x) for x in sys.argv[1].split(':')]; print(round(sum(v*60**i for i, v in enumerate(reversed(p))), 1))" "$wall")
    articles=$(sed -E 's/^stance: ([0-9]+) articles.*/\1/' <<<"$summary")
    sentences=$(sed -E 's/.* ([0-9]+) sentences,.*/\1/' <<<"$summary")
    rows=$(sed -E 's/.* ([0-9]+) rows,.*/\1/' <<<"$summary")
    printf '%-6s %10.1f %9s %9s %10s %14.1f %10s\n' "${n}x" "$(stat -c %s "$dump" | awk '{print $1/1048576}')" \
        "$articles" "$sentences" "$rows" "$(awk "BEGIN {print $rss_kb/1024}")" "$seconds"
done
