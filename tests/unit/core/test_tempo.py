"""core/tempo.py: one time zone, one weekday table, one way to write an instant."""

from __future__ import annotations

import datetime as dt

from cittadelnoi.core import tempo


def test_weekdays_are_babel_s_and_the_files_codes() -> None:
    assert tempo.giorni() == list(tempo.GIORNI)  # Babel's Italian abbreviations are the file's codes
    assert tempo.giorni("wide") == list(tempo.NOMI_GIORNI)
    assert len(tempo.GIORNI) == 7 and dt.date(2026, 1, 5).weekday() == tempo.GIORNI.index("lun")


def test_weekdays_in_english(inglese) -> None:
    assert tempo.giorni() == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_an_instant_is_written_in_brescia_s_time_whatever_the_server_zone() -> None:
    # 23:30 UTC on 31 December is already 00:30 of New Year's day in Brescia (UTC+1 in winter).
    istante = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert tempo.quando(istante) == tempo.Quando(data="1 gennaio 2026", ora="00:30")
    assert tempo.giorno_locale(istante) == dt.date(2026, 1, 1)
    # Summer time: UTC+2.
    assert tempo.quando(dt.datetime(2026, 7, 1, 10, 5, tzinfo=dt.UTC)).ora == "12:05"


def test_a_naive_time_is_taken_as_brescia_s() -> None:
    assert tempo.locale(dt.datetime(2026, 1, 7, 16, 0)).utcoffset() == dt.timedelta(hours=1)
    assert tempo.quando(dt.datetime(2026, 1, 7, 16, 0)).ora == "16:00"


def test_date_follows_the_language(inglese) -> None:
    assert tempo.quando(dt.datetime(2025, 12, 10, 13, 0, tzinfo=dt.UTC)) == tempo.Quando("10 December 2025", "14:00")
