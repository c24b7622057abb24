"""Fixtures for AppTest runs of the real dashboard.py and its pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from cittadelnoi.core import i18n, impostazioni


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
