"""Where the app finds its files. Tests and benchmarks point CITTADELNOI_DATA_DIR elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("CITTADELNOI_DATA_DIR", ROOT / "data"))


def last_good_dir() -> Path:
    """Copy of the last data set that passed validation, used when a restart meets bad files."""
    return Path(os.environ.get("CITTADELNOI_LAST_GOOD_DIR", ROOT / "var" / "ultimi-dati-validi"))


# Served by Streamlit's static file serving at /app/static/ (see .streamlit/config.toml).
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"  # Leaflet and topojson-client, copied from node_modules by setup
LEAFLET_DIR = VENDOR_DIR / "leaflet"
