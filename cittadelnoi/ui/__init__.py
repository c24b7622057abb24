"""The thin Streamlit layer: the only part of the package that imports Streamlit.

Pages call `dati()` and `filtro()`; `dashboard.py` calls `barra_laterale()` once per run, before
the page, so every page sees the same filter and the URL always carries it. The helpers live in
one module per concern (archivio: the cached store; filtri: the sidebar filter; presentazione:
language and projector mode; widgets: sources, charts, downloads; testo: the escaper); this
module is the API the pages use.
"""

from cittadelnoi.ui.archivio import (
    aggiorna_se_cambiano_i_dati,
    archivio,
    base_mappa,
    conferme,
    dati,
    dati_se_ci_sono,
    giorno_della_vista,
    layer_mappa,
    mostra_stato_dati,
    nota_senza_data,
    orari_sportelli,
    ore_settimanali,
    primo_giorno_storico,
    punti_nel_tempo,
    punti_senza_data,
    snapshot_al,
    snapshot_confronto,
    sportelli_per_punto,
    storico_disponibile,
    url_database,
)
from cittadelnoi.ui.condividi import bottone_copia, link_cittadino, prepara, qr_vista, url_corrente
from cittadelnoi.ui.condivisione import kit_riunione, piede_licenza, snippet_iframe, url_mappa
from cittadelnoi.ui.errori import esegui_pagina
from cittadelnoi.ui.errori import mostra_errore as errore_non_previsto
from cittadelnoi.ui.filtri import (
    barra_laterale,
    data_confronto,
    filtro,
    filtro_corrente,
    pannello_aperto,
    punto_scelto,
    scegli_punto,
    seleziona_quartiere,
)
from cittadelnoi.ui.menu import menu_pagine
from cittadelnoi.ui.piede import ferma_pagina, piede_pagina
from cittadelnoi.ui.presentazione import in_presentazione, inizia_run, presentazione
from cittadelnoi.ui.testo import md
from cittadelnoi.ui.widgets import (
    avviso_dimostrativo,
    filigrana_esempio,
    fonte,
    grafico,
    mappa,
    scarica_tabella,
    tabella,
    variazione,
)

__all__ = [
    "aggiorna_se_cambiano_i_dati",
    "archivio",
    "avviso_dimostrativo",
    "barra_laterale",
    "bottone_copia",
    "link_cittadino",
    "conferme",
    "data_confronto",
    "mappa",
    "menu_pagine",
    "pannello_aperto",
    "prepara",
    "punto_scelto",
    "qr_vista",
    "scegli_punto",
    "url_corrente",
    "variazione",
    "dati",
    "dati_se_ci_sono",
    "errore_non_previsto",
    "esegui_pagina",
    "filigrana_esempio",
    "filtro",
    "filtro_corrente",
    "fonte",
    "giorno_della_vista",
    "grafico",
    "in_presentazione",
    "inizia_run",
    "kit_riunione",
    "base_mappa",
    "layer_mappa",
    "md",
    "mostra_stato_dati",
    "orari_sportelli",
    "ore_settimanali",
    "piede_licenza",
    "ferma_pagina",
    "piede_pagina",
    "presentazione",
    "primo_giorno_storico",
    "nota_senza_data",
    "punti_senza_data",
    "punti_nel_tempo",
    "scarica_tabella",
    "seleziona_quartiere",
    "snapshot_al",
    "snapshot_confronto",
    "snippet_iframe",
    "sportelli_per_punto",
    "storico_disponibile",
    "tabella",
    "url_database",
    "url_mappa",
]

# Before any session runs, e.g. when an st.App module imports the package at start.
from cittadelnoi.ui.rete import nessuna_richiesta_esterna as _nessuna_richiesta_esterna

_nessuna_richiesta_esterna()
