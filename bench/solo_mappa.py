"""A Streamlit page with nothing but the overview's map: the floor of Streamlit + st_folium.

bench/run.py starts it like the app (same config, same data, same map builder, same st_folium
arguments) to split (a) in two: what Streamlit and st_folium cost by themselves, and what the
dashboard's own page adds on top. Not part of the app.
"""

import os
import sys
from pathlib import Path

ROOT = Path(os.environ["CDN_ROOT"])  # this file runs from a temporary folder (see run.py)
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import mappa  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from cittadelnoi.core import paths  # noqa: E402
from cittadelnoi.stores.file import carica  # noqa: E402


@st.cache_resource
def _snap():
    return carica(paths.data_dir())


st_folium(
    mappa.mappa_citta(_snap()),
    key="mappa_panoramica",
    height=560,
    use_container_width=True,
    returned_objects=["last_active_drawing"],
)
