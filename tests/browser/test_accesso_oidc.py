"""Login with the Comune's identity provider (OpenID Connect, st.login) against a REAL provider:
npm's oidc-provider (tests/oidc/fornitore.mjs) on 127.0.0.1, started here, never a mock. A
known verified e-mail opens Gestione with its account's role and is recorded; an unknown one
gets «Accesso non autorizzato» and nothing else; «Esci» ends it; a token older than the setting
`oidc_ore_sessione` is logged out (the provider's clock is moved back instead of waiting)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core import tempo
from cittadelnoi.core.ruoli import SISTEMA, Ruolo
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.browser

SCRIPT = ROOT / "tests" / "oidc" / "fornitore.mjs"
EMAIL = "mario.rossi@comune.test"
ACCEDI = "Accedi con l'identità digitale del Comune"


class Fornitore:
    def __init__(self, log: Path):
        if not (ROOT / "node_modules" / "oidc-provider").exists():
            pytest.fail("oidc-provider missing from node_modules: run `bash scripts/setup.sh`")
        self.log = open(log, "w")  # noqa: SIM115 (the provider writes its warnings until it stops)
        self.proc = subprocess.Popen(
            ["node", str(SCRIPT)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True
        )
        riga = self.proc.stdout.readline() if self.proc.stdout else ""  # printed once it listens
        if not riga:
            pytest.fail(f"the OpenID provider did not start: see {log}")
        self.info = json.loads(riga)

    def comando(self, riga: str) -> None:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(riga + "\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "ok", riga

    def ferma(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def fornitore(tmp_path_factory) -> Iterator[Fornitore]:
    f = Fornitore(tmp_path_factory.mktemp("oidc") / "fornitore.log")
    yield f
    f.ferma()


@pytest.fixture(scope="module")
def registro(tmp_path_factory) -> tuple[str, Path]:
    cartella = tmp_path_factory.mktemp("oidc-registro")
    dati = cartella / "dati"
    shutil.copytree(DATA, dati)
    url = f"sqlite:///{cartella / 'registro.sqlite'}"
    engine = crea_engine(url)
    try:
        store = DbStore(engine, dati)
        assert store.get()[0] is not None
        h = hash_password("una password lunga", costo=4)
        store.registro_account().crea("mrossi", "Mario Rossi", Ruolo.AMMINISTRATORE, h, SISTEMA, email=EMAIL.upper())
    finally:
        engine.dispose()
    return url, dati


@pytest.fixture(scope="module")
def server(start_app, registro, fornitore, tmp_path_factory) -> str:
    url, dati = registro
    info = fornitore.info
    secrets = tmp_path_factory.mktemp("oidc-secrets") / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "un-segreto-per-i-cookie-dei-soli-test"\n'
        f'client_id = "{info["client_id"]}"\n'
        f'client_secret = "{info["client_secret"]}"\n'
        f'server_metadata_url = "{info["issuer"]}/.well-known/openid-configuration"\n'
        'client_kwargs = { prompt = "login" }\n',
        encoding="utf-8",
    )
    base = start_app(
        data_dir=dati,
        env={"CITTADELNOI_DB_URL": url, "STREAMLIT_SECRETS_FILES": str(secrets), "CITTADELNOI_OIDC_ORE_SESSIONE": "1"},
    )
    fornitore.comando(f"client {base}/oauth2callback")
    return base


def _accessi(registro) -> list[tuple[str, str, object]]:
    url, dati = registro
    engine = crea_engine(url)
    try:
        righe = DbStore(engine, dati).registro_accessi().elenco()
    finally:
        engine.dispose()
    return [(str(r["utente"]), str(r["esito"]), tempo.giorno_locale(r["quando"])) for _, r in righe.iterrows()]


def _entra(page, server: str, email: str) -> None:
    """From Gestione through the provider's own login and consent pages, back to the app."""
    page.goto(server + "/gestione")
    page.get_by_role("button", name=ACCEDI).click()
    page.wait_for_url("**/interaction/**")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("qualsiasi")
    page.locator("button[type=submit]").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page
    page.wait_for_url(server + "/")  # Streamlit's callback lands on the app's home


def _uscito(page, server: str) -> None:
    """st.logout() ends the provider's session too (RP-initiated logout): confirm on its page."""
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(server + "/")  # back through the callback to the app's home


def test_a_known_email_logs_in_is_recorded_and_esci_ends_it(server, registro, page, wait_for_app_run):
    _entra(page, server, EMAIL)
    page.goto(server + "/gestione")
    page.get_by_text("Mario Rossi").first.wait_for(timeout=60_000)
    assert page.get_by_role("tab", name="Account").count() == 1  # an amministratore's tabs
    assert ("mrossi", "entrato", tempo.oggi()) in _accessi(registro)

    page.get_by_role("button", name="Esci").click()
    _uscito(page, server)
    page.goto(server + "/gestione")
    page.get_by_role("button", name=ACCEDI).wait_for(timeout=60_000)
    assert page.get_by_role("tab", name="Account").count() == 0
    assert ("mrossi", "uscito", tempo.oggi()) in _accessi(registro)


def test_an_unknown_email_is_refused_and_sees_nothing(server, registro, page):
    _entra(page, server, "sconosciuto@altrove.test")
    page.goto(server + "/gestione")
    page.get_by_role("heading", name="Accesso non autorizzato").wait_for(timeout=60_000)
    # The address as it came (Streamlit's markdown gets a word joiner in it: core.testo).
    avviso = page.locator("[data-testid='stAlert']", has_text="non corrisponde a nessun account attivo")
    assert "sconosciuto@altrove" in avviso.inner_text().replace("\u2060", "")
    assert page.get_by_role("tab").count() == 0  # no part of Gestione
    assert ("sconosciuto@altrove.test", "rifiutato", tempo.oggi()) in _accessi(registro)
    page.get_by_role("button", name="Esci").click()
    _uscito(page, server)


def test_a_login_older_than_the_setting_is_logged_out(server, registro, page, fornitore):
    uscite = sum(1 for u, e, _ in _accessi(registro) if (u, e) == (EMAIL, "uscito"))
    fornitore.comando("sposta 7200")  # the provider issues its token «2 hours ago»; the setting says 1
    try:
        _entra(page, server, EMAIL)
    finally:
        fornitore.comando("sposta 0")
    page.goto(server + "/gestione")
    _uscito(page, server)  # logged out at once: the token is older than the setting
    page.goto(server + "/gestione")
    page.get_by_role("button", name=ACCEDI).wait_for(timeout=60_000)
    assert page.get_by_role("tab", name="Account").count() == 0
    assert sum(1 for u, e, _ in _accessi(registro) if (u, e) == (EMAIL, "uscito")) == uscite + 1
