"""Accounts, demo account, locks and login decisions of the Gestione page (auth.accesso)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from cittadelnoi.auth import accesso
from cittadelnoi.auth.accesso import Esito

CASI = Path(__file__).resolve().parents[2] / "casi"  # copies of ../shared/casi/*.toml (issue 10)
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
HASH_DEMO = accesso.hash_password(accesso.PASSWORD_DEMO, costo=4)


def _caso(nome: str) -> dict:
    return tomllib.loads((CASI / nome).read_text(encoding="utf-8"))


def _cfg(sezione=None, incorporato=True, indirizzo="127.0.0.1"):
    return accesso.configurazione(sezione, incorporato=incorporato, indirizzo=indirizzo, hash_demo_=HASH_DEMO)


def _sezione(**account: str) -> dict:
    return {"credentials": {"usernames": {u: {"name": u.title(), "password": p} for u, p in account.items()}}}


@pytest.mark.parametrize("scritto", ["MRossi", "mrossi", " MROSSI ", "ＭＲｏｓｓｉ", "mRoSsI\t"])
def test_every_spelling_of_a_name_is_one_account(scritto: str):
    assert accesso.normalizza_utente(scritto) == "mrossi"


@pytest.mark.parametrize(
    "indirizzo, loopback",
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.1.1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),  # Streamlit then listens on every interface
        (None, False),
        ("192.168.1.10", False),
        ("cittadelnoi.comune.brescia.it", False),
    ],
)
def test_loopback_addresses(indirizzo, loopback: bool):
    assert accesso.solo_loopback(indirizzo) is loopback


@pytest.mark.parametrize(
    "sezione, incorporato, indirizzo, demo",
    [
        (None, True, "127.0.0.1", True),  # the only case with the published password
        (None, True, "localhost", True),
        (None, True, "0.0.0.0", False),  # on the network
        (None, True, "", False),
        (None, False, "127.0.0.1", False),  # PostgreSQL
        ({}, True, "127.0.0.1", False),  # an empty [gestione] section
        ({"cookie_key": "k" * 40}, True, "127.0.0.1", False),
        (_sezione(mrossi="in chiaro"), True, "127.0.0.1", False),
        ("(secrets.toml non leggibile)", True, "127.0.0.1", False),
    ],
)
def test_demo_account_only_on_loopback_embedded_and_without_any_section(sezione, incorporato, indirizzo, demo):
    cfg = _cfg(sezione, incorporato, indirizzo)
    assert cfg.demo is demo
    assert (accesso.UTENTE_DEMO in cfg.account) is demo
    if sezione is not None:
        assert cfg.problemi, "a section with no valid account is a problem to report"


@pytest.mark.parametrize(
    "ip_remoto, intestazioni, locale",
    [
        (None, {"host": "localhost:8501"}, True),  # Streamlit reports a loopback peer as None
        ("127.0.0.1", {}, True),
        (None, {"X-Forwarded-For": "203.0.113.7", "host": "cittadelnoi.example"}, False),  # through nginx
        (None, {"x-real-ip": "10.0.0.5"}, False),
        (None, {"Forwarded": "for=192.0.2.60;proto=https"}, False),
        (None, {"X-Forwarded-Proto": "https"}, False),
        ("192.168.1.20", {}, False),  # a phone on the meeting room's wifi
        ("::ffff:192.168.1.20", {}, False),
        (None, {"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"}, True),
        (None, {"Host": "[::1]:8501"}, True),
        (None, {"Host": "cruscotto.example.org"}, False),  # a forwarder that adds no proxy header
        (None, {"Host": "localhost:8501", "Origin": "https://cruscotto.example.org"}, False),
        (None, {"Host": "192.168.1.20:8501"}, False),
    ],
)
def test_a_request_through_a_proxy_or_from_the_network_is_not_local(ip_remoto, intestazioni, locale: bool):
    assert accesso.richiesta_locale(ip_remoto, intestazioni) is locale


def test_no_demo_for_a_request_through_the_proxy_even_on_a_loopback_replica():
    """deploy/: replicas listen on 127.0.0.1 behind nginx; the published password must not reach the network."""
    cfg = accesso.configurazione(
        None,
        incorporato=True,
        indirizzo="127.0.0.1",
        locale=accesso.richiesta_locale(None, {"X-Forwarded-For": "203.0.113.7"}),
        hash_demo_=HASH_DEMO,
    )
    assert not cfg.demo and accesso.UTENTE_DEMO not in cfg.account


def test_clear_text_password_case_never_switches_on_the_demo():
    cfg = _cfg(_caso("secrets-con-password-in-chiaro.toml")["gestione"])
    assert not cfg.demo and cfg.account == {}
    assert any("account «mrossi» ignorato" in p and "hash bcrypt" in p for p in cfg.problemi)
    avvisi = accesso.avvisi_di_avvio(cfg, incorporato=True, indirizzo="127.0.0.1")
    assert any("nessun account può accedere" in a and "nuovo_utente.py" in a for a in avvisi)


def test_capitalised_account_name_is_read_once_in_lower_case():
    cfg = _cfg(_caso("accesso-utente-maiuscole.secrets.toml")["gestione"])
    assert cfg.utenti == ["mrossi"] and not cfg.problemi and not cfg.demo
    assert accesso.decidi(cfg, accesso.normalizza_utente("MRossi"), "una password lunga", [], T0)[0] is Esito.ENTRATO


def test_two_spellings_of_one_name_are_a_problem_not_two_accounts():
    h = accesso.hash_password("x" * 12, costo=4)
    cfg = _cfg(_sezione(MRossi=h, mrossi=h, bverdi=h))
    assert cfg.utenti == ["bverdi"]
    assert any("stesso nome utente" in p for p in cfg.problemi)


def test_no_account_on_the_network_is_logged_with_how_to_create_one():
    cfg = _cfg(None, True, "0.0.0.0")
    assert cfg.account == {}
    (avviso,) = accesso.avvisi_di_avvio(cfg, incorporato=True, indirizzo="0.0.0.0")
    assert "0.0.0.0" in avviso and "nuovo_utente.py" in avviso


def test_lock_after_five_failures_within_the_window_until_the_oldest_is_old_enough():
    falliti = [T0 + dt.timedelta(seconds=10 * i) for i in range(accesso.MAX_TENTATIVI - 1)]
    assert accesso.attesa(falliti, T0 + dt.timedelta(seconds=45)) == dt.timedelta(0)
    falliti.append(T0 + dt.timedelta(seconds=40))
    adesso = T0 + dt.timedelta(seconds=45)
    assert accesso.attesa(falliti, adesso) == accesso.FINESTRA - dt.timedelta(seconds=45)
    assert accesso.attesa(falliti, T0 + accesso.FINESTRA) == dt.timedelta(0)


def test_known_and_unknown_names_get_the_same_answers():
    cfg = _cfg(_sezione(mrossi=accesso.hash_password("una password lunga", costo=4)))
    for utente in ("mrossi", "nessuno"):
        assert accesso.decidi(cfg, utente, "sbagliata", [], T0) == (Esito.RIFIUTATO, None)
        bloccato = [T0] * accesso.MAX_TENTATIVI
        assert accesso.decidi(cfg, utente, "una password lunga", bloccato, T0) == (Esito.SOSPESO, None)
    esito, account = accesso.decidi(cfg, "mrossi", "una password lunga", [], T0)
    assert esito is Esito.ENTRATO and account is not None and account.utente == "mrossi"


def test_an_unknown_name_costs_one_bcrypt_check_as_costly_as_the_accounts(monkeypatch: pytest.MonkeyPatch):
    cfg = _cfg(_sezione(mrossi=accesso.hash_password("una password lunga", costo=5)))
    controllati: list[str] = []
    vera = accesso.verifica
    monkeypatch.setattr(accesso, "verifica", lambda p, h: controllati.append(h) or vera(p, h))
    for utente in ("mrossi", "nessuno"):
        accesso.decidi(cfg, utente, "sbagliata", [], T0)
    assert [h[:7] for h in controllati] == ["$2b$05$", "$2b$05$"]
    assert controllati[0] != controllati[1]


def test_a_name_both_in_the_secrets_and_in_the_database_logs_in_as_neither():
    """Review of 07/12/2026: the role of a session must never come from a name clash."""
    from cittadelnoi.core.ruoli import Ruolo

    h = accesso.hash_password("una password lunga", costo=4)
    sezione = {"credentials": {"usernames": {"mrossi": {"name": "Mario Rossi", "password": h}}}}
    referente = accesso.Account("mrossi", "Mario Rossi", h, Ruolo.REFERENTE, frozenset({"don-bosco"}))
    cfg = accesso.configurazione(sezione, incorporato=True, indirizzo="127.0.0.1", account_db=[referente])
    assert "mrossi" not in cfg.account and not cfg.demo
    assert any("sia nei secrets sia nel database" in p for p in cfg.problemi)
