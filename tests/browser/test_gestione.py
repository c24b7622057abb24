"""Live data in real Chromium: an official logs in on Gestione and changes a status; a viewer who
has the overview open in another browser session sees the map and the figures change within
seconds, without reloading. An import with errors is refused with every problem listed.

Run on one app process with its SQLite database, and on two app processes (replicas) sharing a
PostgreSQL database: the official on one, the viewer on the other. The apps get a secrets file
with a test account (bcrypt hash), so the test does not depend on .streamlit/secrets.toml.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.common import contesto
from cittadelnoi.auth import accesso
from tests.postgres import nuovo_database, postgres_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

FOLIUM_IFRAME = "iframe[title='streamlit_folium.st_folium']"
UTENTE, PASSWORD = "verifica", "una password per il test"


def _secrets(cartella: Path) -> Path:
    secrets = cartella / "secrets.toml"
    secrets.write_text(
        "[gestione]\n"
        f'cookie_key = "{"c" * 40}"\n'
        f"[gestione.credentials.usernames.{UTENTE}]\n"
        'name = "Funzionaria di prova"\n'
        f'password = "{accesso.hash_password(PASSWORD, costo=4)}"\n',
        encoding="utf-8",
    )
    return secrets


@pytest.fixture(scope="module")
def app_gestione(start_app, tmp_path_factory) -> str:
    cartella = tmp_path_factory.mktemp("gestione")
    return start_app(
        env={
            "CITTADELNOI_DB_URL": f"sqlite:///{cartella / 'registro.sqlite'}",
            "STREAMLIT_SECRETS_FILES": str(_secrets(cartella)),
        }
    )


@pytest.fixture(params=["sqlite-un-processo", pytest.param("postgresql-due-repliche", marks=pytest.mark.postgres)])
def due_indirizzi(request, start_app, tmp_path_factory) -> tuple[str, str]:
    """(URL for the official, URL for the viewer): the same app process on a new SQLite database,
    or two app processes (replicas) sharing one PostgreSQL database."""
    cartella = tmp_path_factory.mktemp("live")
    secrets = _secrets(cartella)
    if request.param.startswith("sqlite"):
        url = start_app(
            env={
                "CITTADELNOI_DB_URL": f"sqlite:///{cartella / 'registro.sqlite'}",
                "STREAMLIT_SECRETS_FILES": str(secrets),
            }
        )
        return url, url
    db_url = nuovo_database(request.getfixturevalue("postgres_server"))
    env = {"CITTADELNOI_DB_URL": db_url, "STREAMLIT_SECRETS_FILES": str(secrets)}
    return start_app(env=env), start_app(env=env)


def _metrica(page, etichetta: str) -> str:
    return (
        page.locator("[data-testid='stMetric']", has_text=etichetta)
        .locator("[data-testid='stMetricValue']")
        .inner_text()
        .strip()
    )


def _scegli(page, etichetta: str, opzione: str, wait_for_app_run, corsa: bool = True) -> None:
    """Pick `opzione` in the select box `etichetta`; `corsa=False` for a box inside a form, whose
    pick runs nothing until the form is sent."""
    box = page.get_by_role("combobox", name=etichetta)
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("listbox").wait_for(timeout=10_000)
    page.get_by_role("option", name=opzione, exact=True).click()
    if corsa:
        wait_for_app_run(page)
    page.wait_for_function(
        "([e, o]) => [...document.querySelectorAll('input[role=combobox]')]"
        ".some(el => el.getAttribute('aria-label') === e && el.value === o)",
        arg=[etichetta, opzione],
        timeout=30_000,
    )


def _entra(page, base: str, open_app, wait_for_app_run) -> None:
    open_app(page, f"{base}/gestione")
    page.get_by_role("textbox", name="Utente").fill(UTENTE)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Entra").click()
    wait_for_app_run(page)
    page.get_by_text("Accesso come").first.wait_for(timeout=30_000)
    # The login's own rerun (st.rerun) ends in the run just waited for: the form is there. (A second
    # wait here was met by the periodic data-version run, which no longer exists.)
    page.wait_for_function(
        "() => document.querySelectorAll(\"input[aria-label='Punto da modificare']\").length === 1", timeout=30_000
    )


def _marcatori(page, classe: str) -> int:
    frame = page.frame_locator(FOLIUM_IFRAME)
    frame.locator(".cdn-marker").first.wait_for(timeout=30_000)
    return frame.locator(f".cdn-marker.{classe}").count()


def test_status_changed_by_an_official_reaches_another_viewer_without_reload(
    due_indirizzi, page, browser, open_app, wait_for_app_run, screenshot, request
):
    ufficio, pubblico_url = due_indirizzi
    nome = request.node.callspec.id
    # The viewer: the overview open in a separate browser context (another person, no shared cookies).
    esterni_pubblico: list[str] = []
    ctx_pubblico = contesto(browser, esterni_pubblico)
    pubblico = ctx_pubblico.new_page()
    try:
        open_app(pubblico, pubblico_url)
        assert _marcatori(pubblico, "cdn-in_apertura") == 1
        assert _metrica(pubblico, "Punti attivi") == "20"
        screenshot(pubblico, f"live-{nome}-pubblico-prima")

        # The official: login is required before any editing widget appears.
        open_app(page, f"{ufficio}/gestione")
        assert page.get_by_role("combobox", name="Punto da modificare").count() == 0
        _entra(page, ufficio, open_app, wait_for_app_run)
        _scegli(
            page,
            "Punto da modificare",
            "Punto Bussola (esempio) (demo-chiesanuova)",
            wait_for_app_run,
        )
        _scegli(page, "Stato", "attivo", wait_for_app_run, corsa=False)
        page.get_by_role("button", name="Salva le modifiche").click()
        wait_for_app_run(page)
        page.get_by_text("Salvato. demo-chiesanuova: stato: in_apertura → attivo").wait_for(timeout=30_000)
        screenshot(page, f"live-{nome}-gestione-salvato")
        salvato = time.monotonic()

        # The viewer's page reruns by itself (data-version poll) and redraws map and figures.
        pubblico.wait_for_function(
            """() => [...document.querySelectorAll("[data-testid='stMetric']")]
                     .some(m => m.innerText.includes('Punti attivi') && m.innerText.includes('21'))""",
            timeout=20_000,
        )
        ritardo = time.monotonic() - salvato
        wait_for_app_run(pubblico)
        assert _metrica(pubblico, "Punti in apertura") == "0"
        # The map redraws after the figures: wait for its markers to change.
        _marcatori(pubblico, "cdn-attivo")
        expect(pubblico.frame_locator(FOLIUM_IFRAME).locator(".cdn-marker.cdn-in_apertura")).to_have_count(
            0, timeout=20_000
        )
        assert _marcatori(pubblico, "cdn-attivo") == 21
        screenshot(pubblico, f"live-{nome}-pubblico-dopo")
        print(f"\n[{nome}] viewer saw the change {ritardo:.1f} s after the save")
        assert ritardo < 15
    finally:
        ctx_pubblico.close()
    assert not esterni_pubblico, f"the viewer's page tried to reach other hosts: {esterni_pubblico}"


def test_import_with_errors_lists_them_and_writes_nothing(
    app_gestione, page, open_app, wait_for_app_run, screenshot, tmp_path: Path
):
    _entra(page, app_gestione, open_app, wait_for_app_run)
    page.get_by_role("tab", name="Importa il registro").click()
    # Two faults in the sample register: a status that does not exist, a point far outside Brescia.
    with (Path(__file__).resolve().parents[2] / "esempio" / "punti.csv").open(encoding="utf-8", newline="") as f:
        righe = list(csv.DictReader(f))
    assert righe[3]["stato"] == "attivo" and righe[1]["lat"]
    righe[3]["stato"] = "aperto"
    righe[1]["lat"] = "45.9"
    testo = io.StringIO()
    scrittore = csv.DictWriter(testo, fieldnames=list(righe[0]), lineterminator="\n")
    scrittore.writeheader()
    scrittore.writerows(righe)
    file = tmp_path / "registro-con-errori.csv"
    file.write_text(testo.getvalue(), encoding="utf-8")
    page.locator("[data-testid='stFileUploader']").first.locator("input[type='file']").set_input_files(str(file))
    wait_for_app_run(page)
    page.get_by_text("Il file contiene 2 problemi: nulla è stato importato").wait_for(timeout=30_000)
    assert page.locator("[data-testid='stDataFrame']").count() >= 1
    assert page.get_by_role("button", name="Conferma l'importazione").count() == 0
    screenshot(page, "live-import-errori")


def test_a_page_at_rest_runs_nothing_on_the_server(app_server, page, open_app):
    """Issue 21, point 1: the data-version check is the browser asking /versione every 3 s; the page
    reruns only when the data change. The old check ran a fragment of the page on the server every
    3 s in every open tab, and the browser tests retried their clicks around those runs."""
    richieste: list[str] = []
    page.on("request", lambda r: richieste.append(r.url) if r.url.endswith("/versione") else None)
    open_app(page, app_server)
    corse = page.evaluate("() => window.__corse.finite")
    page.wait_for_timeout(7_000)  # two rounds of the check, and of the old fragment's timer
    assert page.evaluate("() => window.__corse.finite") == corse, "a script run started by itself"
    assert len(richieste) >= 2, "the page does not check the data version"
