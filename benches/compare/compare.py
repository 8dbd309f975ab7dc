#!/usr/bin/env python3
"""Times one sentence encoder three ways on the same sentences, interleaved:
stance's CPU encoder (candle weights, examples/encode.rs), ONNX Runtime and
PyTorch (transformers). Called by benches/compare/run.sh, which builds the
virtualenv and the Rust program first.

Every engine gets the same pre-tokenized sentences (tokenizer.json of the
model), the same thread count, length-sorted batches, and mean pooling over
real tokens (sentence-transformers' pooling). Timed: forward passes and
pooling, not model loading or tokenization. Each round runs the three engines
in a rotating order; the figure per engine is the median over rounds.
Checks that the pooled vectors agree (cosine >= 0.9999 for every sentence).
Last line: `ratio candle/ort=R1 candle/torch=R2` (throughput ratios).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model-dir", required=True, help="Hugging Face model directory (config.json, model.safetensors, tokenizer.json)")
    p.add_argument("--encode-bin", required=True, help="the built examples/encode binary")
    p.add_argument("--articles", nargs="+", required=True, help="JSONL files whose `sentences` lists are the sentence pool")
    p.add_argument("--sentences", type=int, default=2000, help="sentences to encode (the pool repeated and shuffled)")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported")
    p.add_argument("--batch", type=int, default=32, help="sequences per batch for ONNX Runtime and PyTorch (length-sorted)")
    p.add_argument("--candle-batch", type=int, default=None, help="most sequences per batch for stance (default: its own)")
    p.add_argument("--candle-token-budget", type=int, default=None, help="most tokens per batch for stance (default: its own)")
    p.add_argument("--max-length", type=int, default=256, help="truncate longer sentences (all-MiniLM-L6-v2 was trained at 256)")
    p.add_argument("--work", default=None, help="directory for the ONNX export and vectors (default: a temporary one)")
    p.add_argument("--min-cosine", type=float, default=0.9999)
    return p.parse_args()


def sentence_pool(paths, n, seed):
    """The `sentences` of every article, repeated until there are `n`, shuffled with `seed`."""
    pool = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    pool.extend(s for s in json.loads(line).get("sentences", []) if s.strip())
    if not pool:
        sys.exit(f"no sentences in {paths}")
    out = []
    while len(out) < n:
        out.extend(pool)
    rng = random.Random(seed)
    rng.shuffle(out)
    return out[:n]


def tokenize(model_dir, sentences, max_length):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length)
    return [e.ids for e in tok.encode_batch(sentences)]


def sorted_batches(ids, batch):
    """Indices in length order, cut into batches of `batch` (the same for ONNX Runtime and PyTorch)."""
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    return [order[i : i + batch] for i in range(0, len(order), batch)]


def padded(ids, rows):
    import numpy as np

    width = max(len(ids[i]) for i in rows)
    input_ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for r, i in enumerate(rows):
        input_ids[r, : len(ids[i])] = ids[i]
        mask[r, : len(ids[i])] = 1
    return input_ids, mask


def mean_pool(hidden, mask):
    import numpy as np

    m = mask[..., None].astype(np.float32)
    return (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)


class Ort:
    name = "ort"

    def __init__(self, onnx_path, threads):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.version = ort.__version__

    def encode(self, ids, batches, dim):
        import numpy as np

        out = np.zeros((len(ids), dim), dtype=np.float32)
        start = time.perf_counter()
        for rows in batches:
            input_ids, mask = padded(ids, rows)
            feed = {"input_ids": input_ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(input_ids)
            hidden = self.session.run(None, feed)[0]
            out[rows] = mean_pool(hidden, mask)
        return time.perf_counter() - start, out


class Torch:
    name = "torch"

    def __init__(self, model_dir, threads):
        import torch
        from transformers import AutoModel

        torch.set_num_threads(threads)
        self.torch = torch
        self.model = AutoModel.from_pretrained(model_dir, torch_dtype=torch.float32).eval()
        self.version = torch.__version__

    def encode(self, ids, batches, dim):
        import numpy as np

        torch = self.torch
        out = np.zeros((len(ids), dim), dtype=np.float32)
        start = time.perf_counter()
        with torch.inference_mode():
            for rows in batches:
                input_ids, mask = padded(ids, rows)
                input_ids, mask_t = torch.from_numpy(input_ids), torch.from_numpy(mask)
                hidden = self.model(input_ids=input_ids, attention_mask=mask_t, token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
                m = mask_t.unsqueeze(-1).to(hidden.dtype)
                out[rows] = ((hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)).numpy()
        return time.perf_counter() - start, out


class Candle:
    """stance's encoder, a separate process per round (it reports its own encode time)."""

    name = "candle"

    def __init__(self, binary, model_dir, threads, batch, budget, work):
        self.binary, self.model_dir, self.threads, self.batch, self.budget, self.work = binary, model_dir, threads, batch, budget, work

    def encode(self, ids, sentences_file, dim):
        import numpy as np

        vectors = Path(self.work) / "candle.f32"
        cmd = [self.binary, "--model", str(self.model_dir), "--ids", str(sentences_file), "--out", str(vectors)]
        if self.batch:
            cmd += ["--max-batch", str(self.batch)]
        if self.budget:
            cmd += ["--token-budget", str(self.budget)]
        env = dict(os.environ, RAYON_NUM_THREADS=str(self.threads))
        result = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{result.stderr}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        out = np.fromfile(vectors, dtype="<f4").reshape(len(ids), dim)
        return report["seconds"], out


def export_onnx(model_dir, path):
    import torch
    from transformers import AutoModel

    class LastHidden(torch.nn.Module):
        # Keyword arguments: transformers' forward() has more positional parameters than these three.
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    # Eager attention: the traced graph then always applies the mask (SDPA's
    # path may skip an all-ones mask at trace time and bake that in).
    model = LastHidden(AutoModel.from_pretrained(model_dir, torch_dtype=torch.float32, attn_implementation="eager").eval())
    sample = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones_like(sample)
    mask[1, 10:] = 0
    with torch.no_grad():
        torch.onnx.export(
            model,
            (sample, mask, torch.zeros_like(sample)),
            str(path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "sequence"} for name in ["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )


def min_cosine(a, b):
    import numpy as np

    num = (a * b).sum(1)
    den = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return float((num / np.maximum(den, 1e-12)).min())


def main():
    args = parse_args()
    # Quiet transformers/torch: export tracer warnings and weight-loading progress bars are noise here.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import warnings

    warnings.filterwarnings("ignore")
    work = Path(args.work or tempfile.mkdtemp(prefix="stance-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    config = json.loads((Path(args.model_dir) / "config.json").read_text())
    dim = config["hidden_size"]

    sentences = sentence_pool(args.articles, args.sentences, args.seed)
    ids = tokenize(args.model_dir, sentences, args.max_length)
    ids_file = work / "ids.jsonl"
    ids_file.write_text("".join(json.dumps(i) + "\n" for i in ids))
    tokens = sum(len(i) for i in ids)
    print(f"{len(ids)} sentences, {tokens} tokens (mean {tokens / len(ids):.1f}), {args.threads} threads, {args.rounds} rounds", flush=True)

    onnx_path, exported_from = work / "model.onnx", work / "model.onnx.source"
    if not onnx_path.exists() or not exported_from.exists() or exported_from.read_text() != str(args.model_dir):
        export_onnx(args.model_dir, onnx_path)
        exported_from.write_text(str(args.model_dir))
    batches = sorted_batches(ids, args.batch)
    engines = [
        Candle(args.encode_bin, args.model_dir, args.threads, args.candle_batch, args.candle_token_budget, work),
        Ort(onnx_path, args.threads),
        Torch(args.model_dir, args.threads),
    ]
    # Warm-up (first-call allocations, lazy initialisation), not timed.
    warm = sorted_batches(ids[:64], args.batch)
    engines[1].encode(ids[:64], warm, dim)
    engines[2].encode(ids[:64], warm, dim)

    seconds = {e.name: [] for e in engines}
    vectors = {}
    for r in range(args.rounds):
        for e in engines[r % 3 :] + engines[: r % 3]:
            took, out = e.encode(ids, ids_file if e.name == "candle" else batches, dim)
            seconds[e.name].append(took)
            vectors[e.name] = out
            print(f"round {r + 1} {e.name}: {took:.2f} s, {len(ids) / took:.1f} sentences/s", flush=True)

    rate = {name: len(ids) / statistics.median(s) for name, s in seconds.items()}
    print(f"onnxruntime {engines[1].version}, torch {engines[2].version}; ORT/torch batch {args.batch} length-sorted")
    for name in rate:
        print(f"{name}: median {statistics.median(seconds[name]):.2f} s = {rate[name]:.1f} sentences/s")
    cos_ort, cos_torch = min_cosine(vectors["candle"], vectors["ort"]), min_cosine(vectors["candle"], vectors["torch"])
    print(f"min cosine candle/ort={cos_ort:.7f} candle/torch={cos_torch:.7f}")
    if min(cos_ort, cos_torch) < args.min_cosine:
        print(f"FAIL: pooled vectors differ (cosine below {args.min_cosine})", file=sys.stderr)
        print(f"ratio candle/ort={rate['candle'] / rate['ort']:.2f} candle/torch={rate['candle'] / rate['torch']:.2f}")
        sys.exit(1)
    print(f"ratio candle/ort={rate['candle'] / rate['ort']:.2f} candle/torch={rate['candle'] / rate['torch']:.2f}")


if __name__ == "__main__":
    main()
