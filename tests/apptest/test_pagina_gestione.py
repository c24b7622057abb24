"""The admin page in AppTest: login required, edit of a status seen by the overview, problems
shown before anything is written, a conflict between two officials, the history, accounts from
the secrets (bcrypt hashes only)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cittadelnoi.auth import accesso
from tests.apptest.app import ROOT, apri, metriche

PAGINA = "pages/gestione.py"


def _entra(at: AppTest, utente: str = accesso.UTENTE_DEMO, password: str = accesso.PASSWORD_DEMO) -> AppTest:
    campi = {t.label: t for t in at.text_input}
    campi["Utente"].input(utente)
    campi["Password"].input(password)
    next(b for b in at.button if b.label == "Entra").click()
    at.run()
    assert not at.exception, at.exception
    return at


def _testo(markdown: str) -> str:
    """A message as shown: without the escapes that keep register text from becoming markdown."""
    return markdown.replace("\\", "")


def _widget(at: AppTest, tipo: str, etichetta: str):
    return next(w for w in getattr(at, tipo) if w.label == etichetta)


def _scegli_punto(at: AppTest, id_punto: str) -> None:
    _widget(at, "selectbox", "Punto da modificare").set_value(id_punto)
    at.run()
    assert not at.exception, at.exception


def _salva(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Salva le modifiche").click()
    at.run()
    assert not at.exception, at.exception


def test_login_is_required_and_a_wrong_password_is_refused():
    at = apri(PAGINA)
    assert [t.label for t in at.text_input] == ["Utente", "Password"]
    assert not [s for s in at.selectbox if s.label == "Punto da modificare"]
    assert any("utente «demo», password «cittadelnoi-demo»" in i.value for i in at.info)
    _entra(at, password="sbagliata")
    assert any("Utente o password non corretti" in e.value for e in at.error)
    assert not [s for s in at.selectbox if s.label == "Punto da modificare"]
    assert not at.tabs


def test_official_changes_a_status_and_the_overview_shows_it():
    at = _entra(apri(PAGINA))
    assert [t.label for t in at.tabs] == [
        "Modifica un punto",
        "Importa il registro",
        "Rendiconti mensili",
        "Storico delle modifiche",
        "Posizione e conferme",
        "Completezza e residenti",
        "Segnalazioni",
        "Account",
    ]
    _scegli_punto(at, "demo-chiesanuova")
    _widget(at, "selectbox", "Stato").set_value("attivo")
    _salva(at)
    assert any(
        _testo(s.value).startswith("Salvato. demo-chiesanuova: stato: in_apertura → attivo") for s in at.success
    ), [s.value for s in at.success]

    storico = next(d for d in at.dataframe if "Modifiche (prima → dopo)" in d.value.columns).value
    riga = storico.iloc[0]
    assert (riga["Chi"], riga["Punto"], riga["Modifiche (prima → dopo)"]) == (
        "demo",
        "demo-chiesanuova",
        "stato: in_apertura → attivo",
    )

    at.switch_page("pages/panoramica.py")
    at.run()
    assert metriche(at)["Punti attivi"] == "21"
    assert metriche(at)["Punti in apertura"] == "0"


def test_official_adds_a_point_with_its_schedule():
    at = _entra(apri(PAGINA))
    _scegli_punto(at, "__nuovo__")
    _widget(at, "text_input", "Identificativo (minuscole, cifre e trattini)").input("sanpolino")
    _widget(at, "text_input", "Nome").input("Punto di comunità Sanpolino <b>nuovo</b>")
    _widget(at, "selectbox", "Quartiere").set_value("17029021")
    _widget(at, "text_input", "Latitudine").input("45,5243")  # decimal comma, as in Excel
    _widget(at, "text_input", "Longitudine").input("10.2621")
    _widget(at, "text_area", "Fonte (obbligatoria)").input("Comune di Brescia, comunicazione del 25/11/2026")
    _salva(at)
    assert not at.error, [e.value for e in at.error]
    assert any(
        "nuovo punto «Punto di comunità Sanpolino <b>nuovo</b>» (in_apertura)" in _testo(s.value).replace("&lt;", "<")
        for s in at.success
    ), [s.value for s in at.success]
    assert _widget(at, "selectbox", "Punto da modificare").value == "sanpolino"
    at.switch_page("pages/panoramica.py")
    at.run()
    assert metriche(at)["Punti in apertura"] == "2"


def test_invalid_values_are_listed_and_nothing_is_saved():
    at = _entra(apri(PAGINA))
    _scegli_punto(at, "lamarmora")
    _widget(at, "text_input", "Latitudine").input("45,5x")
    _widget(at, "text_area", "Fonte (obbligatoria)").input("")
    _widget(at, "text_input", "Data di apertura (AAAA-MM-GG o AAAA-MM)").input("10/12/2025")
    _salva(at)
    assert any(e.value.startswith("Non salvato: 3 problemi") for e in at.error), [e.value for e in at.error]
    problemi = next(d for d in at.dataframe if "Problema" in d.value.columns).value
    assert set(problemi["Colonna"]) == {"lat", "fonte", "apertura"}
    assert set(problemi["File"]) == {"punto «lamarmora»"}
    at.switch_page("pages/panoramica.py")
    at.run()
    assert metriche(at)["Punti attivi"] == "20"


def test_second_official_saving_an_old_version_gets_a_conflict():
    anna = _entra(apri(PAGINA))
    bruno = _entra(apri(PAGINA))
    for at in (anna, bruno):
        _scegli_punto(at, "demo-chiesanuova")
    _widget(anna, "selectbox", "Stato").set_value("attivo")
    _salva(anna)
    assert anna.success

    _widget(bruno, "text_input", "Indirizzo").input("Via Villa Glori 13")
    _salva(bruno)
    assert any("modificato da un'altra persona" in e.value for e in bruno.error), [e.value for e in bruno.error]
    confronto = next(d for d in bruno.dataframe if "Tua versione" in d.value.columns).value
    confronto = confronto.set_index("Campo")
    assert confronto.loc["stato"].tolist() == ["in_apertura", "attivo", "in_apertura"]  # Anna's change, not Bruno's
    esempio = "Via dell'Esempio 61 (indirizzo fittizio)"
    assert confronto.loc["indirizzo"].fillna("").tolist() == [esempio, esempio, "Via Villa Glori 13"]

    # Bruno reloads the point and saves again: now it works, and Anna's change is kept.
    next(b for b in bruno.button if b.label == "Ricarica il punto con i dati attuali").click()
    bruno.run()
    assert _widget(bruno, "selectbox", "Stato").value == "attivo"
    _widget(bruno, "text_input", "Indirizzo").input("Via Villa Glori 13")
    _salva(bruno)
    assert any(f"indirizzo: {esempio} → Via Villa Glori 13" in _testo(s.value) for s in bruno.success), [
        s.value for s in bruno.success
    ]


def test_accounts_come_from_the_secrets_as_bcrypt_hashes(secrets):
    hash_ = accesso.hash_password("una password lunga", costo=4)
    secrets(
        f'''[gestione]
cookie_key = "{"k" * 40}"
[gestione.credentials.usernames.mrossi]
name = "Mario Rossi"
password = "{hash_}"
[gestione.credentials.usernames.chiaro]
name = "In chiaro"
password = "password-in-chiaro"
'''
    )
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page(PAGINA)
    at.run()
    # Before a login the page says there is a problem without naming the account (the server's log
    # names it); an official who logs in sees the details.
    assert any("Configurazione degli account: 1 problema" in w.value for w in at.warning)
    assert not any("«chiaro»" in w.value for w in at.warning), [w.value for w in at.warning]
    assert not at.info, "no demo account once real accounts are configured"
    _entra(at)  # demo / cittadelnoi-demo
    assert any("Utente o password non corretti" in e.value for e in at.error)
    _entra(at, "chiaro", "password-in-chiaro")
    assert any("Utente o password non corretti" in e.value for e in at.error)
    _entra(at, "mrossi", "una password lunga")
    assert any("Accesso come **Mario Rossi** (mrossi)" in c.value for c in at.caption)
    assert any("account «chiaro» ignorato" in w.value for w in at.warning), [w.value for w in at.warning]


def test_repeated_wrong_passwords_suspend_the_account_for_a_while(monkeypatch: pytest.MonkeyPatch):
    import datetime as dt

    from cittadelnoi.ui import gestione_accesso

    at = apri(PAGINA)
    for _ in range(accesso.MAX_TENTATIVI):
        _entra(at, password="sbagliata")
    assert any("Utente o password non corretti" in e.value for e in at.error)
    _entra(at)  # the right password, refused while suspended
    assert any(
        "Troppi tentativi di accesso non riusciti" in e.value and "riprovare tra 15" in e.value for e in at.error
    )
    assert not any("Utente o password non corretti" in e.value for e in at.error)
    assert not at.tabs
    # Fifteen minutes later the same password opens the page, and the count starts again.
    dopo = dt.datetime.now(dt.UTC) + accesso.FINESTRA + dt.timedelta(seconds=1)
    monkeypatch.setattr(gestione_accesso, "_adesso", lambda: dopo)
    _entra(at)
    assert [t.label for t in at.tabs][:1] == ["Modifica un punto"]


def test_an_amministratore_can_download_everything():
    """Issue 26, point 5: «Scarica tutto» on the page (the store refuses a referente whatever the
    page shows: tests/db/test_esportazione.py)."""
    at = _entra(apri(PAGINA))
    assert "Scarica tutto (ZIP)" in [b.proto.label for b in at.get("download_button")]
