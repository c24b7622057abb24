"""The overview's map as one HTML page: the public embeddable map (/mappa) and the meeting kit's map.

Same builder as the overview (`mapview.costruisci_mappa`), saved by folium as a whole page. For
/mappa the page loads Leaflet and topojson-client from the app's own /app/static/vendor/; for the
meeting kit (`inline=True`) their code is put inside the page, so it opens from a USB key with no
server and no network.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from cittadelnoi.core import i18n, paths, pubblicazione
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.core.testo import html as testo_html
from cittadelnoi.views.mapview import VENDOR_BASE, Selezione, costruisci_mappa
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
) -> str:
    """A whole HTML page with the map filling it; `titolo` is plain text (escaped here).
    `collegamento`: URL of the dashboard, linked from the licence line (None: no link). `oggi`: the
    day old confirmations are judged on (a past view's day), today by default."""
    m = costruisci_mappa(layer, punti, orari, selezione, vendor_base=VENDOR_BASE, oggi=oggi)
    lic = impostazioni().licenza
    e = testo_html
    testo = e(piede_licenza())
    licenza = f'<a href="{e(lic.url)}" target="_blank" rel="license noopener">{e(lic.nome)}</a>'
    testo = testo.replace(e(lic.nome), licenza, 1)
    if collegamento:
        testo += f' · <a href="{e(collegamento)}" target="_blank" rel="noopener">{e(_("apri il cruscotto"))}</a>'
        segnala, parole = url_segnala(lingua=i18n.lingua()), _("segnala un errore")  # the form's first step
        testo += f' · <a href="{e(segnala)}" target="_blank" rel="noopener">{e(parole)}</a>'
    pagina = m.get_root().render()
    pagina = pagina.replace("<html>", f'<html lang="{e(i18n.lingua())}">', 1)
    pagina = pagina.replace("<head>", f"<head>\n<title>{e(titolo)}</title>", 1)
    piede = (
        "<style>.cdn-licenza{position:absolute;bottom:0;left:0;z-index:1000;background:rgba(255,255,255,.9);"
        "padding:2px 6px;font:12px sans-serif;color:#111}.cdn-licenza a{color:#1d4f91}</style>"
        f'<div class="cdn-licenza">{testo}</div>'
    )
    pagina = pagina.replace("</body>", piede + "\n</body>", 1)
    if inline:
        pagina = incorpora_vendor(pagina)
    return pagina


def con_avviso(pagina: str, testo: str) -> str:
    """`pagina` (from pagina_mappa) with a visible note over the map, e.g. the filter of a link that
    was dropped; `testo` is plain text (escaped here: it may repeat what the link said). The note
    is at the top, between the numbered key (left) and the zoom buttons (right), and can be closed."""
    e = testo_html
    chiudi = e(_("Chiudi l'avviso"))
    avviso = (
        "<style>.cdn-avviso{position:absolute;top:10px;right:54px;max-width:calc(58% - 74px);z-index:1001;"
        "background:#fff8e1;color:#3d2b00;border:1px solid #c99a00;border-radius:4px;padding:6px 28px 6px 10px;"
        "font:13px/1.35 sans-serif;overflow-wrap:break-word}"
        ".cdn-avviso button{position:absolute;top:2px;right:2px;border:0;background:none;font:16px/1 sans-serif;"
        "cursor:pointer;color:#3d2b00;padding:4px}</style>"
        f'<div class="cdn-avviso" role="status">{e(testo)}'
        f'<button type="button" aria-label="{chiudi}" title="{chiudi}" onclick="this.parentNode.remove()">×</button>'
        "</div>"
    )
    fine = pagina.rfind("</body>")  # the page's own end, whatever the data hold before it
    if fine < 0:
        raise ValueError("</body> non trovato nella pagina della mappa")
    return pagina[:fine] + avviso + "\n" + pagina[fine:]


def incorpora_vendor(pagina: str) -> str:
    """Replace the <script src> and <link href> of the vendor files with their code."""
    for rel in _JS:
        codice = (paths.VENDOR_DIR / rel).read_text(encoding="utf-8")
        if re.search(r"</script", codice, re.I):
            raise ValueError(f"{rel} contiene </script: non si può incorporare")
        tag = f'<script src="{VENDOR_BASE}/{rel}"></script>'
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
