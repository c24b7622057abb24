"""The folium map: only local assets, status never by colour alone, data shown as text."""

from __future__ import annotations

import re

import folium
import folium.plugins
import pytest

from cittadelnoi.mapview import RisorsaEsterna, Selezione, assicura_solo_locale, costruisci_mappa, layer_quartieri
from cittadelnoi.panoramica import orari_testo
from cittadelnoi.store import carica
from tests.conftest import DATA


@pytest.fixture(scope="module")
def snap():
    return carica(DATA)


def _render(snap, selezione=None, punti=None) -> str:
    sel = selezione or Selezione(frozenset(snap.quartieri["codice_istat"]))
    m = costruisci_mappa(layer_quartieri(snap.stati), snap.punti if punti is None else punti, orari_testo(snap.sportelli), sel)
    return m.get_root().render()


def test_only_the_app_s_own_leaflet_is_linked(snap):
    page = _render(snap)
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/app/static/vendor/leaflet/leaflet.js" in urls
    assert "/app/static/vendor/leaflet/leaflet.css" in urls
    assert [u for u in urls if "://" in u or u.startswith("//")] == []
    assert "$(" not in page, "folium's jQuery popups need a script we do not ship"


def test_a_cdn_plugin_is_refused():
    m = folium.Map(tiles=None)
    m.default_js = [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
    m.default_css = []
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(RisorsaEsterna, match="Fullscreen vuole caricare https://"):
        assicura_solo_locale(m)


def test_every_quartiere_and_point_is_drawn_with_status_in_words(snap):
    layer = layer_quartieri(snap.stati)
    assert len(layer["features"]) == 33
    stati = {f["properties"]["stato_testo"] for f in layer["features"]}
    assert stati == {"attivo (bordo continuo)", "in apertura (bordo a puntini)", "mancante (bordo tratteggiato)"}
    page = _render(snap)
    assert page.count("L.marker(") == 21
    assert page.count("cdn-marker cdn-attivo") == 20
    assert page.count("cdn-marker cdn-in_apertura") == 1


def test_filter_limits_markers_and_outlines_the_chosen_quartiere(snap):
    page = _render(snap, Selezione(frozenset({"17029010"}), "17029010"))
    assert page.count("L.marker(") == 1
    assert "Punto di comunit\\u00e0 Lamarmora" in page  # tojson escapes non-ASCII
    assert "mer 15:30-17:30; ven 09:30-11:30 (4 h/settimana)" in page
    # The fitted view is Lamarmora's box, not the city's.
    bounds = re.search(r"fitBounds\(\s*\[\[([\d.]+),\s*([\d.]+)\],\s*\[([\d.]+),\s*([\d.]+)\]\]", page)
    assert bounds, "fitBounds not found"
    south, west, north, east = map(float, bounds.groups())
    assert 45.50 < south < north < 45.54 and 10.19 < west < east < 10.23


def test_names_with_html_are_escaped_not_executed(snap):
    punti = snap.punti.copy()
    evil = "<img src=x onerror=alert(1)>`${alert(2)}`</script><script>alert(3)</script>"
    punti.loc[punti["id"] == "lamarmora", "nome"] = evil
    punti.loc[punti["id"] == "lamarmora", "indirizzo"] = evil
    page = _render(snap, punti=punti)
    assert "<img src=x" not in page
    assert "</script><script>alert(3)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page or "\\u0026lt;img" in page
