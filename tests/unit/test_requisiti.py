"""pyproject.toml, uv.lock and requirements.txt say the same thing (scripts/aggiorna_requisiti.sh).

Offline: `uv lock --check` only compares the lock with pyproject.toml, `uv export --frozen` only reads the lock.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _uv() -> str:
    vicino = Path(sys.executable).parent / "uv"
    trovato = str(vicino) if vicino.exists() else shutil.which("uv")
    if trovato is None:
        pytest.fail("uv not installed: run bash scripts/setup.sh (uv is in requirements.txt)")
    return trovato


def _righe(testo: str) -> list[str]:
    return [r.strip() for r in testo.splitlines() if r.strip() and not r.lstrip().startswith("#")]


def test_the_lock_matches_pyproject() -> None:
    esito = subprocess.run(
        [_uv(), "lock", "--check", "--offline"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert esito.returncode == 0, "uv.lock is out of date: run bash scripts/aggiorna_requisiti.sh\n" + esito.stderr


def test_requirements_txt_is_the_lock_exported() -> None:
    esito = subprocess.run(
        [
            _uv(),
            "export",
            "--frozen",
            "--offline",
            "--no-hashes",
            "--group",
            "dev",
            "--no-emit-project",
            "--no-header",
            "--no-annotate",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    scritto = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert _righe(scritto) == _righe(esito.stdout), "requirements.txt differs: run bash scripts/aggiorna_requisiti.sh"
    assert scritto.startswith("# Generated from uv.lock by scripts/aggiorna_requisiti.sh")


def test_every_direct_dependency_is_pinned() -> None:
    progetto = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dirette = progetto["project"]["dependencies"] + progetto["dependency-groups"]["dev"]
    assert [d for d in dirette if "==" not in d] == []
