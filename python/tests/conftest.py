"""Shared helpers: the command-line binary the package is compared with, and
the inputs both score."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pyarrow as pa
import pytest

import stance

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "target" / "release" / "stance"
DATASETS = ROOT / "datasets"


def sorted_rows(table: pa.Table) -> List[Dict[str, Any]]:
    """Rows in a fixed order (doc_id, sentence_index, party), for comparing
    outputs whose order differs (Ray's)."""
    return sorted(table.to_pylist(), key=lambda r: (r["doc_id"], r["sentence_index"], r["party"]))


def write_jsonl(path: Path, records: List[Dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    assert BIN.exists(), f"{BIN} is missing: run `make setup` first"
    return subprocess.run([str(BIN), *args], capture_output=True, text=True)


def cli_score(inputs: Path, out: Path) -> pa.Table:
    run = run_cli("score", str(inputs), "-o", str(out), "--quiet")
    assert run.returncode == 0, run.stderr
    return stance.read(out)


def sample_records() -> List[Dict[str, Any]]:
    """The sample articles as records (id = file stem, as the CLI names them)."""
    return [
        {"id": p.stem, "text": p.read_text(encoding="utf-8")}
        for p in sorted((DATASETS / "samples").glob("*.txt"))
    ]


def generated_dump(n: int = 200) -> List[Dict[str, Any]]:
    """`n` articles with metadata: the train, dev and silver articles in turn,
    under new ids, with their title and date as extra fields."""
    sources = []
    for split in ("train", "dev", "silver"):
        sources += read_jsonl(DATASETS / split / "articles.jsonl")
    return [
        {
            "id": f"gen_{i:03d}",
            "title": sources[i % len(sources)].get("title", ""),
            "date": sources[i % len(sources)].get("date"),
            "text": sources[i % len(sources)]["text"],
        }
        for i in range(n)
    ]


@pytest.fixture(scope="session")
def scorer() -> stance.Scorer:
    return stance.Scorer()
