"""Fixtures for the browser tests: the real app in a subprocess, and headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright) with every request that would leave
this machine blocked and recorded.

    app_server   base URL of the app on the sample register, shared by every test of the
                 session that does not change the server's data or settings (none of its
                 users logs in or saves); a test that needs a fresh server, other data
                 or other settings starts its own with start_app (module-scoped where
                 its tests can share it, e.g. app_gestione, app_xss)
    start_app    factory: start_app(data_dir=None, env=None) -> base URL of a new app
                 process; data_dir is given to the app as CITTADELNOI_DATA_DIR
                 (use tests/conftest.py's data_copy when a test changes files); each
                 process gets a new SQLite database unless env sets CITTADELNOI_DB_URL,
                 and a last-good folder of its own (both deleted when it stops)
                 (env={"CITTADELNOI_ARCHIVIO": "file"}: the files of data_dir as the store)
    browser      one headless Chromium per session
    page         a new page (1366x900) per test; the test fails at teardown if the page
                 tried to reach any host other than the local one
    external_requests   the list of blocked URLs of the current `page`
    page_errors  uncaught JavaScript errors of the current `page` (printed at teardown)

Helpers, as fixtures that return a function (import nothing from conftest; waits on conditions
such as wait_for_drawn are in tests/browser/attese.py):
    screenshot(page, name)         PNG in test-artifacts/screenshots/<name>.png
    wait_for_app_run(page)         waits for the script run the last action asked for (attese.py)
    open_app(page, url)            goto + wait_for_app_run
    select_option(page, label, option)   picks an option of a Streamlit select box, waits for the run
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Chromium's flags, the browser context that blocks other hosts and free ports are shared with the benchmark.
from bench.common import CHROMIUM, CHROMIUM_ARGS, contesto, porta_libera
from tests.browser.attese import CONTA_CORSE

ROOT = Path(__file__).resolve().parents[2]
APP_SCRIPT = "app.py"  # st.App: dashboard.py plus the routes of cittadelnoi/web
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
LOG_DIR = ROOT / "test-artifacts" / "logs"
HEALTH_TIMEOUT_S = 60.0
_EXPECTED_404_SUFFIXES = ("/_stcore/health", "/_stcore/host-config")


# --------------------------------------------------------------------------- helpers


def _streamlit_cmd() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "streamlit"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "streamlit"]


def _screenshot(page, name: str) -> Path:
    """Saves what the page shows to test-artifacts/screenshots/<name>.png."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path))
    return path


def _wait_for_app_run(page, timeout_ms: int = 60_000) -> None:
    """Waits for the script run the caller's action asked for, then for the app to be idle.

    A run counts when it finished after the previous call (tests/browser/attese.py counts them in the
    page), then Streamlit must be connected and idle, the way Streamlit's own e2e tests check it:
    stApp's data-test-script-state is "notRunning" and the running-man status widget is gone."""
    page.wait_for_function("() => window.__corse && window.__corse.finite > window.__corse.viste", timeout=timeout_ms)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
        state="attached",
        timeout=timeout_ms,
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=timeout_ms,
    )
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=timeout_ms)
    page.evaluate("() => { window.__corse.viste = window.__corse.finite; }")


def _open_app(page, url: str, timeout_ms: int = 60_000) -> None:
    """Opens a URL of the app and waits for its script run to finish."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stAppViewContainer']", state="attached", timeout=timeout_ms)
    _wait_for_app_run(page, timeout_ms=timeout_ms)
    # A fresh session can report its run finished while Streamlit still shows grey placeholders
    # for the page's elements: wait until they have arrived.
    page.wait_for_function("() => !document.querySelector('[data-testid^=stSkeleton]')", timeout=timeout_ms)


def _select_option(page, label: str, option: str, timeout_ms: int = 30_000) -> None:
    """Chooses `option` in the select box labelled `label`, as a person would, and waits for the
    script run. Nothing runs by itself on a page at rest (the data-version check asks the server
    from the browser, and reruns only when the data change), so one try is enough."""
    box = page.get_by_role("combobox", name=label)
    box.scroll_into_view_if_needed(timeout=timeout_ms)
    box.click()
    page.get_by_role("listbox").wait_for(timeout=timeout_ms)
    page.get_by_role("option", name=option, exact=True).click(timeout=timeout_ms)
    _wait_for_app_run(page, timeout_ms=timeout_ms)
    page.wait_for_function(
        "([label, option]) => [...document.querySelectorAll('input[role=combobox]')]"
        ".some(el => el.getAttribute('aria-label') === label && el.value === option)",
        arg=[label, option],
        timeout=timeout_ms,
    )


@pytest.fixture(scope="session")
def select_option() -> Callable[..., None]:
    return _select_option


@pytest.fixture(scope="session")
def screenshot() -> Callable[..., Path]:
    return _screenshot


@pytest.fixture(scope="session")
def wait_for_app_run() -> Callable[..., None]:
    return _wait_for_app_run


@pytest.fixture(scope="session")
def open_app() -> Callable[..., None]:
    return _open_app


# --------------------------------------------------------------------------- app server


class _App:
    def __init__(self, proc: subprocess.Popen, url: str, log_path: Path, cartella: Path):
        self.proc = proc
        self.url = url
        self.log_path = log_path
        self.cartella = cartella  # its database and last-good copy, deleted when it stops

    def log_tail(self, n: int = 60) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        shutil.rmtree(self.cartella, ignore_errors=True)


def _launch(data_dir: Path | None, extra_env: dict[str, str] | None, name: str) -> _App:
    if not (ROOT / APP_SCRIPT).exists():
        pytest.fail(f"{APP_SCRIPT} not found in {ROOT}")
    port = porta_libera()
    env = dict(os.environ)
    env.pop("CITTADELNOI_DATA_DIR", None)
    # The tests run on the fictional sample register (esempio/), never on the shipped data/.
    env["CITTADELNOI_DATI"] = "esempio"
    if data_dir is not None:
        env["CITTADELNOI_DATA_DIR"] = str(data_dir)
    env.update(extra_env or {})
    cartella = Path(tempfile.mkdtemp(prefix="cdn-app-"))
    if "CITTADELNOI_DB_URL" not in (extra_env or {}):
        # A database of its own for each app process, seeded from its data/ on first start.
        env["CITTADELNOI_DB_URL"] = f"sqlite:///{cartella / 'registro.sqlite'}"
    # Its own last-good copy too: never var/ of the checkout, shared by every server and test process.
    if "CITTADELNOI_LAST_GOOD_DIR" not in (extra_env or {}):
        env["CITTADELNOI_LAST_GOOD_DIR"] = str(cartella / "ultimi-dati-validi")
    env.setdefault("PYTHONUNBUFFERED", "1")
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"streamlit-{name}-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115 (the server writes to it until it stops)
    cmd = _streamlit_cmd() + [
        "run",
        APP_SCRIPT,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    app = _App(proc, f"http://127.0.0.1:{port}", log_path, cartella)

    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    last_error = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"streamlit exited with code {proc.returncode} before answering.\n--- {log_path} ---\n{app.log_tail()}"
            )
        try:
            with urllib.request.urlopen(f"{app.url}/_stcore/health", timeout=2) as resp:
                body = resp.read().decode(errors="replace").strip()
                if resp.status == 200 and body == "ok":
                    return app
                last_error = f"HTTP {resp.status}: {body!r}"
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.25)
    app.stop()
    pytest.fail(
        f"streamlit did not answer /_stcore/health within {HEALTH_TIMEOUT_S:.0f} s "
        f"(last: {last_error}).\n--- {log_path} ---\n{app.log_tail()}"
    )


@pytest.fixture(scope="session")
def _apps() -> Iterator[list[_App]]:
    apps: list[_App] = []
    yield apps
    for app in apps:
        app.stop()


@pytest.fixture(scope="session")
def start_app(_apps: list[_App]) -> Callable[..., str]:
    """Factory: start_app(data_dir=None, env=None) starts a new app process and returns
    its base URL. All processes are stopped at the end of the session."""
    counter = iter(range(1, 10_000))

    def _start(data_dir: str | Path | None = None, env: dict[str, str] | None = None) -> str:
        app = _launch(Path(data_dir) if data_dir is not None else None, env, f"app{next(counter)}")
        _apps.append(app)
        return app.url

    return _start


@pytest.fixture(scope="session")
def app_server(start_app: Callable[..., str]) -> str:
    """Base URL (http://127.0.0.1:PORT) of the app running on the sample register (esempio/),
    one process for the whole session: its users only read (see the module's docstring)."""
    return start_app()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `bash scripts/setup.sh --with-browser`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        nuovo_contesto = b.new_context

        def new_context(*args, **kwargs):
            # Every page of every context counts its script runs, for wait_for_app_run.
            ctx = nuovo_contesto(*args, **kwargs)
            ctx.add_init_script(CONTA_CORSE)
            return ctx

        b.new_context = new_context  # type: ignore[method-assign]
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def external_requests() -> list[str]:
    """URLs the current test's page tried to reach outside this machine (all blocked)."""
    return []


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript errors of the current test's page, in any frame."""
    return []


@pytest.fixture
def page(browser, external_requests: list[str], page_errors: list[str], request):
    context = contesto(browser, external_requests)
    console_errors: list[str] = []
    p = context.new_page()

    def _on_pageerror(exc) -> None:
        page_errors.append(str(exc))
        console_errors.append(f"pageerror: {exc}")

    p.on("pageerror", _on_pageerror)

    def _on_response(resp) -> None:
        # The frontend probes <page path>/_stcore/{health,host-config} before the root
        # one on every sub-page; those 404s are expected.
        if resp.status >= 400 and not resp.url.endswith(_EXPECTED_404_SUFFIXES):
            console_errors.append(f"HTTP {resp.status}: {resp.url}")

    def _on_console(msg) -> None:
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            console_errors.append(f"console.error: {msg.text}")

    p.on("response", _on_response)
    p.on("console", _on_console)
    try:
        yield p
    finally:
        context.close()
    if console_errors:
        print(f"\n[{request.node.nodeid}] browser console errors:")
        for line in console_errors:
            print("  " + line)
    if external_requests:
        unique = list(dict.fromkeys(external_requests))
        pytest.fail(
            f"the page tried to reach {len(unique)} external URL(s) (blocked):\n  " + "\n  ".join(unique),
            pytrace=False,
        )
