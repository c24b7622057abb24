"""Sessions and access log of the Gestione page (stores.accessi) on SQLite and PostgreSQL: a
ticket turns into a token once, a revoked or expired session opens nothing, every replica (another
engine on the same database) sees the revocation and the failed logins that lock a name."""

from __future__ import annotations

import datetime as dt

import pytest

from cittadelnoi.auth import accesso, sessioni
from cittadelnoi.stores.accessi import RegistroAccessi
from cittadelnoi.stores.engine import aggiorna_schema, crea_engine

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def registri(engine, db_url: str):
    """Two replicas: two engines (two connection pools) on one database."""
    aggiorna_schema(engine)
    altro = crea_engine(db_url)
    yield RegistroAccessi(engine), RegistroAccessi(altro)
    altro.dispose()


def _apri(registro: RegistroAccessi, utente: str = "mrossi", adesso: dt.datetime = T0) -> tuple[str, str]:
    """(session id, cookie token) of a new session whose ticket was exchanged."""
    biglietto, token = sessioni.nuovo_segreto(), sessioni.nuovo_segreto()
    s = registro.apri(
        sessioni.nuovo_id(), utente, "Mario", sessioni.impronta(biglietto), adesso, sessioni.DURATA, sessioni.BIGLIETTO
    )
    assert registro.scambia(sessioni.impronta(biglietto), sessioni.impronta(token), adesso)
    return s.id, token


def test_a_ticket_turns_into_a_token_once_and_only_before_it_expires(registri):
    uno, due = registri
    biglietto = sessioni.nuovo_segreto()
    id_ = uno.apri(
        sessioni.nuovo_id(), "mrossi", "Mario", sessioni.impronta(biglietto), T0, sessioni.DURATA, sessioni.BIGLIETTO
    ).id
    tardi = T0 + sessioni.BIGLIETTO + dt.timedelta(seconds=1)
    assert uno.biglietto_in_attesa(id_, T0)  # the page keeps sending it until it is exchanged
    assert not due.biglietto_in_attesa(id_, tardi)  # expired: the page stops sending it
    assert not due.scambia(sessioni.impronta(biglietto), sessioni.impronta("t1"), tardi)
    assert due.scambia(sessioni.impronta(biglietto), sessioni.impronta("t1"), T0)
    assert not uno.scambia(sessioni.impronta(biglietto), sessioni.impronta("t2"), T0)
    assert not uno.biglietto_in_attesa(id_, T0)  # exchanged: the page stops sending it
    assert uno.da_token(sessioni.impronta("t1"), T0).utente == "mrossi"
    assert uno.da_token(sessioni.impronta("t2"), T0) is None


def test_logout_on_one_replica_ends_the_session_on_every_replica(registri):
    uno, due = registri
    id_, token = _apri(uno)
    assert due.da_token(sessioni.impronta(token), T0).id == id_
    assert due.viva(id_, T0) is not None
    assert uno.revoca(id_, T0 + dt.timedelta(minutes=5))
    assert due.da_token(sessioni.impronta(token), T0 + dt.timedelta(minutes=6)) is None
    assert due.viva(id_, T0 + dt.timedelta(minutes=6)) is None
    assert not due.revoca(id_, T0), "already revoked"


def test_sessions_end_by_themselves(registri):
    uno, _ = registri
    id_, token = _apri(uno)
    fine = T0 + sessioni.DURATA
    assert uno.viva(id_, fine - dt.timedelta(seconds=1)) is not None
    assert uno.viva(id_, fine) is None and uno.da_token(sessioni.impronta(token), fine) is None


def test_revoking_by_token_leaves_other_sessions_alone(registri):
    uno, due = registri
    id_a, token_a = _apri(uno)
    id_b, _ = _apri(uno, "bverdi")
    assert due.revoca_token(sessioni.impronta(token_a), T0)
    assert uno.viva(id_a, T0) is None and uno.viva(id_b, T0) is not None


def test_failed_logins_count_in_every_replica_since_the_last_success(registri):
    uno, due = registri
    for i in range(3):
        uno.registra("mrossi", accesso.Esito.RIFIUTATO, T0 + dt.timedelta(minutes=i))
    uno.registra("mrossi", accesso.Esito.ENTRATO, T0 + dt.timedelta(minutes=3))
    for i in range(5):
        due.registra("mrossi", accesso.Esito.RIFIUTATO, T0 + dt.timedelta(minutes=4, seconds=i))
    due.registra("mrossi", accesso.Esito.SOSPESO, T0 + dt.timedelta(minutes=5))
    due.registra("bverdi", accesso.Esito.RIFIUTATO, T0 + dt.timedelta(minutes=5))
    adesso = T0 + dt.timedelta(minutes=6)
    falliti = uno.falliti("mrossi", adesso - accesso.FINESTRA)
    assert len(falliti) == 5 and all(q.tzinfo is not None for q in falliti)
    assert accesso.attesa(falliti, adesso) > dt.timedelta(0)
    assert uno.falliti("mrossi", T0 + dt.timedelta(minutes=4, seconds=2)) == falliti[3:]  # strictly after

    elenco = due.elenco()
    assert list(elenco.columns) == ["quando", "utente", "esito"]
    assert elenco.iloc[0]["esito"] in {"sospeso", "rifiutato"} and len(elenco) == 11
    assert set(elenco["esito"]) == {"rifiutato", "entrato", "sospeso"}
