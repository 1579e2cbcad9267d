"""The committed notebooks are valid, carry no outputs, and notebook 03 has papermill parameters.
Needs no lake."""
from pathlib import Path

import nbformat
import pytest

HERE = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(HERE.glob("[0-9][0-9]_*.ipynb"))


def test_three_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert names == ["01_who_dominates_trending.ipynb", "02_downloads_and_concentration.ipynb",
                     "03_one_organisation_week.ipynb"], names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_valid_and_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; run python3 notebooks/clear_outputs.py {path}"
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 5, f"{path.name}: too little prose"


def test_notebook_03_parameters():
    nb = nbformat.read(HERE / "03_one_organisation_week.ipynb", as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert "org =" in params[0].source and "week = None" in params[0].source
