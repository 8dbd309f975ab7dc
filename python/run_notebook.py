"""Executes examples/research.ipynb in place (outputs kept), so that the
committed copy shows its figures where the repository is browsed:
`make notebook`."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "research.ipynb"

notebook = nbformat.read(NOTEBOOK, as_version=4)
NotebookClient(notebook, timeout=600, kernel_name="python3",
               resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
nbformat.write(notebook, NOTEBOOK)
print(f"executed {NOTEBOOK}")
