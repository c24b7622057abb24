"""Time in Brescia: the one time zone, the one weekday table and the one way an instant is written.

Every date and time the app shows or compares (desks open now, "Stato al", when the data were
loaded) is taken in Europe/Rome, whatever the server's own zone: a container runs in UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from cittadelnoi.core import fmt, i18n

FUSO = ZoneInfo("Europe/Rome")

# The weekday codes of data/sportelli.csv, Monday first: index = datetime.weekday() = Babel's day number.
GIORNI = ("lun", "mar", "mer", "gio", "ven", "sab", "dom")
# The same days in full, as officials may write them in the files.
NOMI_GIORNI = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")


def locale(istante: dt.datetime) -> dt.datetime:
    """`istante` in Brescia's time; a naive datetime is taken as already being Brescia's time."""
    return istante.replace(tzinfo=FUSO) if istante.tzinfo is None else istante.astimezone(FUSO)


def adesso() -> dt.datetime:
    """The current instant in Brescia's time (aware)."""
    return dt.datetime.now(FUSO)


def oggi() -> dt.date:
    """Today's date in Brescia."""
    return adesso().date()


def giorno_locale(istante: dt.datetime) -> dt.date:
    """The date in Brescia at `istante` (an instant at 23:30 UTC is already the next day there)."""
    return locale(istante).date()


def giorni(forma: Literal["abbreviated", "narrow", "short", "wide"] = "abbreviated") -> list[str]:
    """The weekday names, Monday first, in the run's language: 'lun'…'dom' / 'Mon'…'Sun';
    forma 'wide' gives 'lunedì'… / 'Monday'…."""
    nomi = get_day_names(forma, locale=i18n.locale())
    return [str(nomi[i]).rstrip(".") for i in range(7)]


@dataclass(frozen=True)
class Quando:
    """An instant as the app writes it: data '10 dicembre 2025' (in the run's language), ora '14:05'."""

    data: str
    ora: str


def quando(istante: dt.datetime) -> Quando:
    """The one way an instant is shown (sidebar, data-problem banner, pages): Brescia's date and time."""
    qui = locale(istante)
    return Quando(data=fmt.data(qui.date()), ora=qui.strftime("%H:%M"))
