"""The queue of citizens' reports (stores.segnalazioni) on SQLite and PostgreSQL: stored, listed
newest first, closed once with who and when and without the e-mail (the database refuses a closed
report that keeps one), and the rate limit counted in the database: two replicas (two engines on
one database) together let at most 5 reports a minute from one address through, also at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from cittadelnoi.core.ruoli import Autore, NonAutorizzato, Ruolo
from cittadelnoi.core.segnalazioni import (
    ACCOLTA,
    CONSERVAZIONE_CHIUSE,
    FINESTRA,
    LIMITE_AL_MINUTO,
    NUOVA,
    RESPINTA,
    Oggetto,
    Segnalazione,
    TroppeSegnalazioni,
)
from cittadelnoi.stores.engine import aggiorna_schema, crea_engine
from cittadelnoi.stores.schema import segnalazioni
from cittadelnoi.stores.segnalazioni import RegistroSegnalazioni

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
PUNTO = Oggetto("punto", "lamarmora", "Punto Lamarmora")
MROSSI = Autore("mrossi", "Mario Rossi", Ruolo.AMMINISTRATORE)
BVERDI = Autore("bverdi", "Bruna Verdi", Ruolo.AMMINISTRATORE)


def _segnalazione(testo: str = "chiuso da mesi", email: str | None = "a@b.it") -> Segnalazione:
    return Segnalazione(PUNTO, "orari", testo, email)


@pytest.fixture
def registri(engine, db_url: str):
    """Two replicas: two engines (two connection pools) on one database."""
    aggiorna_schema(engine)
    altro = crea_engine(db_url)
    yield RegistroSegnalazioni(engine), RegistroSegnalazioni(altro)
    altro.dispose()


def test_reports_are_queued_newest_first_and_closed_once_without_their_email(registri):
    uno, due = registri
    primo = uno.invia(_segnalazione("primo"), "m1", T0)
    secondo = due.invia(_segnalazione("secondo", None), "m2", T0 + dt.timedelta(seconds=5))
    coda = uno.coda(adesso=T0)
    assert list(coda["id"]) == [secondo, primo] and list(coda["stato"]) == [NUOVA, NUOVA]
    assert coda.iloc[1]["email"] == "a@b.it" and coda.iloc[1]["ricevuta_il"] == T0
    assert uno.conta_nuove() == 2

    chiusa = T0 + dt.timedelta(hours=2)
    assert due.chiudi(primo, ACCOLTA, MROSSI, chiusa)
    assert not uno.chiudi(primo, RESPINTA, BVERDI, chiusa), "already closed by another official"
    riga = uno.coda(ACCOLTA, adesso=T0).iloc[0]
    assert (riga["id"], riga["stato"], riga["gestita_da"], riga["gestita_il"]) == (primo, ACCOLTA, "mrossi", chiusa)
    assert riga["email"] is None and riga["testo"] == "primo"
    assert list(uno.coda(NUOVA, adesso=T0)["id"]) == [secondo] and uno.conta_nuove() == 1
    assert due.chiudi(secondo, RESPINTA, BVERDI, chiusa)
    assert uno.conta_nuove() == 0 and uno.coda(NUOVA, adesso=T0).empty
    with pytest.raises(ValueError):
        uno.chiudi(secondo, NUOVA, MROSSI, chiusa)


def test_only_an_amministratore_closes_a_report(registri):
    uno, _ = registri
    id_ = uno.invia(_segnalazione(), "m1", T0)
    referente = Autore("referente", "Rita", Ruolo.REFERENTE, frozenset({"lamarmora"}))
    with pytest.raises(NonAutorizzato):
        uno.chiudi(id_, ACCOLTA, referente, T0)
    riga = uno.coda(adesso=T0).iloc[0]
    assert (riga["stato"], riga["email"]) == (NUOVA, "a@b.it")


def test_the_database_refuses_a_closed_report_that_keeps_its_email(registri):
    uno, _ = registri
    id_ = uno.invia(_segnalazione(), "m1", T0)
    with pytest.raises(IntegrityError), uno.engine.begin() as conn:
        conn.execute(sa.update(segnalazioni).where(segnalazioni.c.id == id_).values(stato=ACCOLTA))
    assert uno.coda(adesso=T0).iloc[0]["email"] == "a@b.it"


def test_five_a_minute_per_address_across_replicas(registri):
    uno, due = registri
    for i in range(LIMITE_AL_MINUTO):
        (uno if i % 2 else due).invia(_segnalazione(), "stesso", T0 + dt.timedelta(seconds=i))
    with pytest.raises(TroppeSegnalazioni):
        uno.invia(_segnalazione("la sesta"), "stesso", T0 + dt.timedelta(seconds=30))
    with pytest.raises(TroppeSegnalazioni):
        due.invia(_segnalazione("la sesta"), "stesso", T0 + dt.timedelta(seconds=59))
    assert len(uno.coda(adesso=T0)) == LIMITE_AL_MINUTO, "a refused report is not stored"
    due.invia(_segnalazione(), "altro", T0 + dt.timedelta(seconds=30))  # another address is not held back
    # A minute after the first report, one more fits.
    uno.invia(_segnalazione(), "stesso", T0 + FINESTRA + dt.timedelta(seconds=1))


def test_concurrent_reports_from_two_replicas_never_pass_the_limit(registri):
    uno, due = registri
    esiti: list[str] = []
    via = threading.Barrier(12)

    def manda(registro: RegistroSegnalazioni, n: int) -> None:
        via.wait()
        try:
            registro.invia(_segnalazione(f"n{n}"), "insieme", T0 + dt.timedelta(milliseconds=n))
            esiti.append("ok")
        except TroppeSegnalazioni:
            esiti.append("rifiutata")

    fili = [threading.Thread(target=manda, args=(uno if n % 2 else due, n)) for n in range(12)]
    for f in fili:
        f.start()
    for f in fili:
        f.join(timeout=60)
    assert sorted(esiti) == ["ok"] * LIMITE_AL_MINUTO + ["rifiutata"] * (12 - LIMITE_AL_MINUTO)
    assert len(uno.coda(adesso=T0)) == LIMITE_AL_MINUTO


def test_fingerprints_are_forgotten_after_a_minute(registri):
    uno, due = registri
    uno.invia(_segnalazione(), "m1", T0)
    uno.invia(_segnalazione(), "m2", T0 + dt.timedelta(seconds=40))
    assert due.mittenti_ricordati() == 2
    due.coda(adesso=T0 + FINESTRA + dt.timedelta(seconds=1))  # reading the queue forgets the old ones
    assert uno.mittenti_ricordati() == 1
    uno.invia(_segnalazione(), "m3", T0 + dt.timedelta(minutes=5))  # so does every report stored
    assert due.mittenti_ricordati() == 1
    # The reports themselves never held the address or its fingerprint.
    assert "mittente" not in due.coda(adesso=T0).columns


def test_closed_reports_are_deleted_a_year_after_closing_and_open_ones_never(registri):
    """README «Privacy»: a closed report is kept CONSERVAZIONE_CHIUSE after its closing, an open
    one until it is closed."""
    uno, _ = registri
    chiusa = uno.invia(_segnalazione("chiusa"), "m1", T0)
    aperta = uno.invia(_segnalazione("aperta"), "m2", T0)
    assert uno.chiudi(chiusa, ACCOLTA, MROSSI, T0)
    quasi = T0 + CONSERVAZIONE_CHIUSE - dt.timedelta(minutes=1)
    uno.dimentica_mittenti(quasi)
    assert set(uno.coda(adesso=quasi)["id"]) == {chiusa, aperta}
    dopo = T0 + CONSERVAZIONE_CHIUSE + dt.timedelta(minutes=1)
    uno.dimentica_mittenti(dopo)
    assert list(uno.coda(adesso=dopo)["id"]) == [aperta]
