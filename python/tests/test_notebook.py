"""examples/research.ipynb runs headlessly from top to bottom and draws its
figures (nbclient, a fresh kernel from this environment)."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK = ROOT / "examples" / "research.ipynb"


def test_the_research_notebook_runs_and_draws_its_figures():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # A copy in memory: the committed notebook (with its outputs) is not touched.
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 3, f"{len(figures)} figures"
    # The last cell reloads the table through stance.read: the same rows.
    assert "True" in "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
