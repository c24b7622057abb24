"""Open now and next opening of the desks, from the checked slots of `loaders.sportelli`.

Times are Europe/Rome (`core.tempo`); a naive datetime is taken as Rome local time. A slot
15:30-17:30 is open from 15:30 included to 17:30 excluded. The map's popups say the same in the
browser from `fasce_minuti`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cittadelnoi.core import fmt, tempo
from cittadelnoi.core.i18n import _
from cittadelnoi.core.tempo import GIORNI


def aperto_ora(sportelli: pd.DataFrame, now: dt.datetime) -> list[str]:
    """Sorted ids of the points whose desk is open at `now` (Europe/Rome; a naive time is taken as
    Rome local time). A slot 15:30-17:30 is open from 15:30 included to 17:30 excluded."""
    locale = tempo.locale(now)
    giorno = GIORNI[locale.weekday()]
    m = locale.hour * 60 + locale.minute + locale.second / 60
    aperti = sportelli[(sportelli["giorno"] == giorno) & (sportelli["inizio_min"] <= m) & (m < sportelli["fine_min"])]
    return sorted(set(aperti["id_punto"]))


def fasce_minuti(sportelli: pd.DataFrame) -> dict[str, list[list[int]]]:
    """id_punto -> [[weekday (0 = Monday), start minute, end minute], ...]: the slots as the map's
    popups need them to say, in the browser, whether a desk is open now and when it opens next."""
    if sportelli.empty:
        return {}
    righe = sportelli.assign(_g=sportelli["giorno"].map(GIORNI.index)).sort_values(["id_punto", "_g", "inizio_min"])
    fasce: dict[str, list[list[int]]] = {}
    for pid, g, inizio, fine in zip(
        righe["id_punto"].tolist(),
        righe["_g"].tolist(),
        righe["inizio_min"].tolist(),
        righe["fine_min"].tolist(),
        strict=False,
    ):
        fasce.setdefault(str(pid), []).append([int(g), int(inizio), int(fine)])
    return fasce


def prossima_apertura(
    sportelli: pd.DataFrame, now: dt.datetime, minuti: dict[str, list[list[int]]] | None = None
) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """id_punto -> (start, end) of the slot open at `now` or, if closed, of the next one (Europe/Rome,
    aware datetimes; a naive `now` is taken as Rome local time). Points without slots are absent.
    A slot is open from its start included to its end excluded, as in aperto_ora. `minuti`:
    fasce_minuti() of these slots or of a wider set (only the points of `sportelli` are answered)."""
    locale = tempo.locale(now)
    oggi = locale.date()
    adesso = locale.weekday() * 1440 + locale.hour * 60 + locale.minute + locale.second / 60
    if minuti is None:
        tutte = fasce_minuti(sportelli)
    else:
        tutte = {pid: minuti[pid] for pid in dict.fromkeys(sportelli["id_punto"].tolist()) if pid in minuti}

    def date(g: int, inizio: int, fine: int) -> tuple[dt.datetime, dt.datetime]:
        a, b = g * 1440 + inizio, g * 1440 + fine
        giorno = oggi + dt.timedelta(days=(g - locale.weekday()) % 7)
        if a <= adesso < b:
            giorno = oggi
        elif giorno == oggi and a < adesso:
            giorno += dt.timedelta(days=7)
        base = dt.datetime.combine(giorno, dt.time(0), tzinfo=tempo.FUSO)
        return base + dt.timedelta(minutes=inizio), base + dt.timedelta(minutes=fine)

    risultato: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    gia_date: dict[tuple[int, int, int], tuple[dt.datetime, dt.datetime]] = {}  # many points share a slot
    for pid, fasce in tutte.items():
        migliore: tuple[int, int, int] | None = None
        minimo = 0.0
        for g, inizio, fine in fasce:
            a, b = g * 1440 + inizio, g * 1440 + fine
            tra = 0.0 if a <= adesso < b else (a - adesso) % 10080
            if migliore is None or tra < minimo:
                migliore, minimo = (g, inizio, fine), tra
        if migliore is not None:
            if migliore not in gia_date:
                gia_date[migliore] = date(*migliore)
            risultato[pid] = gia_date[migliore]
    return risultato


def prossima_apertura_testo(inizio: dt.datetime, fine: dt.datetime, now: dt.datetime) -> str:
    """'aperto, fino alle 17:30' or 'mercoledì 9/12 15:30-17:30' (English 'Wednesday 9 Dec 15:30-17:30')
    / 'oggi 15:30-17:30' / 'domani 09:30-11:30'."""
    locale = tempo.locale(now)
    ora_fine = "24:00" if fine.date() > inizio.date() and fine.time() == dt.time(0) else f"{fine:%H:%M}"
    if inizio <= locale < fine:
        return _("aperto, fino alle {ora}").format(ora=ora_fine)
    giorni_tra = (inizio.date() - locale.date()).days
    if giorni_tra == 0:
        quando = _("oggi")
    elif giorni_tra == 1:
        quando = _("domani")
    else:
        quando = fmt.giorno_breve(inizio.date())
    return f"{quando} {inizio:%H:%M}-{ora_fine}"


def prossime_aperture_testo(
    sportelli: pd.DataFrame, now: dt.datetime, minuti: dict[str, list[list[int]]] | None = None
) -> dict[str, str]:
    """id_punto -> prossima_apertura_testo of its prossima_apertura: the hours page's column.
    Each distinct slot is worded once (thousands of points share a few hundred slots)."""
    testi: dict[tuple[dt.datetime, dt.datetime], str] = {}
    out = {}
    for pid, fascia in prossima_apertura(sportelli, now, minuti).items():
        if fascia not in testi:
            testi[fascia] = prossima_apertura_testo(*fascia, now)
        out[pid] = testi[fascia]
    return out
