"""Contract of every HTTP route of cittadelnoi/web/rotte.py: status, media type, validators, CORS,
and the content parsed with a library (csv, json, icalendar) and compared with the register.

The routes run in-process (Starlette's TestClient) on the two real stores: the files of a private
copy of data/ (DataStore) and a SQLite database seeded from it (DbStore). tests/browser/
test_dati_aperti.py checks the same routes on the real server started by `streamlit run app.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path

import icalendar
import pytest
import shapely.geometry
from starlette.applications import Starlette
from starlette.testclient import TestClient

from cittadelnoi.loaders import punti as punti_loader
from cittadelnoi.loaders import registro
from cittadelnoi.loaders import rendiconti as rendiconti_loader
from cittadelnoi.loaders import sportelli as sportelli_loader
from cittadelnoi.stores.base import Archivio
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from cittadelnoi.stores.file import DataStore
from cittadelnoi.views import dati_aperti, esporta
from cittadelnoi.views.mapview import url_script
from cittadelnoi.web.rotte import rotte
from tests.conftest import replace_in

ROMA = "Europe/Rome"


def client_per(store: Archivio) -> TestClient:
    return TestClient(Starlette(routes=rotte(lambda: store)), base_url="http://cruscotto.test")


@pytest.fixture(params=["file", "db"])
def store(request, data_copy: Path, tmp_path: Path) -> Archivio:
    if request.param == "file":
        s: Archivio = DataStore(data_copy, tmp_path / "copia")
    else:
        s = DbStore(crea_engine(f"sqlite:///{tmp_path / 'registro.sqlite'}"), data_copy)
    snap, errori = s.get()
    assert snap is not None and errori == []
    return s


@pytest.fixture
def client(store: Archivio) -> TestClient:
    return client_per(store)


def registro_testo(frame, colonne) -> list[dict[str, str]]:
    return [{c: "" if r[c] is None else r[c] for c in colonne} for r in registro.record_da_frame(frame, colonne)]


def leggi_csv(corpo: bytes) -> list[dict[str, str]]:
    assert corpo.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, like the app's downloads (Excel)"
    return list(csv.DictReader(io.StringIO(corpo.decode("utf-8-sig"))))


def controlla_intestazioni(r, tipo: str) -> None:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == tipo
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["etag"].startswith('W/"')
    assert dt.datetime.strptime(r.headers["last-modified"], "%a, %d %b %Y %H:%M:%S GMT")


# --- the files --------------------------------------------------------------------------------


def test_punti_csv_is_the_register_with_its_sources(client, store):
    snap, _ = store.get()
    r = client.get("/dati/punti.csv")
    controlla_intestazioni(r, "text/csv")
    assert r.headers["link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    righe = leggi_csv(r.content)
    # The columns of data/punti.csv (it imports back), then the two derived ones.
    assert list(righe[0]) == [*punti_loader.COLONNE, "da_riconfermare", "aggiornato_referente"]
    assert [{c: r[c] for c in punti_loader.COLONNE} for r in righe] == registro_testo(snap.punti, punti_loader.COLONNE)
    assert all(r["fonte"] for r in righe)
    # Written by the app's own CSV writer (the one that neutralises spreadsheet formulas).
    assert r.content == esporta.csv_bytes(dati_aperti._testi_punti(snap.punti, None))


def test_sportelli_csv_is_every_desk_slot(client, store):
    snap, _ = store.get()
    r = client.get("/dati/sportelli.csv")
    controlla_intestazioni(r, "text/csv")
    righe = leggi_csv(r.content)
    assert list(righe[0]) == list(sportelli_loader.COLONNE)
    assert righe == registro_testo(snap.sportelli, sportelli_loader.COLONNE)
    assert len(righe) == len(snap.sportelli) > 0 and all(r["fonte"] for r in righe)


def test_rendiconti_csv_is_every_sent_report_counts_only(client, store):
    """Per point and month, the register's licence, ETag/Last-Modified; drafts and notes not published."""
    snap, _ = store.get()
    r = client.get("/dati/rendiconti.csv")
    controlla_intestazioni(r, "text/csv")
    assert r.headers["link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    righe = leggi_csv(r.content)
    assert list(righe[0]) == [c for c in rendiconti_loader.COLONNE if c != "note"]
    inviati = snap.rendiconti[snap.rendiconti["stato"] == "inviato"]
    assert 0 < len(righe) == len(inviati) < len(snap.rendiconti)  # the sample has drafts
    assert {r["stato"] for r in righe} == {"inviato"}
    assert [(r["id_punto"], r["mese"]) for r in righe] == sorted(zip(inviati["id_punto"], inviati["mese"], strict=True))
    vuoti = inviati["accessi"].isna().sum()
    assert vuoti > 0 and sum(r["accessi"] == "" for r in righe) == vuoti  # not reported: empty, never 0
    ancora = client.get("/dati/rendiconti.csv", headers={"If-None-Match": r.headers["etag"]})
    assert ancora.status_code == 304


def test_punti_geojson_has_every_point_with_its_properties(client, store):
    snap, _ = store.get()
    r = client.get("/dati/punti.geojson")
    controlla_intestazioni(r, "application/geo+json")
    gj = r.json()
    assert gj["type"] == "FeatureCollection" and gj["licenza"] == "CC BY 4.0"
    atteso = registro_testo(snap.punti, punti_loader.COLONNE)
    assert len(gj["features"]) == len(atteso) == len(snap.punti)
    for f, rec, (lat, lon) in zip(
        gj["features"], atteso, zip(snap.punti["lat"], snap.punti["lon"], strict=True), strict=True
    ):
        assert f["geometry"] == {"type": "Point", "coordinates": [lon, lat]}
        derivate = {k: f["properties"].pop(k) for k in dati_aperti.DERIVATE}
        assert f["properties"] == {k: (v or None) for k, v in rec.items()}
        assert derivate["da_riconfermare"] in ("sì", "no") and derivate["aggiornato_referente"] is None
        assert f["properties"]["fonte"]


def test_quartieri_geojson_has_the_33_shapes_and_their_status(client, store):
    snap, _ = store.get()
    r = client.get("/dati/quartieri.geojson")
    controlla_intestazioni(r, "application/geo+json")
    gj = r.json()
    per_codice = {f["properties"]["codice_istat"]: f for f in gj["features"]}
    stati = snap.stati.set_index("codice_istat")
    assert set(per_codice) == set(stati.index) and len(per_codice) == 33
    for codice, f in per_codice.items():
        assert f["properties"]["nome"] == stati.at[codice, "nome"]
        assert f["properties"]["stato"] == stati.at[codice, "stato"]
        assert f["properties"]["fonte"]
        forma = shapely.geometry.shape(f["geometry"])
        assert forma.is_valid and forma.equals_exact(stati.at[codice, "geometry"], 1e-9)


def eventi(corpo: bytes) -> list:
    cal = icalendar.Calendar.from_ical(corpo)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [ROMA]
    return cal.walk("VEVENT")


def test_orari_ics_has_one_weekly_event_per_desk_slot(client, store):
    snap, _ = store.get()
    r = client.get("/dati/orari.ics")
    controlla_intestazioni(r, "text/calendar")
    evs = eventi(r.content)
    assert len(evs) == len(snap.sportelli)
    giorni = list(dati_aperti.GIORNI_ICAL)
    nomi = snap.punti.set_index("id")["nome"]
    visti = set()
    for ev in evs:
        inizio, fine = ev.decoded("DTSTART"), ev.decoded("DTEND")
        assert str(inizio.tzinfo) == ROMA and ev["DTSTART"].params["TZID"] == ROMA
        rrule = ev["RRULE"]
        assert rrule["FREQ"] == ["WEEKLY"]
        punto = str(ev["X-CITTADELNOI-PUNTO"])
        visti.add((punto, giorni[inizio.weekday()], inizio.strftime("%H:%M"), fine.strftime("%H:%M")))
        assert rrule["BYDAY"] == [dati_aperti.GIORNI_ICAL[giorni[inizio.weekday()]]]
        assert str(ev["SUMMARY"]) == f"Sportello: {nomi[punto]}"
        assert "Fonte dell'orario:" in str(ev["DESCRIPTION"]) and "CC BY 4.0" in str(ev["DESCRIPTION"])
    attesi = set(
        zip(
            snap.sportelli["id_punto"],
            snap.sportelli["giorno"],
            snap.sportelli["inizio"],
            snap.sportelli["fine"],
            strict=True,
        )
    )
    assert visti == attesi


def test_orari_ics_narrowed_by_quartiere_and_by_punto(client, store):
    snap, _ = store.get()
    codice = snap.punti.set_index("id").at["lamarmora", "codice_istat"]
    del_quartiere = set(snap.punti.loc[snap.punti["codice_istat"] == codice, "id"])
    evs = eventi(client.get(f"/dati/orari.ics?quartiere={codice}").content)
    assert {str(e["X-CITTADELNOI-QUARTIERE"]) for e in evs} == {codice}
    assert len(evs) == int(snap.sportelli["id_punto"].isin(del_quartiere).sum()) > 0
    evs = eventi(client.get("/dati/orari.ics?punto=lamarmora").content)
    assert {str(e["X-CITTADELNOI-PUNTO"]) for e in evs} == {"lamarmora"}
    assert len(evs) == int((snap.sportelli["id_punto"] == "lamarmora").sum()) == 2
    assert client.get("/dati/orari.ics?quartiere=99999999").status_code == 404
    assert client.get("/dati/orari.ics?punto=nessuno").status_code == 404
    # Both: the points of that quartiere with that id (none here).
    assert eventi(client.get("/dati/orari.ics?quartiere=17029001&punto=lamarmora").content) == []


def test_catalogo_is_dcat_ap_it_and_lists_every_file(client, store):
    snap, _ = store.get()
    r = client.get("/dati/catalogo.jsonld")
    controlla_intestazioni(r, "application/ld+json")
    cat = r.json()
    assert "dcat:Catalog" in cat["@type"] and "dcatapit:Catalog" in cat["@type"]
    assert cat["dct:publisher"]["foaf:name"] == "Comune di Brescia"
    assert cat["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert cat["dct:modified"]["@value"] == snap.caricato_il.astimezone(dati_aperti.FUSO).date().isoformat()
    assert cat["dct:title"]["@value"] and cat["dct:description"]["@value"]
    distribuzioni = [d for ds in cat["dcat:dataset"] for d in ds["dcat:distribution"]]
    for ds in cat["dcat:dataset"]:
        for campo in ("dct:title", "dct:description", "dct:publisher", "dct:license", "dct:modified"):
            assert ds[campo], campo
    percorsi = {d["dcat:downloadURL"]["@id"] for d in distribuzioni}
    assert percorsi == {f"http://cruscotto.test/dati/{n}" for n in dati_aperti.FILE if n != "catalogo.jsonld"}
    for d in distribuzioni:
        risposta = client.get(d["dcat:downloadURL"]["@id"])
        assert risposta.status_code == 200
        assert risposta.headers["content-type"].split(";")[0] == d["dcat:mediaType"]
        assert d["dct:license"]["foaf:name"] == "CC BY 4.0"


def test_public_url_and_licence_are_configurable(client, imposta):
    imposta(licenza="CC0-1.0", url_pubblico="https://cittadelnoi.example.it/")
    cat = client.get("/dati/catalogo.jsonld").json()
    assert cat["@id"] == "https://cittadelnoi.example.it/dati/catalogo.jsonld"
    assert cat["dct:license"]["foaf:name"] == "CC0 1.0"
    assert client.get("/dati/punti.geojson").json()["licenza"] == "CC0 1.0"
    assert "publicdomain/zero" in client.get("/dati/punti.csv").headers["link"]
    assert "CC0 1.0" in client.get("/dati/orari.ics").text


def test_the_public_url_of_the_secrets_file_alone_reaches_the_routes(client, imposta, tmp_path, monkeypatch):
    """[cittadelnoi] url_pubblico in secrets.toml, nothing in the environment (it was read by the
    sidebar's links only, issue 21): the catalogue and /mappa's link to the dashboard use it."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[cittadelnoi]\nurl_pubblico = "https://cruscotto.example.org/brescia/"\n', encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    imposta(url_pubblico=None)
    cat = client.get("/dati/catalogo.jsonld").json()
    assert cat["@id"] == "https://cruscotto.example.org/brescia/dati/catalogo.jsonld"
    assert 'href="https://cruscotto.example.org/brescia/?zona=Sud"' in client.get("/mappa?zona=Sud").text


# --- validators and freshness ---------------------------------------------------------------


@pytest.mark.parametrize(
    "percorso", ["/dati/punti.csv", "/dati/orari.ics?punto=lamarmora", "/dati/catalogo.jsonld", "/mappa"]
)
def test_conditional_requests_get_304(client, percorso):
    r = client.get(percorso)
    assert r.status_code == 200
    for condizione in ({"If-None-Match": r.headers["etag"]}, {"If-Modified-Since": r.headers["last-modified"]}):
        r304 = client.get(percorso, headers=condizione)
        assert r304.status_code == 304 and r304.content == b""
        assert r304.headers["etag"] == r.headers["etag"]
    assert client.get(percorso, headers={"If-None-Match": 'W/"altro"'}).status_code == 200


def test_files_follow_the_data_at_once(data_copy: Path, tmp_path: Path):
    client = client_per(DataStore(data_copy, tmp_path / "copia"))
    prima = client.get("/dati/punti.csv")
    replace_in(data_copy / "punti.csv", "Punto Girasole (esempio)", "Punto Girasole Nuovo (esempio)")
    dopo = client.get("/dati/punti.csv", headers={"If-None-Match": prima.headers["etag"]})
    assert dopo.status_code == 200 and dopo.headers["etag"] != prima.headers["etag"]
    assert "Girasole Nuovo" in dopo.text
    # A broken file is not published: the last good data stay.
    (data_copy / "sportelli.csv").write_text("rotto", encoding="utf-8")
    assert client.get("/dati/punti.csv").content == dopo.content


# --- /salute ----------------------------------------------------------------------------------


def test_salute_reports_data_version_and_database(client, store):
    snap, _ = store.get()
    r = client.get("/salute")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    s = r.json()
    assert s["stato"] == "ok" and s["dati"]["validi"] is True and s["dati"]["versione"] == snap.versione
    assert s["database"] == (
        {"usato": True, "raggiungibile": True, "sola_lettura": False}
        if isinstance(store, DbStore)
        else {"usato": False, "raggiungibile": None, "sola_lettura": None}
    )


def test_salute_degraded_then_unavailable(data_copy: Path, tmp_path: Path):
    client = client_per(DataStore(data_copy, tmp_path / "copia"))
    client.get("/salute")
    (data_copy / "punti.csv").write_text("rotto", encoding="utf-8")
    s = client.get("/salute")
    assert s.status_code == 200, "the last good data are still served"
    assert (
        s.json()["stato"] == "degradato" and s.json()["dati"]["validi"] is False and s.json()["dati"]["problemi"] >= 1
    )
    vuota = tmp_path / "vuota"
    vuota.mkdir()
    s = client_per(DataStore(vuota, None)).get("/salute")
    assert s.status_code == 503 and s.json()["stato"] == "non disponibile"
    assert client_per(DataStore(vuota, None)).get("/dati/punti.csv").status_code == 503


def test_salute_503_when_the_database_does_not_answer(data_copy: Path, tmp_path: Path):
    db = tmp_path / "db"
    db.mkdir()
    store = DbStore(crea_engine(f"sqlite:///{db / 'registro.sqlite'}"), data_copy)
    client = client_per(store)
    assert client.get("/salute").status_code == 200
    store.engine.dispose()
    shutil.rmtree(db)
    s = client.get("/salute")
    assert s.status_code == 503 and s.json()["database"] == {
        "usato": True,
        "raggiungibile": False,
        "sola_lettura": None,
    }


def test_salute_ok_on_a_read_only_backup(data_copy: Path, tmp_path: Path):
    """Issue 26: a restored backup (VACUUM INTO: not in WAL mode) that cannot be written is served
    and healthy. Opened with mode=ro because tests may run as root, whom chmod 0444 does not stop."""
    originale = DbStore(crea_engine(f"sqlite:///{tmp_path / 'registro.sqlite'}"), data_copy)
    snap, _ = originale.get()
    copia = tmp_path / "copia.sqlite"
    con = sqlite3.connect(tmp_path / "registro.sqlite")
    con.execute("VACUUM INTO ?", (str(copia),))
    con.close()
    copia.chmod(0o444)
    store = DbStore(crea_engine(f"sqlite:///file:{copia}?mode=ro&uri=true"), data_copy)
    s = client_per(store).get("/salute")
    assert s.status_code == 200 and s.json()["stato"] == "ok", s.json()
    assert s.json()["database"] == {"usato": True, "raggiungibile": True, "sola_lettura": True}
    assert store.get()[0].punti["id"].tolist() == snap.punti["id"].tolist()


# --- /mappa -----------------------------------------------------------------------------------


def dati_mappa(pagina: str) -> dict:
    trovati = re.search(r'<script type="application/json" id="cdn-dati-[0-9a-f]+">(.*?)</script>', pagina, re.S)
    assert trovati, "the map's data not found in /mappa"
    return json.loads(trovati.group(1))


def test_mappa_is_a_static_page_with_local_assets_and_configurable_frame_ancestors(client, store, imposta):
    snap, _ = store.get()
    r = client.get("/mappa")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors *;" in csp and "default-src 'self'" in csp
    assert set(re.findall(r'(?:src|href)="([^"]+)"', r.text)) == {
        "/app/static/vendor/leaflet/leaflet.js",
        "/app/static/vendor/topojson-client/topojson-client.min.js",
        "/app/static/vendor/leaflet/leaflet.css",
        url_script("/app/static/vendor"),
        "https://creativecommons.org/licenses/by/4.0/",
        "http://cruscotto.test/",
        "/segnala",  # the report form's first step (web.segnala)
        "/accessibilita",  # the site's footer (views.piede): the accessibility statement
        "/privacy",  # and privacy and cookies
    }
    d = dati_mappa(r.text)
    assert sorted(d["dentro"]) == sorted(snap.quartieri["codice_istat"]) and len(d["punti"]) == len(snap.punti)
    assert "CC BY 4.0" in r.text and '<html lang="it">' in r.text
    imposta(frame_ancestors="'self' https://www.comune.brescia.it")
    assert (
        "frame-ancestors 'self' https://www.comune.brescia.it;"
        in client.get("/mappa").headers["content-security-policy"]
    )
    imposta(frame_ancestors="*; script-src *")
    with pytest.raises(ValueError):
        client.get("/mappa")


def test_mappa_zona_quartiere_and_language(client, store):
    snap, _ = store.get()
    q = snap.quartieri
    r = client.get("/mappa?zona=Sud")
    d = dati_mappa(r.text)
    assert sorted(d["dentro"]) == sorted(q.loc[q["zona"] == "Sud", "codice_istat"]) and d["scelto"] is None
    assert "zona Sud" in r.text and 'href="http://cruscotto.test/?zona=Sud"' in r.text
    codice = q.loc[q["nome"] == "Lamarmora", "codice_istat"].iloc[0]
    for valore in ("lamarmora", codice):
        d = dati_mappa(client.get(f"/mappa?quartiere={valore}").text)
        assert d["dentro"] == [codice] and d["scelto"] == codice
    inglese = client.get("/mappa?zona=Sud&lang=en").text
    assert '<html lang="en">' in inglese and "Community points" in inglese
    assert "cdn-avviso" not in r.text + inglese  # a filter that fits: no note
    # The server's own language is untouched by a request in English.
    assert '<html lang="it">' in client.get("/mappa").text


def avviso_mappa(pagina: str) -> str | None:
    trovato = re.search(r'<div class="cdn-avviso" role="status">(.*?)<button', pagina, re.S)
    return html.unescape(trovato.group(1)) if trovato else None


@pytest.mark.parametrize(
    ("query", "parole"),
    [
        ("zona=Atlantide", ["Zona «Atlantide» sconosciuta nel link: filtro ignorato.", "Centro, Est, Nord"]),
        ("quartiere=nessuno", ["Quartiere «nessuno» sconosciuto nel link: filtro ignorato."]),
        ("zona=Atlantide&lang=en", ["Unknown zone «Atlantide» in the link: filter ignored.", "Centro, Est, Nord"]),
        ("quartiere=nessuno&lang=en", ["Unknown neighbourhood «nessuno» in the link: filter ignored."]),
    ],
)
def test_mappa_with_an_unknown_filter_shows_the_whole_city_and_says_so(client, store, query, parole):
    """An embedded map with a mistyped zona: the filter is ignored, as the words on the map say, and
    the map is served (200) for the whole city, not an error page inside someone else's site."""
    snap, _ = store.get()
    r = client.get(f"/mappa?{query}")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert sorted(dati_mappa(r.text)["dentro"]) == sorted(snap.quartieri["codice_istat"])
    avviso = avviso_mappa(r.text)
    assert avviso is not None and all(p in avviso for p in parole), avviso
    inglese = "lang=en" in query
    assert ("Community points in Brescia" if inglese else "Punti di comunità nei quartieri di Brescia") in r.text
    etichetta = re.search(r'<button type="button" aria-label="([^"]*)"', r.text).group(1)
    assert html.unescape(etichetta) == ("Close the notice" if inglese else "Chiudi l'avviso")
    assert 'href="http://cruscotto.test/' + ("?lang=en" if inglese else "") + '"' in r.text  # no dropped filter


def test_mappa_keeps_the_zona_when_only_the_quartiere_is_unknown(client, store):
    snap, _ = store.get()
    q = snap.quartieri
    r = client.get("/mappa?zona=Sud&quartiere=nessuno")
    assert r.status_code == 200
    assert sorted(dati_mappa(r.text)["dentro"]) == sorted(q.loc[q["zona"] == "Sud", "codice_istat"])
    assert "Quartiere «nessuno» sconosciuto" in (avviso_mappa(r.text) or "") and "zona Sud" in r.text


def test_mappa_note_shows_the_link_as_text(client):
    r = client.get("/mappa", params={"zona": "<img src=x onerror=alert(1)>"})
    assert r.status_code == 200 and "<img src=x" not in r.text
    assert "«<img src=x onerror=alert(1)>»" in (avviso_mappa(r.text) or "")


# --- text from data stays text ----------------------------------------------------------------


@pytest.fixture
def dati_ostili(data_copy: Path) -> Path:
    # The kinds of text of ../shared/casi/punti-markdown.csv (markdown link and remote image) and raw HTML.
    replace_in(
        data_copy / "punti.csv",
        "mompiano,Punto Quercia (esempio),",
        "mompiano,Mompiano ![t](http://attacker.invalid/track.png) [clicca qui](http://attacker.invalid/phish) **grassetto**,",
    )
    replace_in(
        data_copy / "punti.csv",
        "Via dell'Esempio 10 (indirizzo fittizio)",
        '"Sala civica</script><img src=x onerror=alert(1)><a href=""http://attacker.invalid"">x</a>"',
    )
    return data_copy


def test_text_from_data_is_escaped_in_every_route(dati_ostili: Path, tmp_path: Path):
    store = DataStore(dati_ostili, tmp_path / "copia")
    snap, errori = store.get()
    assert errori == [] and snap is not None
    client = client_per(store)
    pagina = client.get("/mappa").text
    assert "<img src=x" not in pagina and "</script><img" not in pagina
    assert not re.search(r"<(img|a)\b[^>]*attacker", pagina)
    assert any("![t](http://attacker.invalid/track.png)" in n for n in snap.punti["nome"])
    # The files carry the data as written (they are data, not pages), parsed back unchanged.
    righe = leggi_csv(client.get("/dati/punti.csv").content)
    assert {r["id"]: r for r in righe}["lamarmora"]["indirizzo"].startswith("Sala civica</script><img")
    evs = eventi(client.get("/dati/orari.ics?punto=lamarmora").content)
    assert evs and all(str(e["LOCATION"]).startswith("Sala civica</script><img") for e in evs)


def test_csv_neutralises_spreadsheet_formulas_and_imports_back(data_copy: Path, tmp_path: Path):
    replace_in(data_copy / "punti.csv", "Via dell'Esempio 1 (indirizzo fittizio)", "=1+1")
    client = client_per(DataStore(data_copy, tmp_path / "copia"))
    corpo = client.get("/dati/punti.csv").content
    righe = {r["id"]: r for r in leggi_csv(corpo)}
    assert righe["don-bosco"]["indirizzo"] == "'=1+1", "a spreadsheet must not run it"
    # The app reads its own file back unchanged.
    (data_copy / "punti.csv").write_bytes(corpo)
    snap, errori = DataStore(data_copy, tmp_path / "copia2").get()
    assert errori == [] and snap.punti.set_index("id").at["don-bosco", "indirizzo"] == "=1+1"


# --- sample data -------------------------------------------------------------------------------


def test_every_file_of_the_sample_register_says_it_is_fictional(client, monkeypatch: pytest.MonkeyPatch):
    """Served from esempio/, each open-data file carries the watermark: a CSV column, a property of the
    collection and of every feature, the title of every calendar event."""
    from cittadelnoi.core import paths

    monkeypatch.setattr(paths, "dati_di_esempio", lambda: True)
    marchio = esporta.filigrana()
    assert marchio and "ESEMPIO" in marchio
    for nome in ("punti.csv", "sportelli.csv"):
        righe = leggi_csv(client.get(f"/dati/{nome}").content)
        assert righe and all(r["avviso"] == marchio for r in righe), nome
    for nome in ("punti.geojson", "quartieri.geojson"):
        raccolta = client.get(f"/dati/{nome}").json()
        assert raccolta["avviso"] == marchio
        assert raccolta["features"] and all(f["properties"]["avviso"] == marchio for f in raccolta["features"])
    calendario = icalendar.Calendar.from_ical(client.get("/dati/orari.ics").content)
    eventi = list(calendario.walk("VEVENT"))
    assert eventi and all(str(e["summary"]).startswith(f"[{marchio}] ") for e in eventi)


def test_template_syntax_in_data_stays_text_on_the_public_map(data_copy: Path, tmp_path: Path):
    """/mappa, open to anyone, draws the register's names: a name written as a Jinja template ran
    on the server (branca compiled the rendered map script again) and `{% if %}` made the route fail."""
    nome = "Punto {{ 7*7 }} {{ cycler.__init__.__globals__.os.getcwd() }} {% if x %}"
    replace_in(data_copy / "punti.csv", "mompiano,Punto Quercia (esempio),", f"mompiano,{nome},")
    store = DataStore(data_copy, tmp_path / "copia")
    snap, errori = store.get()
    assert errori == [] and snap is not None
    risposta = client_per(store).get("/mappa")
    assert risposta.status_code == 200
    assert "Punto 49" not in risposta.text and str(Path.cwd()) not in risposta.text
    assert json.dumps(nome, ensure_ascii=False) in risposta.text


# --- issue 22, points 3 and 4: old confirmations and a referente's change in public ----------


@pytest.fixture
def db_con_referente(data_copy: Path, tmp_path: Path) -> DbStore:
    """The sample register in a database, where Lamarmora's referente confirmed it today."""
    from cittadelnoi.auth.accesso import hash_password
    from cittadelnoi.core.ruoli import SISTEMA, Ruolo

    store = DbStore(crea_engine(f"sqlite:///{tmp_path / 'registro.sqlite'}"), data_copy)
    assert store.get()[0] is not None
    autore = (
        store.registro_account()
        .crea(
            "rbianchi",
            "Rita Bianchi",
            Ruolo.REFERENTE,
            hash_password("una password lunga", costo=4),
            SISTEMA,
            punti=["lamarmora"],
        )
        .autore()
    )
    rec, orario, v = store.punto("lamarmora")
    store.salva_punto("lamarmora", {**rec, "conferma": "2026-12-01"}, orario, v, autore)
    return store


def test_open_data_and_public_map_say_which_point_to_reconfirm_and_cite_the_referente(
    db_con_referente: DbStore, monkeypatch: pytest.MonkeyPatch
):
    from cittadelnoi.core import tempo
    from cittadelnoi.views.mapview import CAMPI_PUNTO

    monkeypatch.setattr(tempo, "oggi", lambda: dt.date(2026, 12, 7))
    giorno = tempo.giorno_locale(db_con_referente.modifiche("lamarmora").iloc[0]["registrata"])
    client = client_per(db_con_referente)
    righe = {r["id"]: r for r in leggi_csv(client.get("/dati/punti.csv").content)}
    assert (righe["lamarmora"]["da_riconfermare"], righe["lamarmora"]["aggiornato_referente"]) == (
        "no",
        giorno.isoformat(),
    )
    assert (righe["don-bosco"]["da_riconfermare"], righe["don-bosco"]["aggiornato_referente"]) == ("sì", "")
    assert [i for i, r in righe.items() if r["da_riconfermare"] == "sì"] == [
        "don-bosco",
        "demo-porta-milano",
        "demo-fiumicello",
        "demo-porta-cremona-volta",
        "demo-villaggio-prealpino",
        "demo-sant-eufemia",
    ]
    props = {f["properties"]["id"]: f["properties"] for f in client.get("/dati/punti.geojson").json()["features"]}
    assert props["lamarmora"]["aggiornato_referente"] == giorno.isoformat()
    assert props["don-bosco"]["da_riconfermare"] == "sì" and props["don-bosco"]["aggiornato_referente"] is None
    # The catalogue says what the two columns mean.
    (punti,) = [d for d in client.get("/dati/catalogo.jsonld").json()["dcat:dataset"] if d["@id"].endswith("#punti")]
    descrizione = punti["dct:description"]["@value"]
    assert "«da_riconfermare»" in descrizione and "12 mesi" in descrizione and "«aggiornato_referente»" in descrizione
    # /mappa: the popup's last confirmation and source, in Italian and in English.
    for query, vecchia, citato in (
        ("", "gennaio 2024 — da riconfermare", f"aggiornato dal referente il {giorno:%d/%m/%Y}"),
        ("?lang=en", "January 2024 — to be reconfirmed", "updated by the point's contact person on"),
    ):
        d = {p[CAMPI_PUNTO.index("id")]: p for p in dati_mappa(client.get("/mappa" + query).text)["punti"]}
        assert d["don-bosco"][CAMPI_PUNTO.index("conferma")] == vecchia
        assert citato in d["lamarmora"][CAMPI_PUNTO.index("fonte")]
        assert "referente" not in d["don-bosco"][CAMPI_PUNTO.index("fonte")]
    evs = eventi(client.get("/dati/orari.ics?punto=lamarmora").content)
    assert evs and all(f"aggiornato dal referente il {giorno:%d/%m/%Y}" in str(e["DESCRIPTION"]) for e in evs)


def test_files_of_the_points_change_the_day_a_confirmation_grows_old(client, monkeypatch: pytest.MonkeyPatch):
    """Mompiano (confirmed on 2 February 2026) is fresh on 2 February 2027 and old the day after: the
    same data version gives a new file and map then, and a client asking If-Modified-Since gets them."""
    from cittadelnoi.core import tempo
    from cittadelnoi.views.mapview import CAMPI_PUNTO

    def mompiano_mappa(pagina: str) -> str:
        return next(p for p in dati_mappa(pagina)["punti"] if p[CAMPI_PUNTO.index("id")] == "mompiano")[
            CAMPI_PUNTO.index("conferma")
        ]

    monkeypatch.setattr(tempo, "oggi", lambda: dt.date(2027, 2, 2))
    prima = {p: client.get(p) for p in ("/dati/punti.csv", "/mappa")}
    assert {r["id"]: r for r in leggi_csv(prima["/dati/punti.csv"].content)}["mompiano"]["da_riconfermare"] == "no"
    assert mompiano_mappa(prima["/mappa"].text) == "02/02/2026"
    monkeypatch.setattr(tempo, "oggi", lambda: dt.date(2027, 2, 3))
    dopo = {p: client.get(p, headers={"If-Modified-Since": r.headers["last-modified"]}) for p, r in prima.items()}
    for p, r in dopo.items():
        assert r.status_code == 200 and r.headers["etag"] != prima[p].headers["etag"], p
    assert {r["id"]: r for r in leggi_csv(dopo["/dati/punti.csv"].content)}["mompiano"]["da_riconfermare"] == "sì"
    assert mompiano_mappa(dopo["/mappa"].text) == "02/02/2026 — da riconfermare"


def test_versione_answers_the_watcher_s_version_and_the_process_from_memory_never_cached(store):
    """/versione: what every open page asks every few seconds (ui.archivio.aggiorna_se_cambiano_i_dati)."""
    from cittadelnoi.web.rotte import PROCESSO

    snap, _ = store.get()
    client = TestClient(Starlette(routes=rotte(lambda: store)))
    r = client.get("/versione")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert r.json() == {"versione": snap.versione, "processo": PROCESSO} and len(PROCESSO) == 16
    letto: list[str] = []
    dal_sorvegliante = TestClient(Starlette(routes=rotte(lambda: store, lambda: letto.append("v") or "abc123")))
    assert dal_sorvegliante.get("/versione").json()["versione"] == "abc123" and letto == ["v"]
    assert TestClient(Starlette(routes=rotte(lambda: store, lambda: None))).get("/versione").status_code == 503
