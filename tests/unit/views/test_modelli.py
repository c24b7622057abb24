"""The pages the app writes are Jinja2 templates (views/modelli.py, views/templates/): one
Environment, autoescaped, StrictUndefined. A name from the register or a link such as `<script>` or
`{{7*7}}` stays text in each page: the printable sheet, the meeting kit and /mappa."""

from __future__ import annotations

import datetime as dt
import html
import re

import jinja2
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from cittadelnoi.metrics.filtri import Filtro
from cittadelnoi.metrics.panoramica import orari_testo
from cittadelnoi.stores.file import DataStore, carica
from cittadelnoi.views import esporta, modelli
from cittadelnoi.views.kit_riunione import kit_panoramica
from cittadelnoi.views.mappa_pubblica import con_avviso, pagina_mappa
from cittadelnoi.views.mapview import Selezione, layer_quartieri
from cittadelnoi.web.rotte import rotte
from tests.conftest import replace_in

NOME = "Punto <script>alert(1)</script> {{7*7}} {% if true %}SI{% endif %} & \"q\" 'a'"
QUARTIERE = "Lamarmora <b>{{ 6*7 }}</b>"
QUANDO = dt.datetime(2026, 11, 30, 10, 15, tzinfo=dt.UTC)


@pytest.fixture
def cartella(data_copy):
    # Lamarmora (17029010): the point's name and the quartiere's official name both hostile.
    replace_in(
        data_copy / "punti.csv",
        "lamarmora,Punto Melograno (esempio),",
        f'lamarmora,"{NOME.replace(chr(34), chr(34) * 2)}",',
    )
    replace_in(data_copy / "quartieri.geojson", '"nome":"Lamarmora"', '"nome":"Lamarmora <b>{{ 6*7 }}</b>"')
    return data_copy


@pytest.fixture
def snap(cartella):
    return carica(cartella)


def _come_testo(pagina: str, testo: str) -> None:
    """`testo` is shown in `pagina` as written: escaped, never markup, and no template ran on it
    (`{{7*7}}` would show as 49, `{% if %}` would vanish)."""
    visibile = html.unescape(re.sub(r"<[^>]*>", "", pagina))
    assert testo in visibile
    assert "<script>alert(1)" not in pagina and "<b>{{" not in pagina


def test_the_environment_escapes_and_refuses_a_missing_name():
    assert modelli.AMBIENTE.autoescape is True
    assert modelli.AMBIENTE.from_string("<p>{{ x }}</p>").render(x="<b>&") == "<p>&lt;b&gt;&amp;</p>"
    with pytest.raises(jinja2.UndefinedError):
        modelli.AMBIENTE.from_string("{{ manca }}").render()
    with pytest.raises(jinja2.UndefinedError):
        modelli.pagina("cittadino/quartiere.html")  # every name the template uses must be given
    assert modelli.AMBIENTE.from_string("[{{ x }}]").render(x=None) == "[]"  # None is nothing, as core.testo


def test_printable_sheet(snap):
    pagina = esporta.scheda_quartiere(snap.stati, snap.punti, {}, [("a <i>", "{{1+1}}", "f")], "17029010", QUANDO)
    _come_testo(pagina, NOME)
    _come_testo(pagina, QUARTIERE)
    assert "<title>Scheda del quartiere Lamarmora &lt;b&gt;{{ 6*7 }}&lt;/b&gt; — " in pagina
    assert "<td>{{1+1}}</td>" in pagina and '<th scope="row">a &lt;i&gt;</th>' in pagina


def test_meeting_kit(snap):
    orari = orari_testo(snap.sportelli)
    filtro = Filtro("Nord", "17029010")
    mappa = pagina_mappa(
        layer_quartieri(snap.stati),
        snap.punti,
        orari,
        Selezione(frozenset({"17029010"}), "17029010"),
        NOME,
        inline=True,
    )
    pagina = kit_panoramica(snap, filtro, None, orari, mappa, QUANDO)
    fuori = re.sub(r'srcdoc="[^"]*"', 'srcdoc=""', pagina)  # the kit without its map
    _come_testo(fuori, NOME)  # in the table of points
    _come_testo(fuori, QUARTIERE)  # in the filters and the tables
    # The map's page is in srcdoc as text: unescaped once it is the page, with the title as text.
    dentro = html.unescape(re.search(r'srcdoc="([^"]*)"', pagina).group(1))
    assert dentro.startswith("<!DOCTYPE html>") and "<script>alert(1)" not in dentro
    assert f"<title>{html.escape(NOME)}</title>" in dentro.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def test_public_map_page_and_its_notice(cartella, tmp_path):
    client = TestClient(Starlette(routes=rotte(lambda: DataStore(cartella, tmp_path / "copia"))))
    pagina = client.get("/mappa?quartiere=17029010").text
    titolo = re.search(r"<title>(.*?)</title>", pagina).group(1)
    assert html.unescape(titolo) == f"Punti di comunità: quartiere {QUARTIERE} — Brescia Città del Noi"
    assert "<b>{{" not in pagina
    # A link's unknown zona is quoted back in the notice over the map: as text.
    pagina = client.get("/mappa", params={"zona": "<script>alert(1)</script>{{7*7}}"}).text
    avviso = re.search(r'<div class="cdn-avviso" role="status">(.*?)<button', pagina, re.S).group(1)
    assert "<script>" not in avviso and "{{7*7}}" in html.unescape(avviso) and "49" not in avviso
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in avviso
    # The link back to the dashboard, in an attribute: escaped there too.
    pagina = pagina_mappa(
        layer_quartieri(carica(cartella).stati),
        carica(cartella).punti,
        {},
        Selezione(frozenset(), None),
        "t",
        collegamento='https://x.org/?a="><script>{{7*7}}',
    )
    assert 'href="https://x.org/?a=&#34;&gt;&lt;script&gt;{{7*7}}"' in pagina
    assert con_avviso(pagina, "{{7*7}} <i>").count("{{7*7}} &lt;i&gt;") == 1
