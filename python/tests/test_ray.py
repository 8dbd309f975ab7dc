"""stance.ray on a local Ray cluster (loopback only): the rows equal the
command line's for the same input, and the throughput ratio is reported."""

from __future__ import annotations

import json
import time

import pyarrow as pa
import pytest

ray = pytest.importorskip("ray")

import stance  # noqa: E402
import stance.ray  # noqa: E402
from conftest import ROOT, cli_score, generated_dump, sample_records, sorted_rows, write_jsonl  # noqa: E402


@pytest.fixture(scope="module")
def local_cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def ray_rows(records, **kwargs) -> pa.Table:
    ds = ray.data.from_items(records)
    scored = stance.ray.score_dataset(ds, **kwargs)
    return pa.concat_tables(ray.get(scored.to_arrow_refs()))


def test_samples_on_ray_give_the_cli_rows(local_cluster, tmp_path):
    records = sample_records()
    expected = cli_score(write_jsonl(tmp_path / "samples.jsonl", records), tmp_path / "cli.jsonl")
    got = ray_rows(records, concurrency=2, batch_size=2)
    assert got.num_rows == expected.num_rows > 0
    assert sorted_rows(got) == sorted_rows(expected)


def test_a_generated_dump_on_ray_gives_the_cli_rows_and_the_rate_ratio(local_cluster, tmp_path):
    records = generated_dump(200)
    dump = write_jsonl(tmp_path / "dump.jsonl", records)
    started = time.perf_counter()
    expected = cli_score(dump, tmp_path / "cli.jsonl")
    cli_seconds = time.perf_counter() - started

    started = time.perf_counter()
    got = ray_rows(records, concurrency=2, batch_size=64, num_cpus_per_actor=1)
    ray_seconds = time.perf_counter() - started

    assert got.num_rows == expected.num_rows > 0
    assert sorted_rows(got) == sorted_rows(expected)
    # One interleaved run each on the same dump and the same 2 cores: the
    # CLI (all cores) against 2 Ray actors of 1 thread each, model loading
    # and actor start-up included.
    cli_rate = expected.num_rows / cli_seconds
    ray_rate = got.num_rows / ray_seconds
    report = {
        "articles": len(records),
        "rows": got.num_rows,
        "cli_rows_per_s": round(cli_rate, 1),
        "ray_rows_per_s": round(ray_rate, 1),
        "ray_over_cli": round(ray_rate / cli_rate, 3),
    }
    print(f"\nray vs cli: {json.dumps(report)}")
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    (out / "ray-vs-cli.json").write_text(json.dumps(report, indent=2) + "\n")


def test_a_worker_that_cannot_load_the_model_fails_with_the_cli_message(local_cluster, tmp_path):
    missing = str(tmp_path / "no-such-model")
    with pytest.raises(Exception) as raised:
        ray_rows(sample_records()[:1], model=missing, concurrency=1)
    with pytest.raises(stance.StanceError) as direct:
        stance.Scorer(model=missing)
    assert str(direct.value) in str(raised.value)
