#!/usr/bin/env python3
"""Generate the tiny NLI parity fixtures under tests/fixtures/parity/.

Run from the repository root:

    /work/pyvenv/venv/bin/python scripts/make_parity_fixtures.py

For each architecture this script
  1. builds a tiny vocabulary from the built-in news-like CORPUS below
     (Unigram: `tokenizers`' UnigramTrainer; WordPiece: the WordPiece merge
     loop with deterministic tie-breaking) and wraps it in the transformers
     tokenizer class that real checkpoints of that architecture use (so the
     saved tokenizer.json is exactly what `AutoTokenizer` runs),
  2. builds a tiny randomly initialised *ForSequenceClassification model
     (transformers' own init under a fixed seed, initializer_range 0.2, then
     LayerNorm weights/biases and Linear biases perturbed so that every
     tensor carries signal),
  3. saves config.json + model.safetensors + tokenizer files,
  4. reloads the directory with AutoModelForSequenceClassification /
     AutoTokenizer and records the reference outputs in expected.json:
     single pairs, one right-padded batch, and zero-shot pipeline scores.

Everything is deterministic (fixed seeds, single-threaded torch); running the
script twice yields byte-identical files.  See tests/fixtures/parity/README.md.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import tokenizers  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers  # noqa: E402
from tokenizers import Regex  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForSequenceClassification,
    AutoTokenizer,
    BertConfig,
    BertForSequenceClassification,
    BertTokenizer,
    DebertaV2Config,
    DebertaV2ForSequenceClassification,
    DebertaV2Tokenizer,
    XLMRobertaConfig,
    XLMRobertaForSequenceClassification,
    XLMRobertaTokenizer,
)

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "tests" / "fixtures" / "parity"

# ---------------------------------------------------------------------------
# Built-in data
# ---------------------------------------------------------------------------

CORPUS = [
    "The foreign minister condemned the air strikes on the capital on Monday.",
    "Both sides agreed to a ceasefire after two days of talks in Cairo.",
    "Rebels shelled the northern town overnight, killing 12 civilians, officials said.",
    "The government announced new aid for families displaced by the fighting.",
    "Protesters gathered outside parliament to demand an end to the war.",
    "The United Nations called for an immediate humanitarian pause in the region.",
    "Army officials denied that soldiers had fired on the crowd.",
    "The president said the country would defend itself against any attack.",
    "Aid agencies warned that food supplies in the city were running out.",
    "The opposition leader praised the peace deal as a historic step.",
    "Talks between the two governments collapsed late on Thursday.",
    "Hundreds of people fled their homes as the violence spread to nearby villages.",
    "The prime minister expressed support for the ceasefire proposal.",
    "Witnesses said the explosion destroyed a market and damaged a school.",
    "The central bank raised interest rates to fight rising inflation.",
    "Oil prices fell sharply after the agreement was signed in Geneva.",
    "The election results were delayed because of disputes over the count.",
    "Human rights groups accused both armies of attacking civilians.",
    "The ministry of health said hospitals were struggling to treat the wounded.",
    "Negotiators hope to reach a lasting agreement before the end of the month.",
    "The spokesman rejected the accusations and called them propaganda.",
    "Thousands of refugees crossed the border into the neighbouring country.",
    "The council voted to impose new sanctions on the military leaders.",
    "Police arrested three men suspected of planning the bombing.",
    "The football team won the national championship for the third time.",
    "Markets rallied as investors welcomed news of the truce.",
    "The envoy travelled to the capital to meet the rebel commanders.",
    "Local journalists reported heavy gunfire near the airport on Sunday.",
    "The agreement includes the release of prisoners and the return of displaced families.",
    "Leaders from both parties condemned the attack and urged calm.",
    "The economy grew by 2 percent last year despite the conflict.",
    "Schools reopened in the south after months of closure.",
]

# (premise, hypothesis) pairs: different lengths (so the batch needs padding),
# a digit, an accented word, a currency sign that is not in the vocabulary
# ([UNK]) and a double space (normalisation).
PAIRS = [
    (
        "The foreign minister condemned the air strikes on the capital.",
        "The minister criticised the attack.",
    ),
    (
        "Both sides agreed to a ceasefire after talks in Cairo on Tuesday.",
        "The fighting has stopped.",
    ),
    (
        "Rebels shelled the northern town overnight, killing 12 civilians, officials said.",
        "Civilians were killed.",
    ),
    (
        "The government announced €5 million in aid for  displaced families in Zürich.",
        "The government ignored the refugees.",
    ),
    ("Protesters gathered outside parliament.", "People protested against the war."),
]

ZS_TEMPLATE = "This text is about {}."
ZS_SEQUENCES = [
    "The army launched new air strikes on the rebel-held city, killing dozens of civilians.",
    "The central bank raised interest rates as inflation reached a ten-year high.",
]
ZS_LABELS = ["war", "economy", "sports"]

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def set_seed(seed: int) -> None:
    torch.manual_seed(seed)
    np.random.seed(seed)


def tokenizer_training_texts() -> list[str]:
    return list(CORPUS)


def train_wordpiece_vocab(vocab_size: int) -> dict[str, int]:
    """WordPiece vocab (BERT-style normalisation) built by a deterministic merge loop.

    `tokenizers.trainers.WordPieceTrainer` is not reproducible across
    processes (merge ties are broken in Rust HashMap order, which is randomly
    seeded per process), so the merge loop -- the same BPE-with-"##"-prefix
    procedure the WordPiece trainer runs -- is done here with ties broken
    lexicographically.  Normalisation and pre-tokenisation are those of the
    `tokenizers` library (BertNormalizer + BertPreTokenizer).
    """
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    norm = normalizers.BertNormalizer(lowercase=True)
    pre = pre_tokenizers.BertPreTokenizer()
    counts: dict[str, int] = {}
    for text in tokenizer_training_texts():
        for word, _ in pre.pre_tokenize_str(norm.normalize_str(text)):
            counts[word] = counts.get(word, 0) + 1
    words = {w: [w[0]] + ["##" + c for c in w[1:]] for w in sorted(counts)}
    vocab = list(special)
    alphabet = sorted({s for syms in words.values() for s in syms}, key=lambda t: (t.startswith("##"), t))
    vocab += alphabet
    seen = set(vocab)
    while len(vocab) < vocab_size:
        pairs: dict[tuple[str, str], int] = {}
        for w, syms in words.items():
            for a, b in zip(syms, syms[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + counts[w]
        if not pairs:
            break
        (a, b), _ = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        merged = a + b[2:]
        for w, syms in words.items():
            out, i = [], 0
            while i < len(syms):
                if i + 1 < len(syms) and syms[i] == a and syms[i + 1] == b:
                    out.append(merged)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            words[w] = out
        if merged not in seen:
            seen.add(merged)
            vocab.append(merged)
    return {t: i for i, t in enumerate(vocab)}


def _train_unigram_once(vocab_size, normalizer, pre_tokenizer, unk_token) -> list[tuple[str, float]]:
    tok = Tokenizer(models.Unigram())
    if normalizer is not None:
        tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    trainer = trainers.UnigramTrainer(
        vocab_size=vocab_size,
        special_tokens=[unk_token],
        unk_token=unk_token,
        max_piece_length=8,
        show_progress=False,
    )
    tok.train_from_iterator(tokenizer_training_texts(), trainer)
    vocab = json.loads(tok.to_str())["model"]["vocab"]
    pieces = [(p, float(s)) for p, s in vocab if p != unk_token]
    # UnigramTrainer appends the required characters that did not survive
    # pruning with scores `min_score + k * 1e-4`, k following Rust HashSet
    # iteration order, which varies from process to process.  Canonicalise
    # just those (single characters within 0.01 of the minimum score): one
    # base score, tie-broken by code point.  Round every score.
    lowest = min(s for _, s in pieces)
    is_filler = [len(p) == 1 and s < lowest + 0.01 for p, s in pieces]
    kept = [(p, round(s, 6)) for (p, s), f in zip(pieces, is_filler) if not f]
    fillers = sorted(p for (p, _), f in zip(pieces, is_filler) if f)
    base = round(lowest, 2) - 0.01
    kept += [(c, round(base - 1e-3 * i, 6)) for i, c in enumerate(fillers)]
    return sorted(kept, key=lambda ps: (-ps[1], ps[0]))


def train_unigram_pieces(
    vocab_size: int,
    normalizer,
    pre_tokenizer,
    unk_token: str,
) -> list[tuple[str, float]]:
    """Unigram pieces (piece, log-prob) trained with `tokenizers`, specials excluded.

    Trained three times to check that the canonicalised result is reproducible.
    """
    runs = [_train_unigram_once(vocab_size, normalizer, pre_tokenizer, unk_token) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2], "UnigramTrainer result is not reproducible"
    return runs[0]


def perturb_(model: torch.nn.Module) -> None:
    """Give LayerNorm weights/biases and Linear/Conv biases random values.

    transformers initialises LayerNorm to (1, 0) and biases to 0; with those
    values a loader that mixes up or skips such tensors would still pass.
    """
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            lname = name.lower()
            if "layernorm" in lname or "layer_norm" in lname:
                if name.endswith("weight"):
                    p.copy_(1.0 + 0.2 * torch.randn_like(p))
                else:
                    p.copy_(0.1 * torch.randn_like(p))
            elif name.endswith(".bias"):
                p.copy_(0.1 * torch.randn_like(p))
        # Larger output layer -> logits of order 1..5 rather than ~0.5.
        for name, p in model.named_parameters():
            if name in ("classifier.weight", "classifier.out_proj.weight"):
                p.mul_(2.0)


def to_list(t: torch.Tensor):
    return t.detach().cpu().tolist()


def f32_list(t: torch.Tensor):
    return [float(x) for x in t.detach().cpu().to(torch.float32).reshape(-1).tolist()]


def dump_json(obj, indent: int = 0) -> str:
    """Pretty JSON with lists of scalars kept on one line (compact but diffable)."""
    pad, pad1 = " " * indent, " " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{pad1}{json.dumps(str(k), ensure_ascii=False)}: {dump_json(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(x, (dict, list)) for x in obj):
            return "[" + ", ".join(json.dumps(x, ensure_ascii=False) for x in obj) + "]"
        items = [pad1 + dump_json(x, indent + 1) for x in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


# ---------------------------------------------------------------------------
# Tokenizers per architecture
# ---------------------------------------------------------------------------


def make_bert_tokenizer() -> BertTokenizer:
    vocab = train_wordpiece_vocab(500)
    return BertTokenizer(vocab=vocab, do_lower_case=True, model_max_length=128)


def make_deberta_tokenizer(vocab_size: int) -> DebertaV2Tokenizer:
    # Same normaliser / pre-tokeniser as transformers' DebertaV2Tokenizer
    # (do_lower_case=False, split_by_punct=False, add_prefix_space=True).
    normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(r"\s{2,}|[\n\r\t]"), " "),
            normalizers.NFC(),
            normalizers.Strip(left=False, right=True),
        ]
    )
    pre = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    pieces = train_unigram_pieces(vocab_size, normalizer, pre, "[UNK]")
    # Layout of the real DeBERTa-v3 spm vocab: [PAD] [CLS] [SEP] [UNK] ... [MASK].
    vocab = [("[PAD]", 0.0), ("[CLS]", 0.0), ("[SEP]", 0.0), ("[UNK]", 0.0)] + pieces + [("[MASK]", 0.0)]
    tok = DebertaV2Tokenizer(vocab=vocab, do_lower_case=False, split_by_punct=False, model_max_length=128)
    assert tok.unk_token_id == 3 and tok.pad_token_id == 0, (tok.unk_token_id, tok.pad_token_id)
    return tok


def make_xlmr_tokenizer() -> XLMRobertaTokenizer:
    # Same pre-tokeniser as transformers' XLMRobertaTokenizer (no normaliser
    # because there is no sentencepiece precompiled charsmap).
    pre = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")]
    )
    pieces = train_unigram_pieces(400, None, pre, "<unk>")
    # Layout of the real XLM-R vocab: <s>=0 <pad>=1 </s>=2 <unk>=3 ... <mask>=last.
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)] + pieces + [("<mask>", 0.0)]
    # max_position_embeddings 128 minus padding_idx + 1 offset.
    tok = XLMRobertaTokenizer(vocab=vocab, model_max_length=126)
    assert tok.pad_token_id == 1 and tok.unk_token_id == 3, (tok.pad_token_id, tok.unk_token_id)
    return tok


# ---------------------------------------------------------------------------
# Model specs
# ---------------------------------------------------------------------------

COMMON = dict(
    hidden_size=32,
    num_hidden_layers=2,
    num_attention_heads=4,
    max_position_embeddings=128,
    hidden_act="gelu",
    initializer_range=0.2,
)


def label_maps(labels: list[str]):
    id2label = {i: l for i, l in enumerate(labels)}
    label2id = {l: i for i, l in enumerate(labels)}
    return id2label, label2id


def spec_bert():
    tok = make_bert_tokenizer()
    id2label, label2id = label_maps(["contradiction", "neutral", "entailment"])
    cfg = BertConfig(
        vocab_size=len(tok),
        intermediate_size=37,
        type_vocab_size=2,
        pad_token_id=tok.pad_token_id,
        id2label=id2label,
        label2id=label2id,
        **COMMON,
    )
    return tok, cfg, BertForSequenceClassification


def deberta_common(tok):
    return dict(
        vocab_size=len(tok),
        intermediate_size=37,
        relative_attention=True,
        pos_att_type=["p2c", "c2p"],
        max_relative_positions=-1,
        norm_rel_ebd="layer_norm",
        share_att_key=True,
        position_biased_input=False,
        type_vocab_size=0,
        layer_norm_eps=1e-7,
        pad_token_id=tok.pad_token_id,
        pooler_hidden_size=32,
        pooler_dropout=0.0,
        pooler_hidden_act="gelu",
        **COMMON,
    )


def spec_deberta_v3():
    tok = make_deberta_tokenizer(200)
    # Real DeBERTa-v3 MNLI heads use this order.
    id2label, label2id = label_maps(["entailment", "neutral", "contradiction"])
    # position_buckets 16 (real models: 256 with max_position_embeddings 512).
    # With 16 buckets (mid = 8) the log-bucket branch of
    # make_log_bucket_position is exercised by our ~20-30 token inputs; with
    # 256 and max_position_embeddings 128 it would never be reached.
    cfg = DebertaV2Config(position_buckets=16, id2label=id2label, label2id=label2id, **deberta_common(tok))
    return tok, cfg, DebertaV2ForSequenceClassification


def spec_deberta_v2():
    # Smaller vocab keeps this directory (whose 2 x 256 relative embeddings
    # alone take 64 KiB) well under 200 KB.
    tok = make_deberta_tokenizer(120)
    # microsoft/deberta-v2-xlarge-mnli style: 256 buckets and a conv layer
    # after the first encoder layer; labels as in that checkpoint.
    id2label, label2id = label_maps(["CONTRADICTION", "NEUTRAL", "ENTAILMENT"])
    cfg = DebertaV2Config(
        position_buckets=256,
        conv_kernel_size=3,
        conv_act="gelu",
        id2label=id2label,
        label2id=label2id,
        **deberta_common(tok),
    )
    return tok, cfg, DebertaV2ForSequenceClassification


def spec_xlm_roberta():
    tok = make_xlmr_tokenizer()
    id2label, label2id = label_maps(["CONTRADICTION", "NEUTRAL", "ENTAILMENT"])
    common = dict(COMMON)
    cfg = XLMRobertaConfig(
        vocab_size=len(tok),
        intermediate_size=64,
        type_vocab_size=1,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        layer_norm_eps=1e-5,
        id2label=id2label,
        label2id=label2id,
        **common,
    )
    return tok, cfg, XLMRobertaForSequenceClassification


SPECS = [
    ("bert", spec_bert, 1001),
    ("deberta_v3", spec_deberta_v3, 1002),
    ("deberta_v2", spec_deberta_v2, 1003),
    ("xlm_roberta", spec_xlm_roberta, 1004),
]

# ---------------------------------------------------------------------------
# Reference computation
# ---------------------------------------------------------------------------


def model_inputs(tok, enc: dict) -> dict:
    """What the pipeline feeds the model: only tok.model_input_names."""
    return {k: torch.as_tensor(enc[k]) for k in tok.model_input_names if k in enc}


def encode_pair(tok, premise: str, hypothesis: str) -> dict:
    # Exactly the zero-shot pipeline call (one pair, no padding).
    return tok(premise, hypothesis, truncation="only_first", return_token_type_ids=True)


def run_pairs(model, tok) -> list[dict]:
    out = []
    for premise, hypothesis in PAIRS:
        enc = encode_pair(tok, premise, hypothesis)
        batch1 = {k: [v] for k, v in enc.items()}
        with torch.no_grad():
            logits = model(**model_inputs(tok, batch1)).logits[0]
        out.append(
            {
                "premise": premise,
                "hypothesis": hypothesis,
                "input_ids": list(enc["input_ids"]),
                "token_type_ids": list(enc["token_type_ids"]),
                "attention_mask": list(enc["attention_mask"]),
                "logits": f32_list(logits),
            }
        )
    return out


def run_batch(model, tok) -> dict:
    enc = tok(
        [p for p, _ in PAIRS],
        [h for _, h in PAIRS],
        padding=True,
        truncation="only_first",
        return_token_type_ids=True,
    )
    assert tok.padding_side == "right"
    with torch.no_grad():
        logits = model(**model_inputs(tok, enc)).logits
    return {
        "input_ids": [list(x) for x in enc["input_ids"]],
        "token_type_ids": [list(x) for x in enc["token_type_ids"]],
        "attention_mask": [list(x) for x in enc["attention_mask"]],
        "logits": [f32_list(row) for row in logits],
    }


def entail_contra_ids(config) -> tuple[int, int]:
    """Mirror ZeroShotClassificationPipeline: entailment by name, contradiction by position."""
    entail = -1
    for label, ind in config.label2id.items():
        if label.lower().startswith("entail"):
            entail = int(ind)
    assert entail >= 0
    contra = -1 if entail == 0 else 0
    contra = contra % config.num_labels
    # Our label sets also satisfy the by-name rule.
    by_name = [int(i) for l, i in config.label2id.items() if l.lower().startswith("contradict")]
    assert by_name == [contra], (by_name, contra)
    return entail, contra


def zero_shot_by_hand(model, tok) -> list[dict]:
    entail, contra = entail_contra_ids(model.config)
    res = []
    for seq in ZS_SEQUENCES:
        scores = {}
        for label in ZS_LABELS:
            enc = encode_pair(tok, seq, ZS_TEMPLATE.format(label))
            with torch.no_grad():
                lg = model(**model_inputs(tok, {k: [v] for k, v in enc.items()})).logits[0].double()
            pair = torch.stack([lg[contra], lg[entail]])
            scores[label] = float(torch.softmax(pair, dim=0)[1])
        res.append(scores)
    return res


def zero_shot_pipeline(model, tok) -> list[dict]:
    pipe = transformers.pipeline("zero-shot-classification", model=model, tokenizer=tok, device="cpu")
    outs = pipe(ZS_SEQUENCES, candidate_labels=ZS_LABELS, hypothesis_template=ZS_TEMPLATE, multi_label=True)
    if isinstance(outs, dict):
        outs = [outs]
    res = []
    for seq, o in zip(ZS_SEQUENCES, outs):
        assert o["sequence"] == seq
        res.append({label: float(o["scores"][o["labels"].index(label)]) for label in ZS_LABELS})
    return res


def max_abs_diff(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def build(name: str, spec_fn, seed: int) -> dict:
    set_seed(seed)
    tok, cfg, cls = spec_fn()
    set_seed(seed)
    model = cls(cfg)
    perturb_(model)
    model.eval()

    d = OUT_DIR / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    model.save_pretrained(d, safe_serialization=True)
    tok.save_pretrained(d)

    # --- reference outputs from the *reloaded* directory -------------------
    m2 = AutoModelForSequenceClassification.from_pretrained(d)
    m2.eval()
    t2 = AutoTokenizer.from_pretrained(d)
    assert type(t2) is type(tok), (type(t2), type(tok))
    assert type(m2) is cls, type(m2)
    # Parameters survive the round trip bit-for-bit.
    sd1, sd2 = model.state_dict(), m2.state_dict()
    for k, v in sd1.items():
        assert torch.equal(v, sd2[k]), k

    pairs = run_pairs(m2, t2)
    pairs_orig = run_pairs(model, tok)
    assert [p["input_ids"] for p in pairs] == [p["input_ids"] for p in pairs_orig]
    d_reload = max_abs_diff([p["logits"] for p in pairs], [p["logits"] for p in pairs_orig])
    # (not bit-exact: from_pretrained may pick another attention kernel)
    assert d_reload < 1e-5, f"{name}: reload changed logits by {d_reload}"

    batch = run_batch(m2, t2)
    # Padding must not change anything: batch logits == single-pair logits.
    d_batch = max_abs_diff(batch["logits"], [p["logits"] for p in pairs])
    assert d_batch < 1e-5, f"{name}: batch vs single logits differ by {d_batch}"
    lens = [len(p["input_ids"]) for p in pairs]
    assert len(set(lens)) > 1, "pairs must differ in length so the batch is padded"
    for p, ids, mask in zip(pairs, batch["input_ids"], batch["attention_mask"]):
        n = len(p["input_ids"])
        assert ids[:n] == p["input_ids"] and all(x == tok.pad_token_id for x in ids[n:])
        assert mask == [1] * n + [0] * (len(ids) - n)

    # The raw tokenizer.json (what the Rust `tokenizers` crate loads) gives
    # the same encodings as transformers' AutoTokenizer.
    raw = Tokenizer.from_file(str(d / "tokenizer.json"))
    raw.no_padding()
    raw.no_truncation()
    for p in pairs:
        e = raw.encode(p["premise"], p["hypothesis"], add_special_tokens=True)
        assert e.ids == p["input_ids"], (name, e.tokens, p["input_ids"])
        assert e.type_ids == p["token_type_ids"], (name, e.type_ids, p["token_type_ids"])
        assert e.attention_mask == p["attention_mask"]

    # Zero-shot: pipeline and the by-hand formula must agree.
    zs_pipe = zero_shot_pipeline(m2, t2)
    zs_hand = zero_shot_by_hand(m2, t2)
    for a, b in zip(zs_pipe, zs_hand):
        for label in ZS_LABELS:
            assert abs(a[label] - b[label]) < 1e-6, (name, label, a[label], b[label])

    # The fixture must be discriminative: logits far from 0 and varying.
    all_logits = np.asarray([p["logits"] for p in pairs])
    max_abs = float(np.abs(all_logits).max())
    spread = float((all_logits.max(axis=0) - all_logits.min(axis=0)).max())
    zs_dev = max(abs(s - 0.5) for sc in zs_pipe for s in sc.values())
    assert max_abs > 0.5, f"{name}: logits too small ({max_abs})"
    assert spread > 0.2, f"{name}: logits do not vary between inputs ({spread})"
    assert zs_dev > 0.05, f"{name}: zero-shot scores all ~0.5 ({zs_dev})"

    expected = {
        "architecture": m2.config.architectures[0],
        "id2label": {str(k): v for k, v in sorted(m2.config.id2label.items())},
        "pairs": pairs,
        "batch": batch,
        "zero_shot": [
            {
                "sequence": seq,
                "candidate_labels": list(ZS_LABELS),
                "hypothesis_template": ZS_TEMPLATE,
                "scores": sc,
            }
            for seq, sc in zip(ZS_SEQUENCES, zs_pipe)
        ],
    }
    with open(d / "expected.json", "w", encoding="utf-8") as f:
        f.write(dump_json(expected))
        f.write("\n")

    size = dir_size(d)
    assert size < 200_000, f"{name}: {size} bytes"
    return {
        "name": name,
        "bytes": size,
        "vocab": len(tok),
        "max_abs_logit": max_abs,
        "logit_spread": spread,
        "batch_vs_single": d_batch,
        "seq_lens": lens,
    }


def main() -> int:
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, tokenizers {tokenizers.__version__}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, fn, seed in SPECS:
        info = build(name, fn, seed)
        print(
            f"{info['name']:12s} {info['bytes']:7d} B  vocab {info['vocab']:4d}  "
            f"max|logit| {info['max_abs_logit']:.3f}  spread {info['logit_spread']:.3f}  "
            f"batch-vs-single {info['batch_vs_single']:.2e}  lens {info['seq_lens']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
