"""The two login routes (web.sessione) on an SQLite database: a ticket becomes an HttpOnly cookie
once (Secure over HTTPS, also behind a proxy), «Esci» revokes the session and clears the cookie."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from cittadelnoi.auth import sessioni
from cittadelnoi.stores.accessi import RegistroAccessi
from cittadelnoi.stores.engine import aggiorna_schema, crea_engine
from cittadelnoi.web.sessione import rotte


@pytest.fixture
def registro(tmp_path: Path) -> RegistroAccessi:
    engine = crea_engine(f"sqlite:///{tmp_path / 'r.sqlite'}")
    aggiorna_schema(engine)
    return RegistroAccessi(engine)


def _biglietto(registro: RegistroAccessi) -> str:
    biglietto = sessioni.nuovo_segreto()
    adesso = dt.datetime.now(dt.UTC)
    registro.apri(
        sessioni.nuovo_id(),
        "mrossi",
        "Mario",
        sessioni.impronta(biglietto),
        adesso,
        sessioni.DURATA,
        sessioni.BIGLIETTO,
    )
    return biglietto


@pytest.mark.parametrize(
    "base, inoltro, secure",
    [("http://testserver", None, False), ("https://testserver", None, True), ("http://testserver", "https", True)],
)
def test_route_turns_a_ticket_into_an_httponly_cookie_once(registro, base, inoltro, secure):
    client = TestClient(Starlette(routes=rotte(lambda: registro)), base_url=base)
    biglietto = _biglietto(registro)
    headers = {"X-Forwarded-Proto": inoltro} if inoltro else {}
    r = client.post(sessioni.ROTTA_SESSIONE, content=biglietto, headers=headers)
    assert r.status_code == 204
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{sessioni.COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert ("Secure" in cookie) is secure
    token = cookie.split(";")[0].split("=", 1)[1]
    assert registro.da_token(sessioni.impronta(token), dt.datetime.now(dt.UTC)).utente == "mrossi"
    # The ticket works once; a made-up one never.
    assert client.post(sessioni.ROTTA_SESSIONE, content=biglietto).status_code == 403
    assert client.post(sessioni.ROTTA_SESSIONE, content=sessioni.nuovo_segreto()).status_code == 403


def test_logout_route_revokes_the_session_and_clears_the_cookie(registro):
    client = TestClient(Starlette(routes=rotte(lambda: registro)))
    r = client.post(sessioni.ROTTA_SESSIONE, content=_biglietto(registro))
    token = r.cookies[sessioni.COOKIE]
    client.cookies.set(sessioni.COOKIE, token)
    r = client.post(sessioni.ROTTA_ESCI)
    assert r.status_code == 204 and "Max-Age=0" in r.headers["set-cookie"]
    assert registro.da_token(sessioni.impronta(token), dt.datetime.now(dt.UTC)) is None


def test_routes_refuse_everything_without_a_database():
    client = TestClient(Starlette(routes=rotte(lambda: None)))
    assert client.post(sessioni.ROTTA_SESSIONE, content="x").status_code == 403
    assert client.get(sessioni.ROTTA_SESSIONE).status_code == 405
