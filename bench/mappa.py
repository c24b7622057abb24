"""The overview map outside Streamlit: the static floor file, and where the map's bytes go.

The floor is the very map the overview page draws for the whole city (same builder, same data,
same Leaflet files, loaded from disk with file:// URLs), saved by folium as one HTML file. Opening
it costs only what drawing the map costs; the app adds Streamlit on top.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from common import ROOT  # noqa: F401 - puts the repository on sys.path

from cittadelnoi.core import paths
from cittadelnoi.metrics.panoramica import orari_testo
from cittadelnoi.views.mapview import Selezione, costruisci_mappa, json_nello_script, layer_quartieri


def mappa_citta(snap, vendor_base: str | None = None):
    """The overview's map with no filter, as pages/panoramica.py builds it."""
    kwargs = {"vendor_base": vendor_base} if vendor_base else {}
    return costruisci_mappa(
        layer_quartieri(snap.stati),
        snap.punti,
        orari_testo(snap.sportelli),
        Selezione(frozenset(snap.quartieri["codice_istat"]), None),
        **kwargs,
    )


def salva_pavimento(snap, dest: Path) -> Path:
    """Write the static floor: the city map with Leaflet and topojson-client from static/vendor via file://."""
    if not (paths.LEAFLET_DIR / "leaflet.js").exists():
        raise SystemExit(f"{paths.LEAFLET_DIR}/leaflet.js mancante: bash scripts/setup.sh")
    m = mappa_citta(snap, vendor_base=paths.VENDOR_DIR.as_uri())
    m.save(str(dest))
    return dest


@dataclass
class Ripartizione:
    """Where the bytes of the map that st_folium sends go (the component's arguments)."""

    totale: int
    topologia: int  # the quartieri's TopoJSON
    quartieri: int  # their names and tooltip texts
    punti: int  # the points' table
    n_punti: int
    resto: int  # map set-up, styles, legend, the message's own JSON (the drawing code is static/mappa.js)
    gzip: int
    deflate_ws: int  # per-message deflate, as server.enableWebsocketCompression would send it


def _in_argomenti(valore) -> int:
    """Bytes of `valore` as it travels: JSON inside the map's script, then inside the
    component's JSON arguments (quotes and backslashes escaped once more)."""
    return len(json.dumps(str(json_nello_script(valore))).encode()) - 2


def ripartizione(snap) -> Ripartizione:
    import streamlit_folium as sf

    m = mappa_citta(snap)
    m.get_root().render()
    m.render()
    html, header, script = sf._get_html(m), sf._get_header(m), sf._get_map_string(m)
    args = json.dumps({"script": script, "html": html, "header": header}).encode()
    trovati = re.search(r'<script type="application/json" id="cdn-dati-[0-9a-f]+">(.*?)</script>', html, re.S)
    if not trovati:
        raise RuntimeError("dati di StratiMappa non trovati nell'HTML della mappa")
    dati = json.loads(trovati.group(1))
    parti = {k: _in_argomenti(dati[k]) for k in ("topologia", "quartieri", "punti")}
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflate = len(comp.compress(args) + comp.flush(zlib.Z_SYNC_FLUSH))
    return Ripartizione(
        totale=len(args),
        topologia=parti["topologia"],
        quartieri=parti["quartieri"],
        punti=parti["punti"],
        n_punti=len(dati["punti"]),
        resto=len(args) - sum(parti.values()),
        gzip=len(gzip.compress(args, 6)),
        deflate_ws=deflate,
    )
