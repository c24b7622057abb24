"""The current view as a link: a "Copia link" button, and a QR code in presentation mode that opens
the view's citizen page (/quartieri…, views.pagine_cittadine), also offered as a link by the overview.

The public base URL (what the audience's phones must open) is the setting `url_pubblico`
(core.impostazioni: CITTADELNOI_URL_PUBBLICO, or `url_pubblico` in the [cittadelnoi] section of
.streamlit/secrets.toml), the same one the <iframe> snippet, /mappa and the catalogue use; without
it, the address the browser used.
"""

from __future__ import annotations

import streamlit as st

from cittadelnoi.core import i18n
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.core.testo import html as testo_html
from cittadelnoi.ui import chiavi
from cittadelnoi.ui.filtri import filtro_corrente
from cittadelnoi.views.condivisione import base_pubblica, qr_png_data_uri, url_cittadino, url_vista

URL_VISTA = "url_della_vista"
URL_QR = "url_della_vista_per_il_pubblico"


def prepara(pagina_corrente) -> str:
    """Compute (and remember for this run) the public URL of the current page with the view's parameters."""
    parametri = dict(st.session_state.get(chiavi.URL_SCRITTO) or {})
    try:
        richiesta = st.context.url
    except Exception:
        richiesta = None
    base = base_pubblica(impostazioni().url_pubblico, richiesta)
    url = url_vista(base, pagina_corrente.url_path, parametri)
    st.session_state[URL_VISTA] = url
    # The audience's phones open the view's citizen page (/quartieri, /quartieri/<codice>: small,
    # no JavaScript needed), not the dashboard nor the projector's mode (issue 24).
    filtro = filtro_corrente()
    st.session_state[URL_QR] = url_cittadino(base, filtro.quartiere, filtro.zona, i18n.lingua())
    return url


def url_corrente() -> str:
    return st.session_state.get(URL_VISTA, "")


def bottone_copia(url: str | None = None) -> None:
    """A "Copia link" button that puts the view's link on the clipboard (in the browser, no server round trip)."""
    url = url or url_corrente()
    fatto, errore = _("Link copiato"), _("Copia non riuscita: seleziona il link qui sotto")
    st.html(
        "<div class='cdn-copia'>"
        f"<button type='button' data-url='{testo_html(url)}' "
        f"data-fatto='{testo_html(fatto)}' data-errore='{testo_html(errore)}'>"
        + testo_html(_("Copia link"))
        + "</button> <span role='status' aria-live='polite'></span>"
        # The link as text to select by hand where the clipboard is refused (full contrast, never
        # a link). Plain HTML, not st.code: that made every first visit load Streamlit's syntax
        # highlighter (1.56 MB) for one line of text.
        + f"<p class='cdn-link'>{testo_html(url)}</p></div>"
        + _SCRIPT_COPIA,
        unsafe_allow_javascript=True,
    )


_SCRIPT_COPIA = """<script>
document.querySelectorAll(".cdn-copia button").forEach(function (b) {
  if (b.dataset.pronto) return;
  b.dataset.pronto = "1";
  b.addEventListener("click", function () {
    var stato = b.parentNode.querySelector("[role=status]"), url = b.dataset.url;
    function ok() { stato.textContent = b.dataset.fatto; b.dataset.copiato = url; }
    function vecchio() {
      var t = document.createElement("textarea");
      t.value = url; t.setAttribute("readonly", ""); t.style.position = "fixed"; t.style.opacity = "0";
      document.body.appendChild(t); t.select();
      var riuscito = false;
      try { riuscito = document.execCommand("copy"); } catch (e) {}
      document.body.removeChild(t);
      if (riuscito) ok(); else stato.textContent = b.dataset.errore;
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(ok, vecchio);
    else vecchio();
  });
});
</script>"""


def qr_vista(scala: int = 1) -> None:
    """The QR code of the view's public URL (without presentation mode), for the audience's phones."""
    url = st.session_state.get(URL_QR, "")
    if not url:
        return
    titolo = _("Codice QR di questa vista: {url}").format(url=url)
    # A PNG as a data URI: the HTML sanitiser keeps <img> with an alt text, not inline SVG.
    immagine = qr_png_data_uri(url, scala=scala)
    st.html(
        "<figure class='cdn-qr-box' style='margin:0'>"
        + f"<img src='{immagine}' alt='{testo_html(titolo)}' style='width:{6 * scala}rem;max-width:100%;image-rendering:pixelated'>"
        + "<figcaption style='font-size:0.7rem;word-break:break-all'>"
        + testo_html(_("Inquadra per aprire questa vista sul telefono"))
        + "</figcaption></figure>"
    )


def link_cittadino() -> None:
    """The link the QR code opens (the view's citizen page), for the overview out of presentation mode."""
    url = st.session_state.get(URL_QR, "")
    if url:
        st.markdown(
            ":material/smartphone: ["
            + _("Pagina semplice per il telefono")
            + "]("
            + url
            + ") · "
            + _("quella che apre il codice QR della presentazione")
        )
