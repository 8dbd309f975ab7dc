"""Type stubs of the compiled module (python/src/lib.rs); use the wrappers in
``stance`` instead of calling it directly."""

from typing import List, Optional, Tuple

__version__: str

class StanceError(Exception):
    """A model, parties file or input stance cannot use; the message is the
    command line's (what follows ``stance: error:``)."""

class NativeScorer:
    def __init__(
        self,
        model: Optional[str] = None,
        parties: Optional[str] = None,
        device: str = "auto",
        batch_size: Optional[int] = None,
        token_budget: Optional[int] = None,
        threads: Optional[int] = None,
    ) -> None: ...
    @property
    def model(self) -> str: ...
    @property
    def parties(self) -> List[str]: ...
    @property
    def threads(self) -> int: ...
    def score_records(
        self, records: List[str], source: str, skip_bad: bool
    ) -> Tuple[Optional[bytes], List[Tuple[str, int, str]]]: ...

def read_jsonl(path: str) -> bytes: ...
def empty_rows() -> bytes: ...
