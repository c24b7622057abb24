"""Number, money and date formatting through Babel (CLDR), Italian by default.

Italian newspapers write millions as "mln" and billions as "mld"; CLDR's Italian short form is
"Mln"/"Mld", so the only thing we add is the lower case the audience expects.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_decimal,
    format_percent,
)

DEFAULT_LOCALE = "it_IT"


def numero(value: float | int, decimali: int = 0, locale: str = DEFAULT_LOCALE) -> str:
    """1234.5 -> '1.234,5' (it) / '1,234.5' (en)."""
    pattern = "#,##0" + ("." + "0" * decimali if decimali else "")
    return format_decimal(value, format=pattern, locale=locale)


def euro_compatto(value: float | int, locale: str = DEFAULT_LOCALE, decimali: int = 1) -> str:
    """173_000_000 -> '173 mln €'; 1_400_000 -> '1,4 mln €'; trailing ',0' is dropped by CLDR."""
    text = format_compact_currency(value, "EUR", locale=locale, fraction_digits=decimali)
    if locale.startswith("it"):
        text = text.replace("Mln", "mln").replace("Mld", "mld")
    return text


def compatto(value: float | int, locale: str = DEFAULT_LOCALE, decimali: int = 1) -> str:
    text = format_compact_decimal(value, locale=locale, format_type="short", fraction_digits=decimali)
    if locale.startswith("it"):
        text = text.replace("Mln", "mln").replace("Mld", "mld")
    return text


def percentuale(frazione: float, decimali: int = 0, locale: str = DEFAULT_LOCALE) -> str:
    """0.41 -> '41%'; 0.1379, 1 decimal -> '13,8%'."""
    pattern = "#,##0" + ("." + "0" * decimali if decimali else "") + "%"
    return format_percent(frazione, format=pattern, locale=locale)


def data(value: dt.date, locale: str = DEFAULT_LOCALE, formato: str = "d MMMM y") -> str:
    """2025-12-10 -> '10 dicembre 2025'."""
    return format_date(value, format=formato, locale=locale)
