"""Next desk opening in Rome time, for the Ore page, and the slots the map's popups use."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from cittadelnoi.core import i18n
from cittadelnoi.loaders.sportelli import fasce_minuti, minuti, prossima_apertura, prossima_apertura_testo

ROMA = ZoneInfo("Europe/Rome")


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
