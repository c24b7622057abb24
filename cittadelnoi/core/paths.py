"""Where the app finds its files. Tests and benchmarks point CITTADELNOI_DATA_DIR elsewhere
(the settings: core.impostazioni).

`CITTADELNOI_DATI=esempio` (or `bash scripts/run.sh --esempio`) serves the fictional sample register
of esempio/ instead of data/, with its own database and a watermark on every page and export. A
data folder is sample data when it holds the marker file ESEMPIO.md (so a copy of esempio/ is too).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cittadelnoi.core.impostazioni import Impostazioni

ROOT = Path(__file__).resolve().parent.parent.parent


ESEMPIO_DIR = ROOT / "esempio"
MARCATORE_ESEMPIO = "ESEMPIO.md"


def _impostazioni() -> Impostazioni:
    from cittadelnoi.core.impostazioni import impostazioni  # it imports ROOT from here

    return impostazioni()


def data_dir() -> Path:
    """The data folder: `data_dir` of the settings, else esempio/ (`dati=esempio`), else data/."""
    imp = _impostazioni()
    if imp.data_dir is not None:
        return imp.data_dir
    return ESEMPIO_DIR if imp.dati == "esempio" else ROOT / "data"


def cita(cartella: Path, nome: str = "") -> str:
    """How the app names a data file (or, with no `nome`, a data folder) it read, in a source line
    or in the history: "data/sportelli.csv", "esempio/sportelli.csv", "esempio/". Relative to the
    project; a folder elsewhere (a test's copy, a deployment's volume) is named by its last part
    only, never by a full server path."""
    assoluta = Path(os.path.abspath(cartella))  # a data/ that is a link to a volume is still data/
    try:
        testo = assoluta.relative_to(ROOT).as_posix()
    except ValueError:
        testo = assoluta.name
    return f"{testo}/{nome}"


def file_dati(nome: str) -> str:
    """The data file `nome` as cited under a figure read from it: "data/sportelli.csv", or
    "esempio/sportelli.csv" in the sample mode (`data_dir()` is the one home of which folder)."""
    return cita(data_dir(), nome)


def dati_di_esempio() -> bool:
    """True when the app serves the fictional sample data: every page and export says so."""
    return (data_dir() / MARCATORE_ESEMPIO).exists()


def last_good_dir() -> Path:
    """Copy of the last data set that passed validation, used when a restart meets bad files."""
    nome = "ultimi-dati-validi-esempio" if dati_di_esempio() else "ultimi-dati-validi"
    return _impostazioni().last_good_dir or ROOT / "var" / nome


# Served by Streamlit's static file serving at /app/static/ (see .streamlit/config.toml).
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"  # Leaflet and topojson-client, copied from node_modules by setup
LEAFLET_DIR = VENDOR_DIR / "leaflet"
