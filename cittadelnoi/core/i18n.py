"""Interface language: Italian source strings, English from gettext catalogues read with Babel.

Code writes Italian text inside `_()` (a count inside `ngettext()`); `locales/en/LC_MESSAGES/messages.po`
holds the English, extracted and updated with pybabel (`bash scripts/aggiorna_traduzioni.sh`).
The language of the current script run lives in a context variable: Streamlit runs each session's
script in its own thread, so one viewer switching to English never changes another's page.
`tests/unit/core/test_i18n.py` extracts every message from the code and fails on a missing or stale
translation.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TypeVar

from babel.messages.plurals import get_plural
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


def catalogo_po(lingua: str) -> Path:
    """The one gettext catalogue of `lingua` (pybabel's domain «messages»)."""
    return LOCALES_DIR / lingua / "LC_MESSAGES" / "messages.po"


@cache
def _voci(lingua: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """Every translated, non-fuzzy message of `lingua`: msgid -> text, (singular, plural) -> forms."""
    out: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    po = catalogo_po(lingua)
    if not po.exists():
        return out
    with po.open("rb") as fh:
        for message in read_po(fh, locale=lingua):
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple | list):
                forme = tuple(str(f) for f in message.string or ())
                if all(forme):
                    out[(str(message.id[0]), str(message.id[1]))] = forme
            elif message.string:
                out[str(message.id)] = str(message.string)
    return out


@cache
def catalogo(lingua: str) -> dict[str, str]:
    """The translated messages of `lingua` without plural forms: Italian msgid -> text."""
    return {k: v for k, v in _voci(lingua).items() if isinstance(k, str) and isinstance(v, str)}


@cache
def _forma_plurale(lingua: str) -> Callable[[int], int]:
    """The index of the plural form for a count, by the language's gettext rule (CLDR, through Babel)."""
    return gettext.c2py(get_plural(LOCALI[lingua]).plural_expr)


def _(testo: str) -> str:
    """`testo` in the current language (Italian is the source: returned as is)."""
    current = lingua()
    if current == PREDEFINITA:
        return testo
    return catalogo(current).get(testo, testo)


def ngettext(singolare: str, plurale: str, n: int) -> str:
    """The form of a message for the count `n` in the current language ("1 punto", "2 punti")."""
    current = lingua()
    forme = _voci(current).get((singolare, plurale)) if current != PREDEFINITA else None
    if isinstance(forme, tuple):
        return forme[min(_forma_plurale(current)(n), len(forme) - 1)]
    return singolare if _forma_plurale(PREDEFINITA)(n) == 0 else plurale


def N_(testo: str) -> str:
    """Marks a module-level string for translation; translate it where it is shown with `_()`."""
    return testo
