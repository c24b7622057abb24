"""core/paths.py: which data folder is in use, and how a figure cites the file it was read from."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cittadelnoi.core import paths
from tests.conftest import ROOT


@pytest.fixture
def nessuna_cartella(imposta):
    imposta(data_dir=None, dati=None)
    return imposta


def test_a_figure_cites_the_file_of_the_folder_in_use(nessuna_cartella) -> None:
    assert paths.file_dati("sportelli.csv") == "data/sportelli.csv"
    nessuna_cartella(dati="esempio")
    assert paths.data_dir() == paths.ESEMPIO_DIR
    assert paths.file_dati("sportelli.csv") == "esempio/sportelli.csv"
    assert paths.cita(paths.data_dir()) == "esempio/"


def test_a_folder_elsewhere_is_cited_by_its_name_only(nessuna_cartella, tmp_path: Path) -> None:
    """A deployment's volume or a test's copy: never a full server path in a public source line."""
    cartella = tmp_path / "registro-2026"
    cartella.mkdir()
    nessuna_cartella(data_dir=str(cartella))
    assert paths.file_dati("punti.csv") == "registro-2026/punti.csv"
    assert str(tmp_path) not in paths.file_dati("punti.csv")


# "data/<file>" written in the code. A phrase "come data/punti.csv" (like data/punti.csv) describes
# a file's format and is not a source.
_FILE_FISSO = re.compile(r"(?<!come )\bdata/[\w-]+\.(?:csv|geojson)\b")


def _testi_mostrati(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, docstrings left out (they describe the shipped layout)."""
    albero = ast.parse(path.read_text(encoding="utf-8"))
    docstring = {
        id(n.body[0].value)
        for n in ast.walk(albero)
        if isinstance(n, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    return [
        (n.lineno, n.value)
        for n in ast.walk(albero)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstring
    ]


def test_no_page_cites_a_fixed_data_folder() -> None:
    """In the sample mode the slots come from esempio/sportelli.csv: a source line saying
    "data/sportelli.csv" was untrue. Pages, interface and stores name the file through
    paths.file_dati / paths.cita, which know the folder in use."""
    moduli = [ROOT / "dashboard.py", *sorted((ROOT / "pagine").glob("*.py"))]
    for cartella in ("ui", "views", "stores", "metrics"):
        moduli += sorted((ROOT / "cittadelnoi" / cartella).glob("*.py"))
    fissi = [
        f"{m.relative_to(ROOT)}:{riga}: {testo[:100]!r}"
        for m in moduli
        for riga, testo in _testi_mostrati(m)
        if _FILE_FISSO.search(testo)
    ]
    assert not fissi, "a fixed data/ path cited:\n" + "\n".join(fissi)
