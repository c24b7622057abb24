"""Issue 22, point 2, on SQLite and PostgreSQL: roles stored in the database, a referente's write
to a point that is not its own refused by the store itself, every change recorded with account
and role, an amministratore's undo in one step (itself a recorded change)."""

from __future__ import annotations

import pytest

from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core.ruoli import SISTEMA, Autore, NonAutorizzato, Ruolo
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.scrittura import Conflitto
from tests.conftest import amministratore

HASH = hash_password("una password lunga", costo=4)


@pytest.fixture
def referente(store: DbStore) -> Autore:
    account = store.registro_account().crea(
        "rbianchi", "Rita Bianchi", Ruolo.REFERENTE, HASH, SISTEMA, punti=["demo-fornaci"]
    )
    return account.autore()


def _registro(store: DbStore) -> tuple:
    punti_rec, fasce_rec, info = store.registro_attuale()
    return punti_rec, fasce_rec, {i: v["versione"] for i, v in info.items()}, store.versione_dati()


def test_accounts_and_roles_live_in_the_database(store: DbStore, referente: Autore):
    registro = store.registro_account()
    (a,) = registro.elenco()
    assert (a.utente, a.ruolo, a.punti, a.attivo) == ("rbianchi", Ruolo.REFERENTE, frozenset({"demo-fornaci"}), True)
    assert a.hash_password == HASH and "una password" not in repr(a)
    with pytest.raises(NonAutorizzato):
        registro.crea("intruso", "Intruso", Ruolo.AMMINISTRATORE, HASH, referente)
    with pytest.raises(NonAutorizzato):
        registro.imposta_attivo("rbianchi", False, referente)
    assert registro.imposta_attivo("rbianchi", False, amministratore())
    assert not registro.cerca("rbianchi").attivo
    with pytest.raises(ValueError, match="almeno un punto"):
        registro.crea("vuoto", "Vuoto", Ruolo.REFERENTE, HASH, amministratore())


def test_a_referente_changes_its_point_and_nothing_else(store: DbStore, referente: Autore):
    rec, orario, v = store.punto("demo-fornaci")
    esito = store.salva_punto(
        "demo-fornaci", {**rec, "nota": "sportello spostato al piano terra"}, orario, v, referente
    )
    assert esito.revisione is not None
    prima = _registro(store)
    altro, orario_altro, v_altro = store.punto("demo-chiesanuova")
    with pytest.raises(NonAutorizzato, match="non può modificare il punto «demo-chiesanuova»"):
        store.salva_punto("demo-chiesanuova", {**altro, "stato": "attivo"}, orario_altro, v_altro, referente)
    with pytest.raises(NonAutorizzato):
        store.salva_punto(None, {**altro, "id": "nuovo"}, [], None, referente)
    with pytest.raises(NonAutorizzato):
        store.segna_completo(True, referente)
    assert _registro(store) == prima, "the register is unchanged"


def test_every_change_records_account_role_and_time(store: DbStore, referente: Autore):
    rec, orario, v = store.punto("demo-fornaci")
    store.salva_punto("demo-fornaci", {**rec, "conferma": "2026-12-01"}, orario, v, referente)
    ultima = store.modifiche("demo-fornaci").iloc[0]
    assert (ultima["chi"], ultima["utente"], ultima["ruolo"]) == ("rbianchi", "rbianchi", "referente")
    assert ultima["registrata"] is not None and "conferma" in ultima["modifiche"]


def test_an_amministratore_undoes_a_change_in_one_step(store: DbStore, referente: Autore):
    prima = store.punto("demo-fornaci")[0]
    rec, orario, v = store.punto("demo-fornaci")
    esito = store.salva_punto(
        "demo-fornaci", {**rec, "stato": "in_apertura", "nota": "chiuso"}, orario[:1], v, referente
    )
    with pytest.raises(NonAutorizzato):
        store.annulla(esito.revisione, referente)
    annullo = store.annulla(esito.revisione, amministratore())
    dopo, orario_dopo, _ = store.punto("demo-fornaci")
    assert {k: dopo[k] for k in ("stato", "nota")} == {k: prima[k] for k in ("stato", "nota")}
    assert orario_dopo == orario
    storia = store.modifiche("demo-fornaci")
    assert storia.iloc[0]["revisione"] == annullo.revisione and storia.iloc[0]["ruolo"] == "amministratore"
    # Undoing the undo puts the referente's change back: the undo is a change like any other.
    store.annulla(annullo.revisione, amministratore())
    assert store.punto("demo-fornaci")[0]["stato"] == "in_apertura"


def test_an_undo_never_erases_a_later_change(store: DbStore, referente: Autore):
    rec, orario, v = store.punto("demo-fornaci")
    primo = store.salva_punto("demo-fornaci", {**rec, "nota": "uno"}, orario, v, referente)
    rec, orario, v = store.punto("demo-fornaci")
    store.salva_punto("demo-fornaci", {**rec, "nota": "due"}, orario, v, amministratore())
    prima = _registro(store)
    with pytest.raises(Conflitto, match="modificato dopo"):
        store.annulla(primo.revisione, amministratore())
    assert _registro(store) == prima


def test_undoing_a_new_point_removes_it_and_undoing_a_removal_brings_it_back(store: DbStore):
    rec, _, _ = store.punto("demo-fornaci")
    nuovo = store.salva_punto(None, {**rec, "id": "nuovo-punto"}, [], None, amministratore())
    assert store.punto("nuovo-punto") is not None
    tolto = store.annulla(nuovo.revisione, amministratore())
    assert store.punto("nuovo-punto") is None
    store.annulla(tolto.revisione, amministratore())
    assert store.punto("nuovo-punto") is not None
    assert "nuovo-punto" in set(store.get()[0].punti["id"])


def test_an_oidc_email_matches_one_active_account_only(store):
    """stores.account.per_email (the Comune's identity provider, ui.accesso_oidc): case and spaces
    ignored; a disabled account, an unknown e-mail or two accounts with one e-mail match nothing."""
    from cittadelnoi.auth.accesso import hash_password
    from cittadelnoi.core.ruoli import SISTEMA, Ruolo

    conti = store.registro_account()
    h = hash_password("una password lunga", costo=4)
    conti.crea("mrossi", "Mario Rossi", Ruolo.AMMINISTRATORE, h, SISTEMA, email="Mario.Rossi@Comune.test")
    conti.crea("abianchi", "Anna Bianchi", Ruolo.AMMINISTRATORE, h, SISTEMA, email="anna@comune.test")
    conti.crea("abianchi2", "Anna Bianchi bis", Ruolo.AMMINISTRATORE, h, SISTEMA, email="ANNA@comune.test")
    trovato = conti.per_email("  mario.rossi@comune.TEST ")
    assert trovato is not None and trovato.utente == "mrossi"
    assert conti.per_email("anna@comune.test") is None  # two accounts: never a guess
    assert conti.per_email("nessuno@comune.test") is None and conti.per_email("") is None
    conti.imposta_attivo("mrossi", False, SISTEMA)
    assert conti.per_email("mario.rossi@comune.test") is None


def test_only_an_amministratore_sets_the_email_an_oidc_login_matches(store):
    from cittadelnoi.auth.accesso import hash_password
    from cittadelnoi.core.ruoli import SISTEMA, Autore, NonAutorizzato, Ruolo

    conti = store.registro_account()
    conti.crea("lverdi", "Luca Verdi", Ruolo.AMMINISTRATORE, hash_password("una password lunga", costo=4), SISTEMA)
    assert conti.per_email("luca.verdi@comune.test") is None
    referente = Autore("rbianchi", "Rita Bianchi", Ruolo.REFERENTE, frozenset({"x"}))
    with pytest.raises(NonAutorizzato):
        conti.imposta_email("lverdi", "luca.verdi@comune.test", referente)
    with pytest.raises(ValueError, match="non valido"):
        conti.imposta_email("lverdi", "luca verdi", SISTEMA)
    assert conti.per_email("luca.verdi@comune.test") is None
    conti.imposta_email("lverdi", " Luca.Verdi@comune.test ", SISTEMA)
    trovato = conti.per_email("luca.verdi@comune.test")
    assert trovato is not None and trovato.utente == "lverdi"
    conti.imposta_email("lverdi", None, SISTEMA)
    assert conti.per_email("luca.verdi@comune.test") is None
