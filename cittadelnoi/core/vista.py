"""The view a link carries: one home for its parameters, with pure functions to and from the URL.

    ?zona=Sud&quartiere=lamarmora&lang=en&presenta=1&giro=20&al=2026-01-15&dal=2025-06-01
     &apri=storico,tabella&punto=lamarmora

`da_query` reads a query string's parameters (a dict, as `st.query_params.to_dict()` or
Starlette's `request.query_params` give them) into a `VistaState`, dropping what cannot be read (a
date that is no date, an unknown panel, a tour under 5 s is raised to 5); `a_query` writes a
`VistaState` back, only what differs from the defaults, always in the order of `PARAMETRI`.
`a_query(da_query(p)) == p` for every dict the app writes. What needs the data (is the zona
known? is the point in it? does the history reach `al`?) is checked by the callers:
`metrics.filtri.da_query_params` for zona and quartiere, `ui.filtri` for dates and the point.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from cittadelnoi.core import i18n

# The view's parameters, in the order they are written; any other parameter of a URL is not ours.
PARAMETRI = ("zona", "quartiere", "lang", "presenta", "giro", "al", "dal", "apri", "punto")
# The overview's panels (expanders), in the order `apri=` lists them.
PANNELLI = ("storico", "tabella", "scarica", "incorpora")
# A tour faster than 5 s cannot be read; slower than 10 minutes is not a tour.
GIRO_MINIMO, GIRO_MASSIMO = 5, 600
_SÌ = ("1", "si", "sì", "true")
# Parameters of the projector, not of the view: the audience's phones (QR code) open it without them.
SOLO_PROIETTORE = ("presenta", "giro")


@dataclass(frozen=True)
class VistaState:
    """One view of the dashboard. Each field's default is what a URL without its parameter means."""

    zona: str | None = None  # as written in the link (known or not: metrics.filtri decides)
    quartiere: str | None = None  # the quartiere's slug (or ISTAT code) as written in the link
    lingua: str = i18n.PREDEFINITA  # an i18n.LINGUE code
    presenta: bool = False  # presentation mode
    giro: int = 0  # seconds per page of the tour, GIRO_MINIMO..GIRO_MASSIMO; 0: no tour
    al: dt.date | None = None  # the overview's "Stato al" date; None: today (the live register)
    dal: dt.date | None = None  # reference date of the changes; None: the default (90 days ago)
    apri: frozenset[str] = frozenset()  # open panels, names of PANNELLI
    punto: str | None = None  # id of the point whose popup is open


def _testo(valore: str | None) -> str | None:
    return valore if valore else None


def _data(testo: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(testo) if testo else None
    except ValueError:
        return None


def _secondi(testo: str | None) -> int:
    try:
        return min(max(int(testo), GIRO_MINIMO), GIRO_MASSIMO) if testo else 0
    except ValueError:
        return 0


def da_query(params: Mapping[str, str]) -> VistaState:
    """The view of a URL's parameters; a value that cannot be read counts as absent, never raises."""
    return VistaState(
        zona=_testo(params.get("zona")),
        quartiere=_testo(params.get("quartiere")),
        lingua=i18n.valida(params.get("lang")),
        presenta=(params.get("presenta") or "").lower() in _SÌ,
        giro=_secondi(params.get("giro")),
        al=_data(params.get("al")),
        dal=_data(params.get("dal")),
        apri=frozenset(p for p in (params.get("apri") or "").split(",") if p in PANNELLI),
        punto=_testo(params.get("punto")),
    )


def a_query(vista: VistaState) -> dict[str, str]:
    """The URL parameters of `vista`: only what differs from the defaults, in the order of PARAMETRI.
    `giro` only with `presenta` (a tour is a presentation's)."""
    params: dict[str, str] = {}
    if vista.zona:
        params["zona"] = vista.zona
    if vista.quartiere:
        params["quartiere"] = vista.quartiere
    if vista.lingua != i18n.PREDEFINITA:
        params["lang"] = vista.lingua
    if vista.presenta:
        params["presenta"] = "1"
        if vista.giro:
            params["giro"] = str(vista.giro)
    if vista.al is not None:
        params["al"] = vista.al.isoformat()
    if vista.dal is not None:
        params["dal"] = vista.dal.isoformat()
    if vista.apri:
        params["apri"] = ",".join(p for p in PANNELLI if p in vista.apri)
    if vista.punto:
        params["punto"] = vista.punto
    return params


def nostri(params: Mapping[str, str]) -> dict[str, str]:
    """The parameters of `params` that describe the view (PARAMETRI), as written; others dropped."""
    return {k: v for k, v in params.items() if k in PARAMETRI}


def per_il_pubblico(vista: VistaState) -> VistaState:
    """`vista` as the audience opens it from the QR code: without the projector's mode and tour."""
    return dataclasses.replace(vista, presenta=False, giro=0)
