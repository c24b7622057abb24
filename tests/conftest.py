"""Shared fixtures: a private copy of the sample data (esempio/) that a test may break.

The tests of the code run on the fictional sample register of esempio/, never on data/: officials
edit data/ (the real register) and that must not break a test. Only tests/unit/test_data_files.py
checks data/ itself (DATI_PUBBLICATI).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "esempio"  # the sample register every test of the code runs on
DATI_PUBBLICATI = ROOT / "data"  # the shipped register, checked by test_data_files.py only


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the test no longer matches the data"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
