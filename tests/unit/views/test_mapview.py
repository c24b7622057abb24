"""The folium map: only local assets, status never by colour alone, data shown as text, small."""

from __future__ import annotations

import json
import re

import folium
import folium.plugins
import pytest
import shapely

from cittadelnoi.metrics.panoramica import orari_testo
from cittadelnoi.stores.file import carica
from cittadelnoi.views.mapview import (
    CAMPI_PUNTO,
    RisorsaEsterna,
    Selezione,
    assicura_solo_locale,
    costruisci_mappa,
    dati_punti,
    layer_quartieri,
)
from tests.conftest import DATA


@pytest.fixture(scope="module")
def snap():
    return carica(DATA)


@pytest.fixture(scope="module")
def layer(snap):
    return layer_quartieri(snap.stati)


def _render(snap, selezione=None, punti=None) -> str:
    sel = selezione or Selezione(frozenset(snap.quartieri["codice_istat"]))
    m = costruisci_mappa(
        layer_quartieri(snap.stati), snap.punti if punti is None else punti, orari_testo(snap.sportelli), sel
    )
    return m.get_root().render()


def _dati(page: str) -> dict:
    """The JSON the map's script receives: the page's <script type="application/json"> block that
    the script names (whole page, or st_folium's HTML part)."""
    found = re.search(r'<script type="application/json" id="(cdn-dati-[0-9a-f]+)">(.*?)</script>', page, re.S)
    assert found, "the map's data not found"
    return json.loads(found.group(2))


def _decodifica(topologia: dict) -> dict[str, object]:
    """Decode the TopoJSON arcs back to shapes (what topojson-client does in the browser)."""
    sx, sy = topologia["transform"]["scale"]
    tx, ty = topologia["transform"]["translate"]
    archi = []
    for arco in topologia["arcs"]:
        x = y = 0
        punti = []
        for dx, dy in arco:
            x, y = x + dx, y + dy
            punti.append((x * sx + tx, y * sy + ty))
        archi.append(punti)

    def anello(indici):
        out = []
        for i in indici:
            pts = archi[i] if i >= 0 else archi[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    forme = {}
    for g in topologia["objects"]["quartieri"]["geometries"]:
        poligoni = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        forme[g["properties"]["codice_istat"]] = shapely.MultiPolygon(
            [shapely.Polygon(anello(p[0]), [anello(h) for h in p[1:]]) for p in poligoni]
        )
    return forme


def test_only_the_app_s_own_scripts_are_linked(snap):
    page = _render(snap)
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/app/static/vendor/leaflet/leaflet.js" in urls
    assert "/app/static/vendor/leaflet/leaflet.css" in urls
    assert "/app/static/vendor/topojson-client/topojson-client.min.js" in urls
    assert [u for u in urls if u.startswith("/app/static/mappa.js?v=")], "the map's own script, versioned"
    assert [u for u in urls if "://" in u or u.startswith("//")] == []
    assert "$(" not in page, "folium's jQuery popups need a script we do not ship"


def test_a_cdn_plugin_is_refused():
    m = folium.Map(tiles=None)
    m.default_js = [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
    m.default_css = []
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(RisorsaEsterna, match="Fullscreen vuole caricare https://"):
        assicura_solo_locale(m)


def test_topology_keeps_every_quartiere_within_two_metres(snap, layer):
    forme = _decodifica(layer["topologia"])
    assert set(forme) == set(snap.stati["codice_istat"])
    utm = snap.stati.set_index("codice_istat").geometry.to_crs(32632)
    import geopandas as gpd

    decodificate = gpd.GeoSeries(forme, crs=4326).to_crs(32632)
    for codice, originale in utm.items():
        assert decodificate[codice].hausdorff_distance(originale) < 2.0, codice
        assert abs(decodificate[codice].area - originale.area) / originale.area < 0.002, codice


def test_every_quartiere_and_point_is_sent_with_status_in_words(snap, layer):
    assert len(layer["quartieri"]) == 33
    stati = {q["stato_testo"] for q in layer["quartieri"].values()}
    assert stati == {"attivo (bordo continuo)", "in apertura (bordo a puntini)", "mancante (bordo tratteggiato)"}
    dati = _dati(_render(snap))
    assert len(dati["punti"]) == 21
    stato = CAMPI_PUNTO.index("stato")
    assert sum(p[stato] == "attivo" for p in dati["punti"]) == 20
    assert sum(p[stato] == "in_apertura" for p in dati["punti"]) == 1
    assert dati["simboli"] == {"attivo": "✓", "in_apertura": "◐"}
    assert dati["testi"]["stati"]["in_apertura"] == "in apertura"
    # Demo points are flagged so the marker gets a dashed border and the popup a warning.
    demo = CAMPI_PUNTO.index("dimostrativo")
    assert (
        sum(p[demo] for p in dati["punti"]) == int(snap.punti["dimostrativo"].sum()) == 0
    )  # the sample register has no demo rows


def test_filter_limits_markers_and_outlines_the_chosen_quartiere(snap):
    page = _render(snap, Selezione(frozenset({"17029010"}), "17029010"))
    dati = _dati(page)
    assert dati["dentro"] == ["17029010"] and dati["scelto"] == "17029010"
    assert len(dati["quartieri"]) == 33, "the other quartieri stay on the map, faded"
    [punto] = dati["punti"]
    riga = dict(zip(CAMPI_PUNTO, punto, strict=False))
    assert riga["nome"] == "Punto Melograno (esempio)"
    assert riga["orario"] == "mer 15:30-17:30; ven 09:30-11:30 (4 h/settimana)"
    assert riga["ente_gestore"] and riga["fonte"]
    # The fitted view is Lamarmora's box, not the city's (the script fits it beside the key).
    (south, west), (north, east) = dati["limiti"]
    assert 45.50 < south < north < 45.54 and 10.19 < west < east < 10.23


def test_undocumented_hours_and_missing_values_are_null_not_zero(snap):
    righe = dati_punti(snap.punti, {}, frozenset(snap.quartieri["codice_istat"]))
    orario = CAMPI_PUNTO.index("orario")
    assert all(r[orario] is None for r in righe)


def test_names_with_html_stay_inert_in_the_page(snap):
    punti = snap.punti.copy()
    evil = "<img src=x onerror=alert(1)>`${alert(2)}`</script><script>alert(3)</script>"
    punti.loc[punti["id"] == "lamarmora", "nome"] = evil
    punti.loc[punti["id"] == "lamarmora", "indirizzo"] = evil
    page = _render(snap, punti=punti)
    assert "<img src=x" not in page
    assert "</script><script>alert(3)" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # tojson: text inside a JS string
    assert [r for r in _dati(page)["punti"] if r[CAMPI_PUNTO.index("nome")] == evil]
    assert "innerHTML" not in page and '.bindPopup("' not in page, "content must go in as text nodes"


def _regole_css(page: str) -> dict[str, str]:
    """selector -> declarations of the map's own style sheet (rules inside @media left out)."""
    foglio = re.search(r"<style>(html,body\{.*?)</style>", page, re.S)
    assert foglio, "the map's style sheet not found"
    senza_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", foglio.group(1))
    return {sel.strip(): decl for sel, decl in re.findall(r"([^{}]+)\{([^{}]*)\}", senza_media)}


def test_a_long_name_in_the_numbered_key_wraps_inside_its_column(snap):
    """The key lists the quartieri in two columns: a name kept on one line ran into the next column.
    Each entry is a grid (number, name) whose name cell may shrink and wraps, a long word included.
    tests/browser/test_chiave_mappa.py measures it in Chromium."""
    regole = _regole_css(_render(snap))
    assert "column-count:2" in regole[".cdn-chiave ol"]
    voce = regole[".cdn-chiave li"]
    assert "nowrap" not in voce
    assert "display:grid" in voce and "minmax(0,1fr)" in voce and "overflow-wrap:anywhere" in voce


def test_the_city_map_fits_the_60_kb_budget(snap):
    import streamlit_folium as sf

    m = costruisci_mappa(
        layer_quartieri(snap.stati),
        snap.punti,
        orari_testo(snap.sportelli),
        Selezione(frozenset(snap.quartieri["codice_istat"])),
    )
    m.get_root().render()
    m.render()
    args = json.dumps({"script": sf._get_map_string(m), "html": sf._get_html(m), "header": sf._get_header(m)})
    assert len(args.encode()) <= 60_000, f"{len(args.encode())} bytes"


def test_st_folium_sends_the_same_map_without_rendering_the_whole_page_first(snap, layer):
    """ui.mappa calls st_folium with render=False (issue 14, point 4: less work per rerun): the
    script, header and HTML it sends must be those of a fully rendered page."""
    import streamlit_folium as sf

    from cittadelnoi.views.mapview import mappa_da_base, prepara_base

    base = prepara_base(layer, snap.punti, orari_testo(snap.sportelli))

    def pezzi(pagina_intera: bool) -> list[str]:
        m = mappa_da_base(base)
        if pagina_intera:
            m.get_root().render()
        m.render()
        return [re.sub(r"_[0-9a-f]{32}", "_id", s) for s in (sf._get_html(m), sf._get_header(m), sf._get_map_string(m))]

    assert pezzi(False) == pezzi(True)


def test_a_pick_keeps_the_live_map_s_script_and_sends_only_the_selection(snap, layer):
    """Issue 14, point 4: the base map's script (st_folium's component key) is the same for every
    selection; the selection travels in the feature group, as JSON safe inside a script."""
    import streamlit_folium as sf

    from cittadelnoi.views.mapview import mappa_da_base, prepara_base, strato_selezione

    base = prepara_base(layer, snap.punti, orari_testo(snap.sportelli))
    tutti = frozenset(layer["quartieri"])

    def invio(selezione: Selezione) -> tuple[str, str]:
        m = mappa_da_base(base)
        m.render()
        script = sf._get_map_string(m)
        return sf.generate_js_hash(script, "mappa"), sf._get_feature_group_string(strato_selezione(layer, selezione), m)

    chiave_citta, gruppo_citta = invio(Selezione(tutti))
    chiave_lamarmora, gruppo_lamarmora = invio(Selezione(frozenset({"17029010"}), "17029010"))
    assert chiave_citta == chiave_lamarmora
    trovato = re.search(r"map_div\.cdnSeleziona\((\{.*\}), true\);", gruppo_lamarmora)
    assert trovato, gruppo_lamarmora
    sel = json.loads(trovato.group(1))
    assert sel["dentro"] == ["17029010"] and sel["scelto"] == "17029010"
    assert sel["chiave"] == [["10", "Lamarmora"]]
    assert len(json.loads(re.search(r"cdnSeleziona\((\{.*\}), true\)", gruppo_citta).group(1))["chiave"]) == 33
    # Every point is in the base, with its quartiere: the selection shows those of the quartieri in view.
    m = mappa_da_base(base)
    m.render()
    dati = _dati(sf._get_html(m))
    assert len(dati["punti"]) == 21 and "dentro" not in dati
    assert {p[CAMPI_PUNTO.index("codice_istat")] for p in dati["punti"]} <= tutti


_JINJA = "Punto {{ 7*7 }} {{ cycler.__init__.__globals__.os.getcwd() }} {% if x %}"


def test_names_with_template_syntax_stay_text_and_run_nothing(snap, layer, monkeypatch):
    """A name is data, never a template: branca's MacroElement.render compiled each rendered
    script again as Jinja, so a point named `{{ ... }}` ran Python on the server (its output was
    in the page) and one with `{% if %}` stopped the map. Checked for the whole page (/mappa, the
    meeting kit), for what st_folium sends, and for the selection's feature group."""
    import jinja2
    import streamlit_folium as sf

    from cittadelnoi.views.mapview import mappa_da_base, prepara_base, strato_selezione

    compilati: list[str] = []
    originale = jinja2.Environment.from_string
    monkeypatch.setattr(
        jinja2.Environment, "from_string", lambda self, s, *a, **k: compilati.append(s) or originale(self, s, *a, **k)
    )
    punti = snap.punti.copy()
    punti.loc[punti["id"] == "lamarmora", "nome"] = _JINJA
    strato = json.loads(json.dumps(layer))
    strato["quartieri"]["17029010"]["nome"] = _JINJA

    pagina = _render(snap, Selezione(frozenset({"17029010"}), "17029010"), punti=punti)
    base = prepara_base(strato, punti, orari_testo(snap.sportelli))
    m = mappa_da_base(base)
    m.render()
    script = sf._get_map_string(m)
    html = sf._get_html(m)
    gruppo = sf._get_feature_group_string(strato_selezione(strato, Selezione(frozenset({"17029010"}), "17029010")), m)

    for testo in (pagina, html):
        assert [r for r in _dati(testo)["punti"] if r[CAMPI_PUNTO.index("nome")] == _JINJA], "name changed"
    assert json.loads(re.search(r"cdnSeleziona\((\{.*\}), true\)", gruppo).group(1))["chiave"] == [["10", _JINJA]]
    assert "Punto 49" not in pagina + script + html + gruppo
    assert not [s for s in compilati if "Punto {{" in s], "a rendered text was compiled as a template"


def test_the_map_s_script_is_a_static_file_and_its_data_only_json(snap, layer):
    """Issue 21, point 4: the drawing code is static/mappa.js (served with the vendor files, kept in
    git), the data travel as JSON in the page, and the map's own script is one call naming them.
    The call names them by a digest, so st_folium (which keys the live map by its script) draws a
    new map for new data, and keeps the live one for the same data."""
    import subprocess

    import streamlit_folium as sf

    from cittadelnoi.core import paths
    from cittadelnoi.views.mapview import mappa_da_base, prepara_base, url_script

    codice = (paths.STATIC_DIR / "mappa.js").read_text(encoding="utf-8")
    assert "window.cdnMappa = function (d, mappa)" in codice
    assert "</script" not in codice.lower(), "it is put inside the meeting kit's page"
    assert "innerHTML" not in codice and "insertAdjacentHTML" not in codice, "data go in as text nodes"
    ignorato = subprocess.run(["git", "check-ignore", "-q", str(paths.STATIC_DIR / "mappa.js")], cwd=paths.ROOT)
    assert ignorato.returncode == 1, "static/mappa.js must be committed (only static/vendor/ is installed)"
    assert url_script("/app/static/vendor").startswith("/app/static/mappa.js?v=")

    def inviato(base) -> tuple[str, str]:
        m = mappa_da_base(base)
        m.render()
        return sf._get_map_string(m), sf._get_html(m)

    script, html = inviato(prepara_base(layer, snap.punti, orari_testo(snap.sportelli)))
    chiamata = re.search(r"cdnMappa\(JSON\.parse\(document\.getElementById\(\"(cdn-dati-[0-9a-f]{16})\"\)", script)
    assert chiamata and f'id="{chiamata.group(1)}"' in html
    assert "Lamarmora" not in script and "topologia" not in script, "no data in the code"
    assert _dati(html)["riporta_punti"] is True
    assert inviato(prepara_base(layer, snap.punti, orari_testo(snap.sportelli)))[0] == script
    altri_orari = {**orari_testo(snap.sportelli), "lamarmora": "lun 09:00-10:00"}
    assert inviato(prepara_base(layer, snap.punti, altri_orari))[0] != script, "new data, new map"
    assert inviato(prepara_base(layer, snap.punti, orari_testo(snap.sportelli), completo=False))[0] != script, (
        "a new legend is a new map too"
    )
