"""Fixtures for AppTest runs of the real dashboard.py and its pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from cittadelnoi.core import i18n, impostazioni
from cittadelnoi.ui.streamlit_interni import solo_navigazione_dell_app


@pytest.fixture(autouse=True)
def navigazione_v2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run pages through dashboard.py, as the real server does.

    AppTest resets PagesManager.uses_pages_directory before every run, and Streamlit then sets it
    to True because a `pages/` folder exists: the switched-to page would run on its own (old
    multipage mode), without dashboard.py and its sidebar. The server sets the flag once, before
    its first session (app.py: ui.streamlit_interni.solo_navigazione_dell_app); here it is set
    after each of AppTest's resets.
    """
    init = PagesManager.__init__

    def init_v2(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        solo_navigazione_dell_app()

    monkeypatch.setattr(PagesManager, "__init__", init_v2)


@pytest.fixture(autouse=True)
def store_isolato(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The data store is a process-wide cache_resource: start each test from a fresh one, and keep
    # the last-good copy out of the repository.
    monkeypatch.setenv("CITTADELNOI_LAST_GOOD_DIR", str(tmp_path / "ultimi-dati-validi"))
    # A page's exception is shown as a message and also re-raised, so `at.exception` sees it.
    monkeypatch.setenv("CITTADELNOI_RILANCIA_ERRORI", "1")
    # The app's default store is a database seeded from data/ on first start: a new one per test.
    monkeypatch.setenv("CITTADELNOI_DB_URL", f"sqlite:///{tmp_path / 'registro.sqlite'}")
    # The tests run on the fictional sample register (esempio/), never on the shipped data/.
    monkeypatch.setenv("CITTADELNOI_DATI", "esempio")
    monkeypatch.delenv("CITTADELNOI_DATA_DIR", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
    i18n.imposta(i18n.PREDEFINITA)


@pytest.fixture
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """secrets(testo): the app's secrets file is `testo` (TOML), read as a restarted server would."""

    def scrivi(testo: str) -> Path:
        file_ = tmp_path / "secrets.toml"
        file_.write_text(testo, encoding="utf-8")
        monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(file_))
        impostazioni.ricarica()
        return file_

    return scrivi
