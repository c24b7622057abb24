"""Interface language: Italian source strings, English from gettext catalogues read with Babel.

Code writes Italian text inside `_()`; `locales/en/LC_MESSAGES/*.po` hold the English. Several
.po files (one per area of the app) are merged, so people can translate pages independently.
The language of the current script run lives in a context variable: Streamlit runs each session's
script in its own thread, so one viewer switching to English never changes another's page.
`tests/unit/core/test_i18n.py` extracts every `_()` string from the code and fails on a missing
translation.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TypeVar

from babel.messages.pofile import read_po

LINGUE = {"it": "Italiano", "en": "English"}
LOCALI = {"it": "it_IT", "en": "en_GB"}
PREDEFINITA = "it"
# Pages written in Italian only, whatever `lang` says (README, «Known limits»): their URL path.
SOLO_ITALIANO = frozenset({"gestione", "il_mio_punto"})
LOCALES_DIR = Path(__file__).resolve().parent.parent.parent / "locales"

_lingua: ContextVar[str] = ContextVar("lingua", default=PREDEFINITA)


def valida(lingua: object) -> str:
    """`lingua` if it is one of LINGUE (e.g. a URL's `lang`), else the default: Italian."""
    return lingua if isinstance(lingua, str) and lingua in LINGUE else PREDEFINITA


def imposta(lingua: str) -> None:
    _lingua.set(valida(lingua))


def lingua() -> str:
    return _lingua.get()


T = TypeVar("T")


def nella_lingua_corrente(funzione: Callable[[], T]) -> Callable[[], T]:
    """`funzione`, to be called later in the language of the run that wraps it: a file built when
    its download button is clicked runs outside the page's run (and its context), where the
    language would fall back to Italian."""
    scelta = _lingua.get()

    def in_lingua() -> T:
        token = _lingua.set(scelta)
        try:
            return funzione()
        finally:
            _lingua.reset(token)

    return in_lingua


def locale() -> str:
    return LOCALI[lingua()]


@cache
def catalogo(lingua: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for po in sorted((LOCALES_DIR / lingua / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale=lingua):
                if message.id and message.string and not message.fuzzy:
                    out[str(message.id)] = str(message.string)
    return out


def _(testo: str) -> str:
    """`testo` in the current language (Italian is the source: returned as is)."""
    current = lingua()
    if current == PREDEFINITA:
        return testo
    return catalogo(current).get(testo, testo)


def N_(testo: str) -> str:
    """Marks a module-level string for translation; translate it where it is shown with `_()`."""
    return testo
