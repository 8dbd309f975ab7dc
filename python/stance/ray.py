"""Scale-out on Ray Data: score a Dataset of articles on a Ray cluster.

>>> import ray, stance.ray
>>> ray.init(address="auto")                      # an existing cluster
>>> articles = ray.data.read_json("s3://bucket/dump/")   # columns id, text, …
>>> rows = stance.ray.score_dataset(articles, model="/shared/models/stance-minilm",
...                                 concurrency=8, num_cpus_per_actor=4)
>>> rows.write_parquet("s3://bucket/scored/")

Ray Data does the scheduling: ``map_batches`` with a callable class
(:class:`ScoreBatch`), so each actor loads the model once and then scores
pyarrow batches with the same engine as ``stance score``. There is no
scheduler, queue or worker pool of stance's own.
"""

from __future__ import annotations

from typing import Any, Optional

import pyarrow as pa

__all__ = ["ScoreBatch", "score_dataset"]


class ScoreBatch:
    """The per-actor scorer of :func:`score_dataset`: loads the model once
    (in the actor) and maps a pyarrow batch of articles to its rows.

    A model that cannot be loaded fails the actor with ``stance.StanceError``
    and the command line's message."""

    def __init__(
        self,
        model: Optional[str] = None,
        parties: Optional[str] = None,
        device: str = "cpu",
        threads: int = 1,
        batch_size: Optional[int] = None,
    ) -> None:
        from . import Scorer

        self.scorer = Scorer(
            model=model,
            parties=parties,
            device=device,
            threads=threads,
            batch_size=batch_size,
        )

    def __call__(self, batch: pa.Table) -> pa.Table:
        return self.scorer.score(batch)


def score_dataset(
    ds: Any,
    *,
    model: Optional[str] = None,
    parties: Optional[str] = None,
    concurrency: int = 2,
    batch_size: int = 64,
    num_cpus_per_actor: float = 1,
    num_gpus: float = 0,
    model_batch_size: Optional[int] = None,
) -> Any:
    """Returns a Ray Dataset of scored rows (the columns of ``stance.COLUMNS``)
    for ``ds``, a Dataset of articles (``id``, ``text``, other columns kept in
    ``meta``).

    ``model`` is what every worker loads: a model directory on storage all
    nodes see, or a Hugging Face repo id in the workers' cache; ``None`` is
    the built-in default, which exists only where the package was built from
    the repository. ``parties`` likewise. ``concurrency`` actors each take
    ``num_cpus_per_actor`` CPUs (their scoring threads) and ``num_gpus`` GPUs
    (then the model runs on CUDA where the package has it). ``batch_size`` is
    articles per batch; ``model_batch_size`` bounds one forward pass. Row
    order follows Ray's, not the input's: sort by ``doc_id``,
    ``sentence_index``, ``party`` where order matters. Bad records fail the
    job with ``stance.BadRecordError``.
    """
    import ray.data

    return ds.map_batches(
        ScoreBatch,
        fn_constructor_kwargs={
            "model": model,
            "parties": parties,
            "device": "auto" if num_gpus else "cpu",
            "threads": max(1, int(num_cpus_per_actor)),
            "batch_size": model_batch_size,
        },
        batch_size=batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=concurrency),
        num_cpus=num_cpus_per_actor,
        num_gpus=num_gpus or None,
    )
