"""What the repository holds: no symbolic link (a worktree's link to another checkout's .venv,
node_modules or static/vendor, committed by mistake, breaks every fresh clone), and no installed file."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def _file_del_repository() -> list[tuple[str, str]]:
    """(mode, path) of every file git tracks here."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    uscita = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return [(riga.split()[0], riga.split("\t", 1)[1]) for riga in uscita.splitlines()]


def test_no_symbolic_link_is_committed() -> None:
    collegamenti = [percorso for modo, percorso in _file_del_repository() if modo == "120000"]
    assert not collegamenti, f"symbolic links in the repository (git rm --cached them): {collegamenti}"


def test_nothing_installed_is_committed() -> None:
    installati = (".venv", "node_modules", "static/vendor")
    presi = [p for _modo, p in _file_del_repository() if any(p == i or p.startswith(i + "/") for i in installati)]
    assert not presi, f"installed by scripts/setup.sh, never committed: {presi[:5]}"
