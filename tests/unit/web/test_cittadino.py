"""The citizen pages' routes (cittadelnoi/web/cittadino.py) in-process on the file store: status,
language, validators (304), cache headers for nginx, the CSP that allows no inline script."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from cittadelnoi.stores.file import DataStore
from cittadelnoi.web.cittadino import SECONDI_PROXY, rotte


@pytest.fixture
def client(data_copy: Path, tmp_path: Path) -> TestClient:
    store = DataStore(data_copy, tmp_path / "copia")
    return TestClient(Starlette(routes=rotte(lambda: store)), base_url="http://cruscotto.test")


def test_pages_answer_in_both_languages(client):
    for url, atteso in [
        ("/quartieri", "Punti di comunità nei quartieri di Brescia"),
        ("/quartieri/17029010", "Quartiere Lamarmora"),
        ("/punti/lamarmora", "Punto Melograno (esempio)"),
        ("/quartieri/17029010?lang=en", "Neighbourhood Lamarmora"),
        ("/quartieri?lang=xx", "Punti di comunità nei quartieri di Brescia"),  # unknown: Italian
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert atteso in r.text, url
    assert client.get("/quartieri?lang=en").headers["content-language"] == "en"


def test_unknown_quartiere_or_point_is_404_in_words(client):
    for url in ("/quartieri/123", "/punti/nessuno", "/quartieri/" + "1" * 200, "/punti/<script>"):
        r = client.get(url)
        assert r.status_code == 404 and "sconosciuto" in r.text and "<script>" not in r.text
        assert r.headers["cache-control"] == "no-store"


def test_validators_cache_headers_and_csp(client):
    r = client.get("/quartieri/17029010")
    assert r.headers["x-accel-expires"] == str(SECONDI_PROXY) and r.headers["cache-control"] == "no-cache"
    assert client.get("/quartieri/17029010", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    r2 = client.get("/quartieri/17029010", headers={"If-Modified-Since": r.headers["last-modified"]})
    assert r2.status_code == 304
    assert client.get("/quartieri/17029010?lang=en", headers={"If-None-Match": r.headers["etag"]}).status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_a_data_change_changes_the_page(client, data_copy: Path):
    prima = client.get("/punti/lamarmora")
    punti = data_copy / "punti.csv"
    punti.write_text(
        punti.read_text(encoding="utf-8").replace("Punto Melograno (esempio)", "Punto Gelso (esempio)"),
        encoding="utf-8",
    )
    dopo = client.get("/punti/lamarmora", headers={"If-None-Match": prima.headers["etag"]})
    assert dopo.status_code == 200 and "Punto Gelso (esempio)" in dopo.text


def test_links_use_the_public_address_when_set(data_copy: Path, tmp_path: Path, imposta):
    imposta(URL_PUBBLICO="https://cruscotto.example.org/brescia/")
    store = DataStore(data_copy, tmp_path / "copia")
    testo = TestClient(Starlette(routes=rotte(lambda: store))).get("/quartieri/17029010").text
    assert 'href="https://cruscotto.example.org/brescia/segnala?quartiere=17029010"' in testo
    assert 'href="https://cruscotto.example.org/brescia/?quartiere=lamarmora"' in testo
    assert 'href="https://cruscotto.example.org/brescia/dati/orari.ics?quartiere=17029010"' in testo
