"""The Gestione login cookie in real Chromium, against the app as served (app.py, st.App):
page scripts cannot read it (HttpOnly, SameSite=Strict), a copy of it opens the page in another
browser while the session lives, and after «Esci» the same copy opens nothing: the session is
revoked in the database, not only deleted from the browser that pressed the button."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.common import contesto
from cittadelnoi.auth import accesso, sessioni

pytestmark = pytest.mark.browser

UTENTE, PASSWORD = "verifica", "una password per il test"


@pytest.fixture(scope="module")
def app_accesso(start_app, tmp_path_factory) -> str:
    cartella: Path = tmp_path_factory.mktemp("sessione")
    secrets = cartella / "secrets.toml"
    secrets.write_text(
        f"[gestione.credentials.usernames.{UTENTE}]\n"
        'name = "Funzionaria di prova"\n'
        f'password = "{accesso.hash_password(PASSWORD, costo=4)}"\n',
        encoding="utf-8",
    )
    return start_app(
        env={
            "CITTADELNOI_DB_URL": f"sqlite:///{cartella / 'registro.sqlite'}",
            "STREAMLIT_SECRETS_FILES": str(secrets),
        }
    )


def _dentro(page) -> bool:
    return page.get_by_text("Accesso come").count() > 0


def _modulo_di_accesso(page) -> bool:
    page.get_by_role("textbox", name="Utente").wait_for(timeout=30_000)
    return page.get_by_role("textbox", name="Utente").count() == 1


def _cookie(context) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == sessioni.COOKIE), None)


def test_login_cookie_is_httponly_and_a_copy_stops_working_after_logout(
    app_accesso, page, browser, open_app, wait_for_app_run, screenshot
):
    open_app(page, f"{app_accesso}/gestione")
    page.get_by_role("textbox", name="Utente").fill(UTENTE.upper())
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Entra").click()
    wait_for_app_run(page)
    page.get_by_text("Accesso come").first.wait_for(timeout=30_000)
    # The page's fetch to /auth sets the cookie after the run: on a loaded machine it can take a while.
    for _ in range(300):
        if _cookie(page.context) is not None:
            break
        page.wait_for_timeout(200)
    cookie = _cookie(page.context)
    assert cookie is not None, "the login did not set the session cookie"
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["secure"] is False  # plain http on localhost; Secure over HTTPS (unit test of web.sessione)
    leggibili = page.evaluate("() => document.cookie")
    assert sessioni.COOKIE not in leggibili and cookie["value"] not in leggibili
    screenshot(page, "gestione-sessione-dentro")

    # A copy of the cookie in another browser opens the page while the session lives...
    altri = [contesto(browser, []) for _ in range(2)]
    try:
        for ctx in altri:
            ctx.add_cookies([cookie])
        copia = altri[0].new_page()
        open_app(copia, f"{app_accesso}/gestione")
        copia.get_by_text("Accesso come").first.wait_for(timeout=30_000)
        assert copia.get_by_role("textbox", name="Utente").count() == 0

        # ... and nothing, anywhere, once its owner pressed «Esci».
        page.get_by_role("button", name="Esci").click()
        wait_for_app_run(page)
        page.get_by_role("textbox", name="Utente").wait_for(timeout=30_000)
        assert not _dentro(page)
        for _ in range(300):  # the page's fetch to /auth/esci clears the cookie too
            if _cookie(page.context) is None:
                break
            page.wait_for_timeout(200)
        assert _cookie(page.context) is None

        nuova = altri[1].new_page()
        open_app(nuova, f"{app_accesso}/gestione")
        screenshot(nuova, "gestione-sessione-nuova-copia-dopo-esci")
        assert _modulo_di_accesso(nuova) and not _dentro(nuova)
        open_app(copia, f"{app_accesso}/gestione")  # the copy that was logged in, reloaded
        assert _modulo_di_accesso(copia) and not _dentro(copia)
        screenshot(copia, "gestione-sessione-copia-dopo-esci")
    finally:
        for ctx in altri:
            ctx.close()
