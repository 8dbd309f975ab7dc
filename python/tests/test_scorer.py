"""stance.Scorer and stance.read against the command line on the same input."""

from __future__ import annotations

import os
import threading

import pandas as pd
import pyarrow as pa
import pytest

import stance
from conftest import (
    DATASETS,
    cli_score,
    generated_dump,
    run_cli,
    sample_records,
    write_jsonl,
)


def test_the_readme_example_returns_contract_rows(scorer):
    rows = scorer.score([{"id": "a", "text": "Russia called for an immediate ceasefire in Gaza."}])
    assert rows.num_rows > 0
    assert tuple(rows.column_names) == stance.COLUMNS
    assert rows.schema == stance.schema()
    assert set(rows.column("doc_id").to_pylist()) == {"a"}
    assert set(rows.column("party").to_pylist()) <= set(scorer.parties)
    for row in rows.to_pylist():
        assert set(row["labels"]) <= set(stance.LABELS)
        # The contract: holder is null exactly when there is no label.
        assert (row["holder"] is None) == (row["labels"] == [])


def test_samples_give_the_cli_rows_bit_for_bit(scorer, tmp_path):
    expected = cli_score(DATASETS / "samples", tmp_path / "cli.jsonl")
    got = scorer.score(sample_records())
    assert got.num_rows == expected.num_rows > 0
    assert got.to_pylist() == expected.to_pylist()


def test_tables_dataframes_and_lists_give_the_same_rows_with_meta(scorer, tmp_path):
    records = generated_dump(6)
    expected = cli_score(write_jsonl(tmp_path / "dump.jsonl", records), tmp_path / "cli.parquet")
    from_list = scorer.score(records)
    from_table = scorer.score(pa.Table.from_pylist(records))
    from_frame = scorer.score(pd.DataFrame(records))
    assert from_list.to_pylist() == expected.to_pylist()
    assert from_table.equals(from_list)
    assert from_frame.equals(from_list)
    # The other fields pass through as meta, in input order.
    assert from_list.column("meta")[0].as_py().startswith('{"title":')


def test_a_bad_record_raises_with_file_line_and_the_cli_reason(scorer, tmp_path):
    records = [{"id": "a", "text": "Israel struck Gaza."}, {"id": "b"}, {"id": "a", "text": "x"}]
    with pytest.raises(stance.BadRecordError) as raised:
        scorer.score(records, source="batch-7")
    err = raised.value
    assert (err.file, err.line) == ("batch-7", 2)
    # The reason the command line writes to OUT.rejects.jsonl for that line.
    dump = write_jsonl(tmp_path / "bad.jsonl", records)
    run = run_cli("score", str(dump), "-o", str(tmp_path / "out.jsonl"), "--skip-bad", "--quiet")
    assert run.returncode == 3, run.stderr
    cli_rejects = pd.read_json(tmp_path / "out.jsonl.rejects.jsonl", lines=True)
    assert err.reason == cli_rejects["reason"][0]
    assert str(err) == f"batch-7:2: {err.reason}"


def test_skip_bad_returns_the_rejects_as_a_table(scorer):
    records = [{"id": "a", "text": "Israel struck Gaza."}, {"id": "b", "text": 7}, "not a record", {"id": "a", "text": "y"}]
    rows, rejects = scorer.score(records, skip_bad=True)
    assert set(rows.column("doc_id").to_pylist()) == {"a"}
    assert tuple(rejects.column_names) == stance.REJECT_COLUMNS
    assert rejects.column("line").to_pylist() == [2, 3, 4]
    reasons = rejects.column("reason").to_pylist()
    assert "text" in reasons[0] and "object" in reasons[1] and "duplicate id" in reasons[2]
    # Nothing bad: an empty rejects table with its schema.
    rows, rejects = scorer.score([{"id": "c", "text": "Hamas fired rockets."}], skip_bad=True)
    assert rejects.num_rows == 0 and rejects.schema == stance.rejects_schema()


def test_a_model_that_cannot_load_raises_the_cli_message(tmp_path):
    missing = str(tmp_path / "no-such-model")
    run = run_cli("score", str(DATASETS / "samples"), "--model", missing, "-o", str(tmp_path / "o.jsonl"))
    assert run.returncode != 0
    cli_message = run.stderr.strip().removeprefix("stance: error: ")
    with pytest.raises(stance.StanceError) as raised:
        stance.Scorer(model=missing)
    assert str(raised.value) == cli_message


def test_a_bad_parties_file_raises_the_cli_message(tmp_path):
    parties = tmp_path / "parties.toml"
    parties.write_text("[[party]]\nid = 'x'\n")
    run = run_cli("score", str(DATASETS / "samples"), "--parties", str(parties), "-o", "-")
    cli_message = run.stderr.strip().removeprefix("stance: error: ")
    with pytest.raises(stance.StanceError) as raised:
        stance.Scorer(parties=parties)
    assert str(raised.value) == cli_message


def test_read_gives_one_table_for_jsonl_and_parquet(tmp_path):
    from_jsonl = cli_score(DATASETS / "samples", tmp_path / "rows.jsonl")
    from_parquet = cli_score(DATASETS / "samples", tmp_path / "rows.parquet")
    assert from_jsonl.schema == stance.schema() == from_parquet.schema
    assert from_jsonl.equals(from_parquet)
    broken = tmp_path / "broken.jsonl"
    broken.write_text((tmp_path / "rows.jsonl").read_text().splitlines()[0] + "\n{\"doc_id\": 1}\n")
    with pytest.raises(stance.StanceError, match=r"broken\.jsonl:2: not a stance score row"):
        stance.read(broken)


def test_threads_default_to_what_the_process_may_use():
    assert stance.Scorer(threads=1).threads == 1
    assert stance.Scorer().threads == len(os.sched_getaffinity(0))
    with pytest.raises(ValueError):
        stance.Scorer(threads=0)


def test_scoring_releases_the_gil(scorer):
    """While the engine scores in one thread, Python code runs in another."""
    records = generated_dump(8)
    done = threading.Event()
    result = {}

    def work():
        result["rows"] = scorer.score(records)
        done.set()

    counted = 0
    thread = threading.Thread(target=work)
    thread.start()
    while not done.is_set():
        counted += 1
    thread.join()
    assert result["rows"].num_rows > 0
    # With the GIL held for the whole call, this loop would barely run.
    assert counted > 100_000, counted
