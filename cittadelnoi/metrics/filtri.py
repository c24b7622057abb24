"""The zona/quartiere filter shared by every page and kept in the URL.

Links carry readable values (`?zona=Sud&quartiere=lamarmora`); ISTAT codes are accepted too so
a link built from the data also works. Unknown values are dropped with a message, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cittadelnoi.core.i18n import _
from cittadelnoi.core.testo import breve
from cittadelnoi.core.vista import VistaState


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class Filtro:
    zona: str | None = None
    quartiere: str | None = None  # codice ISTAT

    def codici(self, quartieri: pd.DataFrame) -> set[str]:
        if self.quartiere is not None:
            return {self.quartiere}
        if self.zona is not None:
            return set(quartieri.loc[quartieri["zona"] == self.zona, "codice_istat"])
        return set(quartieri["codice_istat"])

    @property
    def attivo(self) -> bool:
        return self.zona is not None or self.quartiere is not None


def da_query_params(params: Mapping[str, str], quartieri: pd.DataFrame) -> tuple[Filtro, list[str]]:
    """Parse URL parameters; return the filter and Italian messages for values that were ignored."""
    return risolvi(params.get("zona"), params.get("quartiere"), quartieri)


def risolvi(zona: str | None, wanted: str | None, quartieri: pd.DataFrame) -> tuple[Filtro, list[str]]:
    """The filter of a link's `zona` and `quartiere` (a slug, a name or an ISTAT code, as
    `core.vista.VistaState` holds them), and Italian messages for the values that were ignored."""
    messaggi: list[str] = []
    zone = set(quartieri["zona"])
    if zona is not None and zona not in zone:
        match = [z for z in zone if z.lower() == zona.lower()]
        if match:
            zona = match[0]
        else:
            messaggi.append(
                _("Zona «{zona}» sconosciuta nel link: filtro ignorato. Zone: {zone}.").format(
                    zona=breve(zona), zone=", ".join(sorted(zone))
                )
            )
            zona = None
    quartiere = None
    if wanted:
        by_key = {slug(n): c for n, c in zip(quartieri["nome"], quartieri["codice_istat"], strict=False)}
        by_key.update({c: c for c in quartieri["codice_istat"]})
        quartiere = by_key.get(wanted) or by_key.get(slug(wanted))
        if quartiere is None:
            messaggi.append(
                _("Quartiere «{quartiere}» sconosciuto nel link: filtro ignorato.").format(quartiere=breve(wanted))
            )
        else:
            zona_q = quartieri.loc[quartieri["codice_istat"] == quartiere, "zona"].iloc[0]
            zona = zona_q  # a quartiere belongs to one zona: the link cannot contradict it
    return Filtro(zona, quartiere), messaggi


def a_query_params(filtro: Filtro, quartieri: pd.DataFrame) -> dict[str, str]:
    params: dict[str, str] = {}
    if filtro.zona:
        params["zona"] = filtro.zona
    if filtro.quartiere:
        nome = quartieri.loc[quartieri["codice_istat"] == filtro.quartiere, "nome"].iloc[0]
        params["quartiere"] = slug(nome)
    return params


def in_vista(filtro: Filtro, quartieri: pd.DataFrame, **campi: Any) -> VistaState:
    """The view of `filtro` as a link carries it (the quartiere by its name's slug), with the other
    fields of `core.vista.VistaState` given in `campi` (e.g. `lingua="en"`)."""
    link = a_query_params(filtro, quartieri)
    return VistaState(zona=link.get("zona"), quartiere=link.get("quartiere"), **campi)
