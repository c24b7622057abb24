"""Links from the dashboard's tables to the citizens' report form (/segnala, web.segnala).

`tabella_con_segnala` shows a table with a last column «Segnala» whose cells link to the form for
that row's point or quartiere; the downloads keep the table without it. In file mode
(CITTADELNOI_ARCHIVIO=file: no database, no reports) the column is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from cittadelnoi.core import i18n
from cittadelnoi.core.i18n import _
from cittadelnoi.stores.db import DbStore
from cittadelnoi.ui.archivio import archivio
from cittadelnoi.ui.condivisione import url_base
from cittadelnoi.views.segnala import url_segnala


def disponibili() -> bool:
    """Reports can be stored here (the register is in a database)."""
    return isinstance(archivio(), DbStore)


def indirizzi(tipo: str, valori: Iterable[object]) -> list[str]:
    """The form's absolute address for each point id (`tipo` "punto") or ISTAT code ("quartiere"),
    in the run's language."""
    base, lingua = url_base(), i18n.lingua()
    return [url_segnala(**{tipo: str(v)}, lingua=lingua, base=base) for v in valori]


def tabella_con_segnala(
    frame: pd.DataFrame,
    tipo: str,
    valori: Iterable[object],
    formati: dict[str, Callable[[object], str]] | None = None,
    **kwargs,
) -> None:
    """st.dataframe of `frame` with a «Segnala» link per row (`valori`: the rows' point ids or
    ISTAT codes, in the rows' order); `formati`: Styler formats per column; `kwargs` go to
    st.dataframe."""
    mostrata = frame
    config = dict(kwargs.pop("column_config", None) or {})
    if disponibili():
        colonna = _("Segnala")
        link = indirizzi(tipo, valori)
        if len(link) != len(frame):
            raise ValueError(f"{len(link)} indirizzi per {len(frame)} righe")
        mostrata = frame.assign(**{colonna: link})
        config[colonna] = st.column_config.LinkColumn(
            colonna,
            display_text=_("Segnala un errore"),
            help=_("Apre il modulo per segnalare un errore su questa riga."),
        )
    st.dataframe(mostrata.style.format(formati) if formati else mostrata, column_config=config or None, **kwargs)
