#!/usr/bin/env python3
"""Self-test of recompute_metrics.py on a hand-made example.

Run from anywhere:  python3 scripts/test_recompute_metrics.py

The example (written to a temporary directory):

  articles: a1 with sentences 0, 1, 2; a2 with sentences 0, 1.
  gold rows:
    a1/0 israel  condemn=1 support=0 ceasefire=0
    a1/0 hamas   condemn=0 support=0 ceasefire=1
    a1/1 none    all 0            (sentence without a target: in the closed world)
    a2/0 hamas   condemn=1 support=1 ceasefire=0
  a1/2 and a2/1 have no gold row: context only.
  Gold parties: israel, hamas -> closed world = 3 sentences x 2 parties = 6 pairs:
    a1/0 israel (C), a1/0 hamas (F), a1/1 israel, a1/1 hamas,
    a2/0 israel (no row: gold 0), a2/0 hamas (C, S).

  prediction rows (labels):
    a1/0 israel  [condemn]              -> condemn TP
    a1/0 hamas   [condemn, ceasefire]   -> condemn FP, ceasefire TP
    a1/1 israel  [support]              -> support FP
    a2/0 hamas   [support]              -> condemn FN, support TP
    a1/2 israel  [condemn]              -> sentence outside the closed world: ignored
    a2/0 russia  [condemn]              -> party not in gold: ignored
    (a1/1 hamas and a2/0 israel have no row: predicted 0)

  condemn:   positives 2, predicted 2, TP 1 -> P 1/2, R 1/2, F1 1/2
  support:   positives 1, predicted 2, TP 1 -> P 1/2, R 1,   F1 2*(1/2)*1/(3/2) = 2/3
  ceasefire: positives 1, predicted 1, TP 1 -> P 1,   R 1,   F1 1
  macro-F1 = (1/2 + 2/3 + 1) / 3 = 13/18

  per party (F1):
    israel: condemn TP 1 of 1 predicted, 1 positive -> 1; support: 1 predicted, 0 positives
            -> P 0, R 0 (no positives) -> 0; ceasefire: nothing -> 0
    hamas:  condemn: predicted a1/0 (FP), positive a2/0 (FN) -> 0; support 1; ceasefire 1
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import recompute_metrics as rm  # noqa: E402


def gold_row(article, index, party, condemn, support, ceasefire, holder=None):
    return {"article_id": article, "sentence_index": index, "sentence": f"{article} sentence {index}",
            "party": party, "condemn": condemn, "support": support, "ceasefire": ceasefire, "holder": holder}


def prediction_row(doc, index, party, labels, holder=None):
    # The full `stance score` row shape; doc_id, sentence_index, party, labels and holder matter.
    scores = {label: (0.9 if label in labels else 0.1) for label in rm.LABELS}
    return {"doc_id": doc, "sentence_index": index, "start": 0, "end": 10, "sentence": "...", "party": party,
            "mentions": [], **scores, "labels": labels, "holder": holder, "model": "test", "meta": {}}


ARTICLES = [
    {"id": "a1", "text": "S0. S1. S2.", "sentences": ["S0.", "S1.", "S2."]},
    {"id": "a2", "text": "T0. T1.", "sentences": ["T0.", "T1."]},
]
GOLD = [
    gold_row("a1", 0, "israel", 1, 0, 0, "russia"),
    gold_row("a1", 0, "hamas", 0, 0, 1, "eu"),
    gold_row("a1", 1, "none", 0, 0, 0),
    gold_row("a2", 0, "hamas", 1, 1, 0, "author;turkey"),
]
# Holders: a1/0 israel right (russia); a1/0 hamas right ("eu" is not a
# party: other); a2/0 hamas wrong (united_states, gold author or other).
# Holder accuracy 2/3 over the 3 labelled gold rows.
PREDICTIONS = [
    prediction_row("a1", 0, "israel", ["condemn"], "russia"),
    prediction_row("a1", 0, "hamas", ["condemn", "ceasefire"], "other"),
    prediction_row("a1", 1, "israel", ["support"], "author"),
    prediction_row("a2", 0, "hamas", ["support"], "united_states"),
    prediction_row("a1", 2, "israel", ["condemn"]),
    prediction_row("a2", 0, "russia", ["condemn"]),
]
EXPECTED_F1 = {"condemn": 1 / 2, "support": 2 / 3, "ceasefire": 1.0}
EXPECTED_MACRO = 13 / 18


class RecomputeMetricsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.paths = {}
        for name, rows in (("articles", ARTICLES), ("gold", GOLD), ("predictions", PREDICTIONS)):
            self.paths[name] = self.write(f"{name}.jsonl", "".join(json.dumps(row) + "\n" for row in rows))

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def run_main(self, *extra):
        argv = ["--articles", self.paths["articles"], "--gold", self.paths["gold"],
                "--predictions", self.paths["predictions"], *extra]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = rm.main(argv)
        return status, out.getvalue(), err.getvalue()

    def metrics(self):
        sentences, parties, gold, holders = rm.load_gold(self.paths["gold"])
        predicted = rm.load_predictions(self.paths["predictions"])
        return rm.compute(sentences, parties, gold, predicted, holders, ["israel", "hamas", "russia", "united_states"])

    def test_holder_accuracy(self):
        holder = self.metrics()["holder"]
        self.assertEqual(holder["rows"], 3)
        self.assertAlmostEqual(holder["accuracy"], 2 / 3)

    def test_hand_computed_metrics(self):
        m = self.metrics()
        self.assertEqual(m["pairs"], 6)
        self.assertEqual(m["ignored_predictions"], 2)
        self.assertEqual(m["unscored_pairs"], 2)
        for label, f1 in EXPECTED_F1.items():
            self.assertAlmostEqual(m["labels"][label]["f1"], f1, places=12, msg=label)
        self.assertEqual([m["labels"][label]["positives"] for label in rm.LABELS], [2, 1, 1])
        self.assertEqual([m["labels"][label]["predicted_positives"] for label in rm.LABELS], [2, 2, 1])
        self.assertAlmostEqual(m["labels"]["support"]["precision"], 0.5, places=12)
        self.assertAlmostEqual(m["labels"]["support"]["recall"], 1.0, places=12)
        self.assertAlmostEqual(m["macro_f1"], EXPECTED_MACRO, places=12)

    def test_per_party(self):
        parties = self.metrics()["parties"]
        self.assertEqual(sorted(parties), ["hamas", "israel"])
        self.assertEqual([parties["israel"][label]["f1"] for label in rm.LABELS], [1.0, 0.0, 0.0])
        self.assertEqual([parties["hamas"][label]["f1"] for label in rm.LABELS], [0.0, 1.0, 1.0])

    def report(self, **overrides):
        report = {"model": "test", "pairs": 6, "macro_f1": EXPECTED_MACRO,
                  "labels": {label: {"f1": f1, "positives": p} for (label, f1), p in zip(EXPECTED_F1.items(), [2, 1, 1])},
                  "parties": {"israel": {"condemn": {"f1": 1.0}}, "hamas": {"support": {"f1": 1.0}}}}
        report.update(overrides)
        return self.write("report.json", json.dumps(report))

    def test_matching_report_exits_zero(self):
        status, out, _ = self.run_main("--report", self.report(), "--tol", "1e-9")
        self.assertEqual(status, 0)
        self.assertIn("macro-F1", out)
        self.assertIn("0.722222", out)  # 13/18

    def test_mismatching_report_exits_one(self):
        status, _, err = self.run_main("--report", self.report(macro_f1=0.7))
        self.assertEqual(status, 1)
        self.assertIn("macro_f1", err)
        status, _, err = self.run_main("--report", self.report(pairs=7))
        self.assertEqual(status, 1)
        self.assertIn("pairs", err)

    def test_missing_label_in_report_is_a_mismatch(self):
        status, _, err = self.run_main("--report", self.report(labels={"condemn": {"f1": 0.5}}))
        self.assertEqual(status, 1)
        self.assertIn("labels.support.f1", err)

    def test_bad_input_exits_two(self):
        self.paths["predictions"] = self.write("bad.jsonl", '{"doc_id": "a1"}\n')
        status, _, err = self.run_main()
        self.assertEqual(status, 2)
        self.assertIn("bad.jsonl:1", err)

    def dated(self, a1_date, a2_date):
        """The example with dates on its articles, and an undated third one with a gold row."""
        articles = [dict(ARTICLES[0], date=a1_date), dict(ARTICLES[1], date=a2_date),
                    {"id": "a3", "text": "U0.", "sentences": ["U0."]}]
        self.paths["articles"] = self.write("dated.jsonl", "".join(json.dumps(a) + "\n" for a in articles))
        gold = GOLD + [gold_row("a3", 0, "russia", 1, 0, 0, "author")]
        self.paths["gold"] = self.write("gold3.jsonl", "".join(json.dumps(r) + "\n" for r in gold))

    def macro_f1(self, out):
        line = next(line for line in out.splitlines() if line.startswith("macro-F1"))
        return float(line.split()[1])

    def test_from_month_keeps_the_later_articles(self):
        # a2 only: closed world a2/0 x {hamas} (the parties of a2's rows);
        # gold C,S, predicted S: condemn 0, support 1, ceasefire 0 (no positives).
        self.dated("2023-12-01", "2024-01")
        status, out, _ = self.run_main("--from-month", "2024-01")
        self.assertEqual(status, 0, out)
        self.assertAlmostEqual(self.macro_f1(out), 1 / 3, places=5)

    def test_before_month_keeps_the_earlier_articles(self):
        # a1 only: {israel, hamas} x a1/0, a1/1; condemn P 1/2 R 1 -> 2/3,
        # support no positives -> 0, ceasefire 1: (2/3 + 0 + 1) / 3 = 5/9.
        # The undated a3 (russia) is on neither side.
        self.dated("2023-12-01", "2024-01")
        status, out, _ = self.run_main("--before-month", "2024-01")
        self.assertEqual(status, 0, out)
        self.assertAlmostEqual(self.macro_f1(out), 5 / 9, places=5)
        self.assertNotIn("russia", out)

    def test_bad_dates_and_months_exit_two(self):
        self.dated("2023-12-01", "January 2024")
        status, _, err = self.run_main()
        self.assertEqual(status, 2)
        self.assertIn("dated.jsonl:2", err)
        self.dated("2023-12-01", "2024-01")
        status, _, err = self.run_main("--from-month", "2024-13")
        self.assertEqual(status, 2)
        self.assertIn("--from-month", err)

    def test_several_files_are_one_split(self):
        halves = [ARTICLES[:1], ARTICLES[1:]]
        gold_halves = [GOLD[:3], GOLD[3:]]
        argv = []
        for n, (articles, gold) in enumerate(zip(halves, gold_halves)):
            argv += ["--articles", self.write(f"a{n}.jsonl", "".join(json.dumps(a) + "\n" for a in articles)),
                     "--gold", self.write(f"g{n}.jsonl", "".join(json.dumps(r) + "\n" for r in gold))]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            status = rm.main(argv + ["--predictions", self.paths["predictions"]])
        self.assertEqual(status, 0)
        self.assertAlmostEqual(self.macro_f1(out.getvalue()), EXPECTED_MACRO, places=5)

    def test_holder_slugs_from_a_parties_file(self):
        # The default ids (the five parties) give 2/3. With only israel and
        # hamas as parties, the gold russia of a1/0 israel reads as "other",
        # so the predicted "russia" no longer matches it: 1/3 (a1/0 hamas,
        # gold eu -> other, predicted other, stays right).
        status, out, _ = self.run_main()
        self.assertIn("holder accuracy 0.666667", out)
        parties = self.write("parties.toml", '[[party]]\nid = "israel"\n[[party]]\nid = "hamas"\n')
        status, out, _ = self.run_main("--parties", parties)
        self.assertEqual(status, 0)
        self.assertIn("holder accuracy 0.333333", out)


if __name__ == "__main__":
    unittest.main()
