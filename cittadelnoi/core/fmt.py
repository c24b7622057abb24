"""Number, money and date formatting through Babel (CLDR), in the language of the current run
(`cittadelnoi.core.i18n`), Italian by default.

Italian newspapers write millions as "mln" and billions as "mld"; CLDR's Italian short form is
"Mln"/"Mld", so the only thing we add is the lower case the audience expects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from cittadelnoi.core import i18n

T = TypeVar("T")


def numero(value: float | int, decimali: int = 0, locale: str | None = None) -> str:
    """1234.5 -> '1.234,5' (it) / '1,234.5' (en)."""
    # -0.0 == 0 for the cache, which would then print every later 0 as "-0": a zero is "0".
    return _numero(0 if value == 0 else value, decimali, locale or i18n.locale())


@lru_cache(maxsize=8192)
def _numero(value: float | int, decimali: int, locale: str) -> str:
    # Cached: a table of thousands of rows formats the same few hours and counts again and again.
    pattern = "#,##0" + ("." + "0" * decimali if decimali else "")
    return format_decimal(value, format=pattern, locale=locale)


def euro_compatto(value: float | int, locale: str | None = None, decimali: int = 1) -> str:
    """173_000_000 -> '173 mln €'; 1_400_000 -> '1,4 mln €'; trailing ',0' is dropped by CLDR."""
    locale = locale or i18n.locale()
    text = format_compact_currency(value, "EUR", locale=locale, fraction_digits=decimali)
    if locale.startswith("it"):
        text = text.replace("Mln", "mln").replace("Mld", "mld")
    return text


def compatto(value: float | int, locale: str | None = None, decimali: int = 1) -> str:
    locale = locale or i18n.locale()
    text = format_compact_decimal(value, locale=locale, format_type="short", fraction_digits=decimali)
    if locale.startswith("it"):
        text = text.replace("Mln", "mln").replace("Mld", "mld")
    return text


def percentuale(frazione: float, decimali: int = 0, locale: str | None = None) -> str:
    """0.41 -> '41%'; 0.1379, 1 decimal -> '13,8%'."""
    locale = locale or i18n.locale()
    pattern = "#,##0" + ("." + "0" * decimali if decimali else "") + "%"
    return format_percent(frazione, format=pattern, locale=locale)


def data(value: dt.date, locale: str | None = None, formato: str = "d MMMM y") -> str:
    """2025-12-10 -> '10 dicembre 2025'. For a short date use `data_breve` or `giorno_breve`, never
    a numeric `formato`: 9/12 is 12 September to a reader in the US."""
    return _data(value, formato, locale or i18n.locale())


# The short dates, in one place. Italians write the day first ("9/12" is 9 December); English
# readers disagree on "9/12" (9 December in the UK, 12 September in the US), so English names the month.
_BREVI: dict[str, dict[str, str]] = {
    # Babel (CLDR) patterns
    "giorno": {"it": "EEEE d/M", "en": "EEEE d MMM"},  # mercoledì 9/12 · Wednesday 9 Dec
    "data": {"it": "dd/MM/y", "en": "d MMM y"},  # 09/12/2026 · 9 Dec 2026
    # the same date for a Plotly hover or axis (d3-time-format)
    "d3": {"it": "%d/%m/%Y", "en": "%-d %b %Y"},
}


def _breve(tipo: str, locale: str) -> str:
    formati = _BREVI[tipo]
    return formati.get(locale.split("_")[0], formati["en"])  # a language not listed names the month


def giorno_breve(value: dt.date, locale: str | None = None) -> str:
    """A day of the coming weeks: 'mercoledì 9/12' / 'Wednesday 9 Dec'."""
    locale = locale or i18n.locale()
    return _data(value, _breve("giorno", locale), locale)


def data_breve(value: dt.date, locale: str | None = None) -> str:
    """A date in a table cell or a change: '09/12/2026' / '9 Dec 2026'."""
    locale = locale or i18n.locale()
    return _data(value, _breve("data", locale), locale)


def formato_data_plotly(locale: str | None = None) -> str:
    """`data_breve` as a Plotly date format: '%{x|' + this + '}' in a hovertemplate."""
    return _breve("d3", locale or i18n.locale())


@lru_cache(maxsize=4096)
def _data(value: dt.date, formato: str, locale: str) -> str:
    # Babel parses the pattern and the locale at every call: the hours page formats a date per point.
    return format_date(value, format=formato, locale=locale)


def euro(value: float | int, decimali: int = 0, locale: str | None = None) -> str:
    """870.71 -> '871 €' (it) / '€871' (en): the locale's currency pattern with our decimals."""
    locale = locale or i18n.locale()
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace("0.00", "0" + ("." + "0" * decimali if decimali else ""))
    return format_currency(round(value, decimali), "EUR", format=pattern, locale=locale, currency_digits=False)


def data_parziale(testo: str | None, locale: str | None = None) -> str | None:
    """A date as precise as its source: '2025-10-23' -> '23/10/2025' ('23 Oct 2025' in English,
    see `data_breve`); '2025-10' -> 'ottobre 2025' ('October 2025'); None (unknown) stays None."""
    if not testo:
        return None
    locale = locale or i18n.locale()
    if len(testo) == 7:
        return format_date(dt.date(int(testo[:4]), int(testo[5:7]), 1), format="LLLL y", locale=locale)
    return data_breve(dt.date.fromisoformat(testo), locale)


def ore(valore: float, locale: str | None = None) -> str:
    """Hours, with no useless decimals: 4.0 -> '4'; 7.5 -> '7,5'; 7.25 -> '7,25' (en '7.25').

    The one hours formatter: the hours page, its charts, the map's popups and the printable sheet."""
    if float(valore).is_integer():
        return numero(valore, 0, locale)
    decimali = 1 if float(round(valore * 10, 6)).is_integer() else 2
    return numero(valore, decimali, locale)


ELENCO_MASSIMO = 20
"""Names a sentence lists before it counts the rest: a selection of hundreds of points (a city
of 500 quartieri) made each sentence a list of thousands, and each rerun of the page long."""


def elenco(
    nomi: Sequence[T],
    massimo: int = ELENCO_MASSIMO,
    separatore: str = ", ",
    locale: str | None = None,
    come: Callable[[T], str] = str,
) -> str:
    """'A, B, C', or past `massimo` names the first ones and the count of the others:
    'A, B, … e altri 4.980' (en '… and 4,980 more'). The full list is in the page's table.
    `come` writes an item (only the ones named are written)."""
    if len(nomi) <= massimo:
        return separatore.join(come(n) for n in nomi)
    return (
        separatore.join(come(n) for n in nomi[:massimo])
        + " "
        + i18n._("… e altri {n}").format(n=numero(len(nomi) - massimo, 0, locale))
    )
