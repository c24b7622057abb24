"""Fixtures shared by every test folder: a private copy of the sample data (esempio/) that a test may
break, and the English language for the code that runs in the test's own thread.

The tests of the code run on the fictional sample register of esempio/, never on data/: officials
edit data/ (the real register) and that must not break a test. Only tests/unit/test_data_files.py
checks data/ itself (DATI_PUBBLICATI).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cittadelnoi.core import i18n, impostazioni
from cittadelnoi.core.ruoli import Autore, Ruolo
from cittadelnoi.loaders.csvio import leggi_file

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "esempio"  # the sample register every test of the code runs on
DATI_PUBBLICATI = ROOT / "data"  # the shipped register, checked by test_data_files.py only


@pytest.fixture(autouse=True)
def impostazioni_rilette(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The settings are read once per process (core.impostazioni): each test reads them anew, after
    its own fixtures set the environment. A test that changes a setting midway uses `imposta`.
    No test reads the developer's own secrets (~/.streamlit, .streamlit/secrets.toml): a test that
    wants secrets writes a file and names it in STREAMLIT_SECRETS_FILES."""
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(ROOT / "tests" / "nessun-secrets" / "secrets.toml"))
    impostazioni.ricarica()
    yield
    impostazioni.ricarica()


@pytest.fixture
def imposta(monkeypatch: pytest.MonkeyPatch):
    """imposta(NOME=valore, ...): set (None: unset) CITTADELNOI_NOME in the environment and read the
    settings again, as a restarted server would."""

    def _imposta(**valori: str | None) -> None:
        for nome, valore in valori.items():
            if valore is None:
                monkeypatch.delenv(f"CITTADELNOI_{nome.upper()}", raising=False)
            else:
                monkeypatch.setenv(f"CITTADELNOI_{nome.upper()}", valore)
        impostazioni.ricarica()

    return _imposta


# What a fixture needs beyond Python, as markers (pyproject.toml): `scripts/test.sh --rapido` deselects
# them by marker, so a test that needs PostgreSQL or nginx is never counted as a pass there. A test
# that reaches postgres_server only through request.getfixturevalue (a parametrised fixture) marks
# that parameter itself: pytest.param(..., marks=pytest.mark.postgres), as tests/db/conftest.py does.
MARCATORI_DEI_FIXTURE = {
    "postgres_server": ("postgres",),
    "repliche": ("nginx", "postgres"),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):
            for nome in MARCATORI_DEI_FIXTURE.get(fixture, ()):
                if item.get_closest_marker(nome) is None:
                    item.add_marker(nome)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def ore_minime() -> float:
    """The minimum weekly desk hours stated by the shipped data/finanziamenti.csv (6 today)."""
    from cittadelnoi.loaders import finanziamenti as fin

    return fin.ore_minime(fin.carica_finanziamenti(leggi_file(DATA / "finanziamenti.csv"))[0])


@pytest.fixture
def inglese() -> Iterator[None]:
    """English for the test's thread, Italian again afterwards.

    AppTest replays the sidebar select boxes by their displayed labels, formatted in the test's own
    thread: that thread must speak the page's language too, or the second run cannot find "All zones".
    """
    i18n.imposta("en")
    yield
    i18n.imposta(i18n.PREDEFINITA)


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the test no longer matches the data"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def amministratore(utente: str = "anna") -> Autore:
    """An amministratore's author of changes, for store writes in tests (core.ruoli)."""
    return Autore(utente, utente, Ruolo.AMMINISTRATORE)
