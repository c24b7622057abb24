"""The layers of cittadelnoi/ (pyproject.toml, [tool.importlinter]) hold, and a break fails the suite.

import-linter reads the package from disk, so the check that it can fail runs on a copy of the
package with one upward import added, in a separate process (the real package is already imported here).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from importlinter.cli import lint_imports

from tests.conftest import ROOT

LINT_IMPORTS = [
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
]


def _lint_imports(cartella: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(cartella))
    return subprocess.run(
        [*LINT_IMPORTS, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cartella,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_keeps_its_layers() -> None:
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "cittadelnoi", tmp_path / "cittadelnoi", ignore=shutil.ignore_patterns("__pycache__"))
    pulito = _lint_imports(tmp_path)
    assert pulito.returncode == 0, pulito.stdout + pulito.stderr

    (tmp_path / "cittadelnoi" / "core" / "verso_l_alto.py").write_text(
        "from cittadelnoi.stores import base  # core may not import a store\n", encoding="utf-8"
    )
    rotto = _lint_imports(tmp_path)
    assert rotto.returncode != 0
    assert "cittadelnoi.core.verso_l_alto -> cittadelnoi.stores.base" in rotto.stdout


def test_streamlit_only_in_the_ui_helpers(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "cittadelnoi", tmp_path / "cittadelnoi", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "cittadelnoi" / "metrics" / "con_streamlit.py").write_text("import streamlit\n", encoding="utf-8")
    rotto = _lint_imports(tmp_path)
    assert rotto.returncode != 0
    assert "Only the Streamlit helpers import Streamlit BROKEN" in rotto.stdout
