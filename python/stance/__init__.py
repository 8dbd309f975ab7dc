"""stance from Python: the engine of the ``stance`` command line, in process.

>>> import stance
>>> scorer = stance.Scorer()                      # the project's trained model
>>> rows = scorer.score([{"id": "a", "text": "Russia called for an immediate ceasefire in Gaza."}])
>>> rows.to_pandas()                              # one row per (sentence, party)

``Scorer.score`` returns a ``pyarrow.Table`` with exactly the columns of the
contract (``doc_id`` … ``holder``, ``model``, ``meta``) and the same rows and
scores as ``stance score`` on the same input: both run the same Rust code.
``meta`` holds the article's other fields as a JSON string, as in Parquet
output. ``stance.read`` loads a file written by ``stance score`` (JSONL or
Parquet) with the same types. ``stance.ray`` scores Ray Datasets on a cluster.
"""

from __future__ import annotations

import datetime as _datetime
import decimal as _decimal
import json as _json
import os as _os
from typing import Any, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

import pyarrow as pa
import pyarrow.ipc as _ipc

from . import _native
from ._native import StanceError

__all__ = [
    "COLUMNS",
    "LABELS",
    "REJECT_COLUMNS",
    "BadRecordError",
    "Scorer",
    "StanceError",
    "read",
    "schema",
    "rejects_schema",
]

__version__: str = _native.__version__

#: The three stance labels, in the contract's order.
LABELS: Tuple[str, ...] = ("condemn", "support", "ceasefire")

#: The columns of a scored table, in order (the contract's row format).
COLUMNS: Tuple[str, ...] = (
    "doc_id",
    "sentence_index",
    "start",
    "end",
    "sentence",
    "party",
    "mentions",
    "condemn",
    "support",
    "ceasefire",
    "labels",
    "holder",
    "model",
    "meta",
)

#: The columns of the rejects table (``skip_bad=True``), as in ``OUT.rejects.jsonl``.
REJECT_COLUMNS: Tuple[str, ...] = ("file", "line", "reason")

#: What ``Scorer.score`` accepts: a pyarrow Table or RecordBatch, a pandas
#: DataFrame, or an iterable of mappings with ``id`` and ``text``.
Articles = Union[pa.Table, pa.RecordBatch, "pandas.DataFrame", Iterable[Mapping[str, Any]]]  # noqa: F821


class BadRecordError(ValueError):
    """An input record that stance cannot score (missing or non-string ``id``
    or ``text``, a duplicate id, …). ``file`` names where it came from (the
    ``source`` given to ``Scorer.score``), ``line`` is its 1-based position
    there, ``reason`` says what is wrong: the fields of a line of
    ``OUT.rejects.jsonl``."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        super().__init__(f"{file}:{line}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


def _table(stream: bytes) -> pa.Table:
    return _ipc.open_stream(stream).read_all()


def schema() -> pa.Schema:
    """The Arrow schema of scored rows (the same as Parquet output)."""
    return _table(_native.empty_rows()).schema


def rejects_schema() -> pa.Schema:
    """The Arrow schema of the rejects table."""
    return pa.schema([("file", pa.string()), ("line", pa.int64()), ("reason", pa.string())])


def _json_value(value: Any) -> Any:
    """JSON for the values tables and DataFrames hold beyond JSON's own."""
    if isinstance(value, (_datetime.datetime, _datetime.date, _datetime.time)):
        return value.isoformat()
    if isinstance(value, _decimal.Decimal):
        return str(value)
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return item()
    tolist = getattr(value, "tolist", None)  # numpy arrays
    if callable(tolist):
        return tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _records(articles: Articles) -> List[Any]:
    if isinstance(articles, (pa.Table, pa.RecordBatch)):
        return articles.to_pylist()
    if type(articles).__module__.split(".")[0] == "pandas":
        # Through Arrow, so missing values become None as in a table.
        return pa.Table.from_pandas(articles, preserve_index=False).to_pylist()
    if isinstance(articles, (str, bytes, Mapping)):
        raise TypeError(
            "articles must be a table, a DataFrame or a list of records, "
            f"not one {type(articles).__name__}"
        )
    return list(articles)


def _json_record(record: Any) -> str:
    # A record that is not a mapping is still sent: the engine rejects it
    # with the reason the command line gives ("expected a JSON object").
    return _json.dumps(record, default=_json_value, ensure_ascii=False)


class Scorer:
    """A model and parties file loaded once, scoring articles in process.

    Parameters are those of ``stance score``: ``model`` a model directory or
    Hugging Face repo id in the local cache (default: the project's trained
    model, where this package was built from the repository); ``parties`` a
    parties TOML (default: the built-in parties); ``device`` ``"auto"``,
    ``"cpu"`` or ``"cuda"``; ``batch_size`` and ``token_budget`` bound one
    forward pass. ``threads`` caps the cores the scorer's threads use
    (default: the cores this process may use). A model or parties file that
    cannot be loaded raises ``StanceError`` with the command line's message.
    """

    def __init__(
        self,
        model: Optional[Union[str, "_os.PathLike[str]"]] = None,
        parties: Optional[Union[str, "_os.PathLike[str]"]] = None,
        device: str = "auto",
        batch_size: Optional[int] = None,
        token_budget: Optional[int] = None,
        threads: Optional[int] = None,
    ) -> None:
        self._native = _native.NativeScorer(
            model=None if model is None else _os.fspath(model),
            parties=None if parties is None else _os.fspath(parties),
            device=device,
            batch_size=batch_size,
            token_budget=token_budget,
            threads=threads,
        )

    @property
    def model(self) -> str:
        """The model's name, as the rows' ``model`` column holds it."""
        return self._native.model

    @property
    def parties(self) -> List[str]:
        """The party ids rows can carry in ``party`` (and ``holder``)."""
        return list(self._native.parties)

    @property
    def threads(self) -> int:
        """The number of threads scoring runs on."""
        return self._native.threads

    def score(
        self,
        articles: Articles,
        *,
        skip_bad: bool = False,
        source: str = "<records>",
    ) -> Union[pa.Table, Tuple[pa.Table, pa.Table]]:
        """Scores ``articles``: one row per (sentence, party) the pipeline
        scores, in input order, as ``stance score`` writes them.

        Each article has ``id`` (unique, non-empty string) and ``text``;
        every other field is kept in ``meta`` (a JSON string). A bad record
        raises ``BadRecordError`` (``file`` = ``source``, ``line`` = its
        1-based position) before anything is scored; with ``skip_bad=True``
        the good records are scored and ``(rows, rejects)`` is returned,
        ``rejects`` a table of ``file``, ``line``, ``reason``. The GIL is
        released while the engine works.
        """
        records = [_json_record(record) for record in _records(articles)]
        stream, rejects = self._native.score_records(records, source, skip_bad)
        if stream is None:
            file, line, reason = rejects[0]
            raise BadRecordError(file, line, reason)
        rows = _table(stream)
        if not skip_bad:
            return rows
        return rows, pa.Table.from_pylist(
            [dict(zip(REJECT_COLUMNS, reject)) for reject in rejects],
            schema=rejects_schema(),
        )

    def score_batches(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Scores a stream of Arrow record batches of articles, one output
        batch per input batch: the per-batch function of a Spark
        ``mapInArrow`` or any other Arrow stream. Bad records raise."""
        for batch in batches:
            rows = self.score(batch)
            yield from rows.to_batches() or [pa.RecordBatch.from_pylist([], schema=rows.schema)]

    def __repr__(self) -> str:
        return f"stance.Scorer(model={self.model!r}, parties={self.parties!r}, threads={self.threads})"


def read(path: Union[str, "_os.PathLike[str]"]) -> pa.Table:
    """Reads a file written by ``stance score`` (``.parquet``, else JSONL)
    into a table with the row schema; a line that is not a row raises
    ``StanceError`` naming the file and line."""
    path = _os.fspath(path)
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        expected = schema()
        if table.schema.names != expected.names:
            raise StanceError(f"{path}: not a stance score output (columns {table.schema.names})")
        return table.cast(expected)
    return _table(_native.read_jsonl(path))
