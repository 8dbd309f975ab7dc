#!/usr/bin/env python3
"""Recompute the `stance eval` classification metrics from its files.

An independent check of the Rust implementation (python3 standard library
only): it reads the evaluation's inputs and the `--predictions` rows that
`stance eval` wrote, applies the closed-world protocol of CONTRACT.md
(section `stance eval`) and prints per-label precision / recall / F1 and
macro-F1, plus F1 per party, and holder accuracy.

    python3 scripts/recompute_metrics.py \\
        --articles datasets/dev/articles.jsonl --gold datasets/dev/gold.jsonl \\
        --predictions out/pred.jsonl [--report out/report.json --tol 1e-6]

Several splits at once (repeat --articles and --gold), restricted by date
(`--from-month` / `--before-month`: the articles dated that month or later /
before it; undated articles are left out of either), with the holder
slugs of a parties file:

    python3 scripts/recompute_metrics.py \\
        --articles datasets/train/articles.jsonl --articles datasets/silver/articles.jsonl \\
        --gold datasets/train/gold.jsonl --gold datasets/silver/gold.jsonl \\
        --predictions out/cv-predictions.jsonl --parties config/parties-extended.toml \\
        --from-month 2024-01

Protocol:
  * pairs = every sentence (article_id, sentence_index) with at least one
    gold row x every party that appears in the gold file, except `none`;
  * gold label = the gold row's 0/1, or 0 when the pair has no gold row;
  * predicted positive = the label is listed in the `labels` of the
    prediction row for (doc_id, sentence_index, party); a pair without a
    prediction row is predicted 0, and prediction rows for pairs outside
    the closed world are ignored (and counted).
  * precision = 0 when nothing is predicted positive, recall = 0 when there
    are no positives, F1 = 0 when precision + recall = 0 (as in Rust).

With --report, compares against the Rust JSON report: `macro_f1` and each
label's `f1` (required), and, where the report has them, `pairs`, the
holder accuracy and its row count, each
label's `positives`, and each party's per-label `f1`. Exit status: 0 when
everything matches within --tol, 1 on a mismatch, 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys

LABELS = ("condemn", "support", "ceasefire")
NO_PARTY = "none"


class InputError(Exception):
    """A file that does not follow the contract; the message names file and line."""


def read_jsonl(path):
    """Yield (line_number, object) for each non-blank line of a JSONL file."""
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as err:
                    raise InputError(f"{path}:{number}: invalid JSON: {err}") from None
                if not isinstance(row, dict):
                    raise InputError(f"{path}:{number}: expected a JSON object")
                yield number, row
    except OSError as err:
        raise InputError(f"{path}: {err}") from None


def field(row, key, path, number):
    """row[key], or an InputError naming the place when the key is missing."""
    if key not in row:
        raise InputError(f"{path}:{number}: missing field {key!r}")
    return row[key]


def as_binary(value, path, number, key):
    """Gold labels are 0/1 (JSON booleans accepted too)."""
    if value in (0, 1):  # also matches False / True
        return int(value)
    raise InputError(f"{path}:{number}: {key} must be 0 or 1, got {value!r}")


def load_articles(path):
    """Map article id -> (number of sentences, date or None).

    The counts sanity-check the gold file; the dates restrict by month.
    """
    articles = {}
    for number, row in read_jsonl(path):
        sentences = field(row, "sentences", path, number)
        date = row.get("date")
        if date is not None and not is_date(date):
            raise InputError(f"{path}:{number}: date {date!r} is not YYYY-MM-DD or YYYY-MM")
        articles[str(field(row, "id", path, number))] = (len(sentences), date)
    return articles


def is_date(text):
    """YYYY-MM or YYYY-MM-DD (as `stance train --time-split` reads an article's date)."""
    parts = text.split("-") if isinstance(text, str) else []
    return (
        len(parts) in (2, 3)
        and all(part.isascii() and part.isdigit() for part in parts)
        and [len(part) for part in parts] == [4, 2, 2][: len(parts)]
        and 1 <= int(parts[1]) <= 12
    )


def is_month(text):
    return is_date(text) and len(text) == 7


def load_many(paths, load, merge):
    """The files at `paths` read by `load` and combined by `merge`."""
    combined = None
    for path in paths:
        loaded = load(path)
        combined = loaded if combined is None else merge(combined, loaded, path)
    return combined


def merge_articles(first, second, path):
    for article_id in second:
        if article_id in first:
            raise InputError(f"{path}: article {article_id!r} is also in an earlier articles file")
    return {**first, **second}


def merge_gold(first, second, path):
    sentences, _, gold, holders = first
    for key, values in second[2].items():
        if key in gold and gold[key] != values:
            raise InputError(f"{path}: conflicting gold row for {key} in an earlier gold file")
    merged_holders = {key: list(slugs) for key, slugs in holders.items()}
    for key, slugs in second[3].items():
        # As load_gold does for repeated rows within one file: the union of their holders.
        kept = merged_holders.setdefault(key, [])
        kept.extend(h for h in slugs if h not in kept)
    return (sentences | second[0], sorted(set(first[1]) | set(second[1])),
            {**gold, **second[2]}, merged_holders)


def restrict_to(articles_kept, sentences, gold, holders):
    """The gold data of the kept articles only; the parties are those with a row in them."""
    sentences = {s for s in sentences if s[0] in articles_kept}
    gold = {key: values for key, values in gold.items() if key[0] in articles_kept}
    holders = {key: slugs for key, slugs in holders.items() if key[0] in articles_kept}
    return sentences, sorted({key[2] for key in gold}), gold, holders


def articles_in_period(articles, from_month=None, before_month=None):
    """Ids of the dated articles with month >= from_month and < before_month (undated: none)."""
    kept = set()
    for article_id, (_, date) in articles.items():
        if date is None:
            continue
        month = date[:7]  # zero-padded, so text order is time order
        if (from_month is None or month >= from_month) and (before_month is None or month < before_month):
            kept.add(article_id)
    return kept


def load_party_ids(path):
    """The party ids of a parties file (TOML, `[[party]]` tables with `id`)."""
    import tomllib

    try:
        with open(path, "rb") as handle:
            parties = tomllib.load(handle).get("party", [])
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"{path}: {err}") from None
    ids = [str(party.get("id")) for party in parties if "id" in party]
    if not ids:
        raise InputError(f"{path}: no [[party]] with an id")
    return ids


def load_gold(path):
    """Return (sentences, parties, gold, holders).

    sentences: set of (article_id, sentence_index) with at least one gold row;
    parties: sorted list of the parties in the file, `none` aside;
    gold: (article_id, sentence_index, party) -> tuple of 0/1 in LABELS order;
    holders: the same keys, for rows with a label -> list of gold holder slugs.
    """
    sentences, parties, gold = set(), set(), {}
    holders = {}
    for number, row in read_jsonl(path):
        sentence = (str(field(row, "article_id", path, number)), int(field(row, "sentence_index", path, number)))
        party = str(field(row, "party", path, number))
        values = tuple(as_binary(field(row, label, path, number), path, number, label) for label in LABELS)
        sentences.add(sentence)
        if party == NO_PARTY:
            continue  # marks a sentence without a target: it joins the closed world with all-0 pairs
        parties.add(party)
        key = sentence + (party,)
        if key in gold and gold[key] != values:
            raise InputError(f"{path}:{number}: conflicting duplicate gold row for {key}")
        gold[key] = values
        if any(values):
            slugs = [h.strip() for h in str(row.get("holder") or "").split(";") if h.strip()]
            holders.setdefault(key, []).extend(h for h in slugs if h not in holders.get(key, []))
    return sentences, sorted(parties), gold, holders


def load_predictions(path):
    """Map (doc_id, sentence_index, party) -> (set of predicted label names, holder or None)."""
    predicted = {}
    for number, row in read_jsonl(path):
        key = (
            str(field(row, "doc_id", path, number)),
            int(field(row, "sentence_index", path, number)),
            str(field(row, "party", path, number)),
        )
        labels = field(row, "labels", path, number)
        if not isinstance(labels, list):
            raise InputError(f"{path}:{number}: labels must be a list, got {labels!r}")
        if key in predicted:
            raise InputError(f"{path}:{number}: duplicate prediction row for {key}")
        predicted[key] = (set(labels), row.get("holder"))
    return predicted


def closed_world(sentences, parties):
    """Every (article_id, sentence_index, party) pair that is evaluated, in a stable order."""
    return [sentence + (party,) for sentence in sorted(sentences) for party in parties]


def safe_ratio(numerator, denominator):
    return numerator / denominator if denominator else 0.0


def scores(tp, predicted_positives, positives):
    """Precision, recall and F1 with the contract's conventions for empty denominators."""
    precision = safe_ratio(tp, predicted_positives)
    recall = safe_ratio(tp, positives)
    f1 = safe_ratio(2 * precision * recall, precision + recall)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "positives": positives,
        "predicted_positives": predicted_positives,
        "true_positives": tp,
    }


def label_metrics(pairs, gold, predicted):
    """Per-label metrics over the given pairs."""
    result = {}
    for index, label in enumerate(LABELS):
        tp = positives = predicted_positives = 0
        for pair in pairs:
            is_gold = gold.get(pair, (0, 0, 0))[index] == 1
            is_predicted = label in predicted.get(pair, ((), None))[0]
            positives += is_gold
            predicted_positives += is_predicted
            tp += is_gold and is_predicted
        result[label] = scores(tp, predicted_positives, positives)
    return result


def holder_accuracy(holders, predicted, party_ids):
    """Contract: over gold rows with a label, the share whose prediction row
    carries one of the gold holders; a gold slug that is neither one of
    `party_ids` nor `author` counts as `other`."""
    right = 0
    for key, slugs in holders.items():
        gold = {s if s == "author" or s in party_ids else "other" for s in slugs}
        right += predicted.get(key, ((), None))[1] in gold
    return {"accuracy": safe_ratio(right, len(holders)), "rows": len(holders)}


def compute(sentences, parties, gold, predicted, holders=None, party_ids=()):
    """The report-shaped metrics: pairs, macro_f1, labels, parties, holder, ignored prediction rows."""
    pairs = closed_world(sentences, parties)
    in_world = set(pairs)
    labels = label_metrics(pairs, gold, predicted)
    per_party = {
        party: label_metrics([pair for pair in pairs if pair[2] == party], gold, predicted) for party in parties
    }
    return {
        "pairs": len(pairs),
        "macro_f1": sum(labels[label]["f1"] for label in LABELS) / len(LABELS),
        "labels": labels,
        "parties": per_party,
        "holder": holder_accuracy(holders or {}, predicted, set(party_ids)),
        "ignored_predictions": sum(1 for key in predicted if key not in in_world),
        "unscored_pairs": sum(1 for pair in pairs if pair not in predicted),
    }


def format_table(metrics):
    lines = [
        f"pairs: {metrics['pairs']}  (not scored, counted as predicted 0: {metrics['unscored_pairs']}; "
        f"prediction rows outside the closed world, ignored: {metrics['ignored_predictions']})",
        "",
        f"{'label':<10} {'precision':>9} {'recall':>9} {'f1':>9} {'positives':>9} {'predicted':>9} {'tp':>6}",
    ]
    for label in LABELS:
        m = metrics["labels"][label]
        lines.append(
            f"{label:<10} {m['precision']:>9.6f} {m['recall']:>9.6f} {m['f1']:>9.6f} "
            f"{m['positives']:>9d} {m['predicted_positives']:>9d} {m['true_positives']:>6d}"
        )
    lines.append(f"{'macro-F1':<10} {'':>9} {'':>9} {metrics['macro_f1']:>9.6f}")
    holder = metrics["holder"]
    lines.append(f"holder accuracy {holder['accuracy']:.6f} over {holder['rows']} labelled gold rows")
    lines += ["", "F1 per party:", f"{'party':<16}" + "".join(f" {label:>10}" for label in LABELS)]
    for party, labels in metrics["parties"].items():
        lines.append(f"{party:<16}" + "".join(f" {labels[label]['f1']:>10.6f}" for label in LABELS))
    return "\n".join(lines)


def compare_with_report(metrics, report, tol):
    """Differences between our metrics and the Rust report, as readable strings (empty = match)."""
    problems = []

    def check_number(name, ours, theirs):
        if not isinstance(theirs, (int, float)) or isinstance(theirs, bool):
            problems.append(f"{name}: report has {theirs!r}, expected a number ({ours!r})")
        elif abs(ours - theirs) > tol:
            problems.append(f"{name}: recomputed {ours!r}, report {theirs!r}")

    check_number("macro_f1", metrics["macro_f1"], report.get("macro_f1"))
    report_labels = report.get("labels") or {}
    for label in LABELS:
        ours = metrics["labels"][label]
        theirs = report_labels.get(label) or {}
        check_number(f"labels.{label}.f1", ours["f1"], theirs.get("f1"))
        if "positives" in theirs:
            check_number(f"labels.{label}.positives", ours["positives"], theirs["positives"])
    # Optional fields: compared when the report carries them, since a count
    # mismatch usually explains an F1 mismatch.
    if "pairs" in report:
        check_number("pairs", metrics["pairs"], report["pairs"])
    if "holder" in report:
        check_number("holder.accuracy", metrics["holder"]["accuracy"], (report["holder"] or {}).get("accuracy"))
        check_number("holder.rows", metrics["holder"]["rows"], (report["holder"] or {}).get("rows"))
    for party, theirs_party in (report.get("parties") or {}).items():
        if party not in metrics["parties"]:
            problems.append(f"parties.{party}: in the report but not a gold party")
            continue
        for label in LABELS:
            theirs = (theirs_party or {}).get(label) or {}
            if "f1" in theirs:
                check_number(f"parties.{party}.{label}.f1", metrics["parties"][party][label]["f1"], theirs["f1"])
    return problems


def warn_about_articles(articles, sentences):
    """Gold sentences that the articles file does not have point at mismatched inputs."""
    missing = sorted(s for s in sentences if s[0] not in articles or not 0 <= s[1] < articles[s[0]][0])
    for article_id, index in missing[:10]:
        print(f"warning: gold sentence ({article_id}, {index}) is not in the articles file", file=sys.stderr)
    if len(missing) > 10:
        print(f"warning: ... and {len(missing) - 10} more", file=sys.stderr)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", required=True, action="append",
                        help="ARTICLES.jsonl given to stance eval (repeatable: several splits as one)")
    parser.add_argument("--gold", required=True, action="append",
                        help="GOLD.jsonl given to stance eval (repeatable)")
    parser.add_argument("--predictions", required=True, help="PRED.jsonl written by stance eval --predictions")
    parser.add_argument("--report", help="REPORT.json written by stance eval --json, to compare with")
    parser.add_argument(
        "--party-ids",
        default="israel,hamas,palestinians,united_states,russia",
        help="comma-separated party ids of the parties file in use (holder slugs outside them count as other)",
    )
    parser.add_argument("--parties", help="a parties file (TOML) whose ids are the holder slugs; overrides --party-ids")
    parser.add_argument("--from-month", metavar="YYYY-MM",
                        help="only the articles dated this month or later (undated ones left out)")
    parser.add_argument("--before-month", metavar="YYYY-MM",
                        help="only the articles dated before this month (undated ones left out)")
    parser.add_argument("--tol", type=float, default=1e-6, help="absolute tolerance of the comparison (default 1e-6)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        for name in ("from_month", "before_month"):
            month = getattr(args, name)
            if month is not None and not is_month(month):
                raise InputError(f"--{name.replace('_', '-')} {month!r}: give a month as YYYY-MM")
        articles = load_many(args.articles, load_articles, merge_articles)
        sentences, parties, gold, holders = load_many(args.gold, load_gold, merge_gold)
        if args.from_month or args.before_month:
            kept = articles_in_period(articles, args.from_month, args.before_month)
            sentences, parties, gold, holders = restrict_to(kept, sentences, gold, holders)
        party_ids = load_party_ids(args.parties) if args.parties else args.party_ids.split(",")
        predicted = load_predictions(args.predictions)
        report = None
        if args.report:
            try:
                with open(args.report, encoding="utf-8") as handle:
                    report = json.load(handle)
            except (OSError, json.JSONDecodeError) as err:
                raise InputError(f"{args.report}: {err}") from None
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2

    warn_about_articles(articles, sentences)
    metrics = compute(sentences, parties, gold, predicted, holders, party_ids)
    print(format_table(metrics))
    if report is None:
        return 0
    problems = compare_with_report(metrics, report, args.tol)
    if problems:
        print(f"\nMISMATCH with {args.report} (tolerance {args.tol:g}):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"\nreport {args.report} matches (tolerance {args.tol:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
