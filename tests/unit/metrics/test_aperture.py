"""Open now and next desk opening in Rome time (metrics/aperture.py), for the Ore page, and the slots
the map's popups use."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from cittadelnoi.core import i18n
from cittadelnoi.core.tempo import FUSO
from cittadelnoi.loaders.sportelli import minuti
from cittadelnoi.metrics import aperture as m_aperture
from cittadelnoi.metrics.aperture import fasce_minuti, prossima_apertura, prossima_apertura_testo
from tests.unit.metrics.fasce import fasce as fascie

ROMA = ZoneInfo("Europe/Rome")
UTC = dt.UTC


def _sportelli(*righe: tuple[str, str, str, str]) -> pd.DataFrame:
    df = pd.DataFrame(righe, columns=["id_punto", "giorno", "inizio", "fine"])
    df["inizio_min"] = df["inizio"].map(minuti)
    df["fine_min"] = df["fine"].map(minuti)
    return df


LAMARMORA = _sportelli(
    ("lam", "mer", "15:30", "17:30"), ("lam", "ven", "09:30", "11:30"), ("notte", "dom", "20:00", "24:00")
)


def test_slots_for_the_browser_are_in_week_order():
    assert fasce_minuti(LAMARMORA) == {"lam": [[2, 930, 1050], [4, 570, 690]], "notte": [[6, 1200, 1440]]}


@pytest.mark.parametrize(
    ("adesso", "inizio", "testo"),
    [
        (dt.datetime(2026, 12, 2, 16, 0), dt.datetime(2026, 12, 2, 15, 30), "aperto, fino alle 17:30"),  # Wed, open
        (
            dt.datetime(2026, 12, 2, 15, 30),
            dt.datetime(2026, 12, 2, 15, 30),
            "aperto, fino alle 17:30",
        ),  # start included
        (dt.datetime(2026, 12, 2, 17, 30), dt.datetime(2026, 12, 4, 9, 30), "venerdì 4/12 09:30-11:30"),  # end excluded
        (dt.datetime(2026, 12, 3, 10, 0), dt.datetime(2026, 12, 4, 9, 30), "domani 09:30-11:30"),
        (dt.datetime(2026, 12, 2, 9, 0), dt.datetime(2026, 12, 2, 15, 30), "oggi 15:30-17:30"),
        (dt.datetime(2026, 12, 4, 12, 0), dt.datetime(2026, 12, 9, 15, 30), "mercoledì 9/12 15:30-17:30"),  # next week
    ],
)
def test_next_opening_in_rome_time(adesso, inizio, testo):
    adesso = adesso.replace(tzinfo=ROMA)
    (a, b) = prossima_apertura(LAMARMORA, adesso)["lam"]
    assert a == inizio.replace(tzinfo=ROMA)
    assert prossima_apertura_testo(a, b, adesso) == testo


def test_next_opening_across_daylight_saving_and_from_another_time_zone():
    # Sunday 29 March 2026, Rome moves to summer time at 02:00; the evening slot is still 20:00 local.
    adesso = dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)  # 02:00 -> 03:00 CEST in Rome
    a, b = prossima_apertura(LAMARMORA, adesso)["notte"]
    assert (a.hour, a.minute, b.hour) == (20, 0, 0) and a.utcoffset() == dt.timedelta(hours=2)
    assert prossima_apertura_testo(a, b, adesso) == "oggi 20:00-24:00"


def test_next_opening_in_english():
    i18n.imposta("en")
    try:
        adesso = dt.datetime(2026, 12, 3, 10, 0, tzinfo=ROMA)
        a, b = prossima_apertura(LAMARMORA, adesso)["lam"]
        assert prossima_apertura_testo(a, b, adesso) == "tomorrow 09:30-11:30"
        # Further away, the day and its date: "9/12" would be 12 September to a reader in the US.
        adesso = dt.datetime(2026, 12, 4, 12, 0, tzinfo=ROMA)
        a, b = prossima_apertura(LAMARMORA, adesso)["lam"]
        assert prossima_apertura_testo(a, b, adesso) == "Wednesday 9 Dec 15:30-17:30"
    finally:
        i18n.imposta("it")


# --- open now ------------------------------------------------------------------------------------


def test_aperto_ora_mercoledi_inverno(sportelli):
    mercoledi = dt.date(2026, 1, 7)
    assert mercoledi.weekday() == 2
    assert "lamarmora" in m_aperture.aperto_ora(sportelli, dt.datetime(2026, 1, 7, 16, 0, tzinfo=FUSO))
    assert "lamarmora" not in m_aperture.aperto_ora(sportelli, dt.datetime(2026, 1, 7, 18, 0, tzinfo=FUSO))
    # 15:00 UTC is 16:00 in Rome in January (CET, UTC+1)
    assert "lamarmora" in m_aperture.aperto_ora(sportelli, dt.datetime(2026, 1, 7, 15, 0, tzinfo=UTC))
    assert "lamarmora" not in m_aperture.aperto_ora(
        sportelli, dt.datetime(2026, 1, 7, 16, 45, tzinfo=UTC)
    )  # 17:45 Rome


def test_aperto_ora_ora_legale(sportelli):
    # 8 July 2026 is a Wednesday; Rome is UTC+2: 13:40 UTC = 15:40 Rome (open), 13:20 UTC = 15:20 (closed)
    assert "lamarmora" in m_aperture.aperto_ora(sportelli, dt.datetime(2026, 7, 8, 13, 40, tzinfo=UTC))
    assert "lamarmora" not in m_aperture.aperto_ora(sportelli, dt.datetime(2026, 7, 8, 13, 20, tzinfo=UTC))


def test_aperto_ora_estremi_e_ora_locale():
    s = fascie([("a", "mer", "15:30", "17:30"), ("b", "mer", "17:30", "18:00"), ("c", "gio", "15:30", "17:30")])
    assert m_aperture.aperto_ora(s, dt.datetime(2026, 1, 7, 15, 30, tzinfo=FUSO)) == ["a"]
    assert m_aperture.aperto_ora(s, dt.datetime(2026, 1, 7, 17, 30, tzinfo=FUSO)) == [
        "b"
    ]  # end excluded, start included
    assert m_aperture.aperto_ora(s, dt.datetime(2026, 1, 7, 15, 29, tzinfo=FUSO)) == []
    assert m_aperture.aperto_ora(s, dt.datetime(2026, 1, 7, 16, 0)) == ["a"]  # naive = Rome local time
