"""Open the real dashboard in AppTest, optionally from a shared link, on a given page."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cittadelnoi.core import i18n

ROOT = Path(__file__).resolve().parents[2]


def apri(pagina: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if query:
        at.query_params.update(query)
    # AppTest re-labels select boxes in the test's thread: it must speak the app's language.
    i18n.imposta((query or {}).get("lang", i18n.PREDEFINITA))
    at.run()
    assert not at.exception, at.exception
    if pagina:
        at.switch_page(pagina)
        at.run()
        assert not at.exception, at.exception
    return at


def metriche(at: AppTest) -> dict[str, str]:
    return {m.label: m.value.replace("\u00a0", " ") for m in at.metric}


def italiano_rimasto(testi: list[str], parole_italiane: set[str], nomi_propri: tuple[str, ...] = ()) -> list[str]:
    """The texts of an English page that still contain one of `parole_italiane`, once proper
    names (which stay Italian), plotly placeholders and HTML tags are removed."""
    trovati = []
    for testo in testi:
        pulito = testo
        for nome in nomi_propri:
            pulito = pulito.replace(nome, "")
        pulito = re.sub(r"%\{[^}]*\}|<[^>]*>", " ", pulito)
        if set(re.findall(r"[a-zàèéìòù]+", pulito.lower())) & parole_italiane:
            trovati.append(testo)
    return trovati
