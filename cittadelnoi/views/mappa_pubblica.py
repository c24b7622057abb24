"""The overview's map as one HTML page: the public embeddable map (/mappa) and the meeting kit's map.

Same builder as the overview (`mapview.costruisci_mappa`), in folium's page with the language, the
title and the licence line (templates/mappa_pubblica.html, autoescaped: views.modelli). For
/mappa the page loads Leaflet and topojson-client from the app's own /app/static/vendor/ and the
map's script from /app/static/mappa.js; for the meeting kit (`inline=True`) their code is put
inside the page, so it opens from a USB key with no server and no network.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from branca.element import Figure

from cittadelnoi.core import i18n, paths, pubblicazione
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.views import modelli
from cittadelnoi.views.mapview import VENDOR_BASE, Selezione, costruisci_mappa, url_script
from cittadelnoi.views.mapview_elementi import SCRIPT
from cittadelnoi.views.piede import Piede
from cittadelnoi.views.segnala import url_segnala

# The vendor files a map page links, relative to static/vendor/.
_JS = ("leaflet/leaflet.js", "topojson-client/topojson-client.min.js")
_CSS = ("leaflet/leaflet.css",)


def piede_licenza() -> str:
    """'Dati: Comune di Brescia · licenza CC BY 4.0', as plain text."""
    lic = impostazioni().licenza
    return _("Dati: {titolare} · licenza {licenza}").format(titolare=pubblicazione.TITOLARE, licenza=lic.nome)


def pagina_mappa(
    layer: dict,
    punti: pd.DataFrame,
    orari: dict[str, str],
    selezione: Selezione,
    titolo: str,
    *,
    inline: bool = False,
    collegamento: str | None = None,
    oggi: dt.date | None = None,
    piede: Piede | None = None,
) -> str:
    """A whole HTML page with the map filling it; `titolo` is plain text (escaped here).
    `piede`: the site's footer (views.piede) in place of the licence line (the route /mappa).
    `collegamento`: URL of the dashboard, linked from the licence line (None: no link). `oggi`: the
    day old confirmations are judged on (a past view's day), today by default."""
    figura = costruisci_mappa(layer, punti, orari, selezione, vendor_base=VENDOR_BASE, oggi=oggi).get_root()
    if not isinstance(figura, Figure):  # a folium.Map's root is always the page (Figure) holding it
        raise TypeError(f"radice inattesa della mappa: {type(figura).__name__}")
    figura.render()  # branca renders the map's elements into the page's header, body and script
    lic = impostazioni().licenza
    piede_prima, _nome, piede_dopo = piede_licenza().partition(lic.nome)
    pagina = modelli.pagina(
        "mappa_pubblica.html",
        lingua=i18n.lingua(),
        titolo=titolo,
        testa=modelli.html_fidato(figura.header.render()),
        corpo=modelli.html_fidato(figura.html.render()),
        script=modelli.html_fidato(figura.script.render()),
        licenza=lic,
        piede_prima=piede_prima,
        piede_dopo=piede_dopo,
        collegamento=collegamento,
        segnala=url_segnala(lingua=i18n.lingua()),  # the form's first step
        t={"apri": _("apri il cruscotto"), "segnala": _("segnala un errore")},
        piede=piede,
    )
    if inline:
        pagina = incorpora_vendor(pagina)
    return pagina


def con_avviso(pagina: str, testo: str) -> str:
    """`pagina` (from pagina_mappa) with a visible note over the map, e.g. the filter of a link that
    was dropped; `testo` is plain text (escaped by the template: it may repeat what the link said).
    The note is at the top, between the numbered key (left) and the zoom buttons (right), and can
    be closed."""
    avviso = modelli.pagina("mappa_avviso.html", testo=testo, chiudi=_("Chiudi l'avviso"))
    fine = pagina.rfind("</body>")  # the page's own end, whatever the data hold before it
    if fine < 0:
        raise ValueError("</body> non trovato nella pagina della mappa")
    return pagina[:fine] + avviso + "\n" + pagina[fine:]


def incorpora_vendor(pagina: str) -> str:
    """Replace the <script src> and <link href> of the vendor files and of the map's script with
    their code. ValueError when a file is not linked as expected or holds `</script`."""
    script = [(f"{VENDOR_BASE}/{rel}", paths.VENDOR_DIR / rel) for rel in _JS] + [(url_script(VENDOR_BASE), SCRIPT)]
    for url, file in script:
        codice = file.read_text(encoding="utf-8")
        if re.search(r"</script", codice, re.I):
            raise ValueError(f"{file.name} contiene </script: non si può incorporare")
        tag = f'<script src="{url}"></script>'
        if tag not in pagina:
            raise ValueError(f"{tag} non trovato nella pagina della mappa")
        pagina = pagina.replace(tag, f"<script>{codice}</script>", 1)
    for rel in _CSS:
        stile = (paths.VENDOR_DIR / rel).read_text(encoding="utf-8")
        tag = f'<link rel="stylesheet" href="{VENDOR_BASE}/{rel}"/>'
        if tag not in pagina:
            raise ValueError(f"{tag} non trovato nella pagina della mappa")
        # Leaflet's CSS names images (layer switcher, default marker) this map never uses: no url() at all.
        stile = re.sub(r"url\([^)]*\)", "none", stile)
        pagina = pagina.replace(tag, f"<style>{stile}</style>", 1)
    return pagina
