"""Links that carry the whole view, and their QR code (drawn here, offline, with segno).

Pure functions: the Streamlit layer (ui.condividi) reads the view's parameters and the public base
URL; the open-data routes and the meeting kit can build the same links.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit


def base_pubblica(configurata: str | None, url_richiesta: str | None) -> str:
    """The site's public address without a trailing slash: the configured one, else the scheme and
    host the browser used (st.context.url), else the local default."""
    if configurata and configurata.strip():
        return configurata.strip().rstrip("/")
    if url_richiesta:
        parti = urlsplit(url_richiesta)
        if parti.scheme in ("http", "https") and parti.netloc:
            return f"{parti.scheme}://{parti.netloc}"
    return "http://127.0.0.1:8501"


def url_vista(base: str, pagina: str, parametri: dict[str, str]) -> str:
    """`base`/`pagina`?parametri: `pagina` is the page's url_path ("" for the overview)."""
    url = base.rstrip("/") + "/" + pagina.strip("/")
    return url + ("?" + urlencode(parametri) if parametri else "")


def url_cittadino(base: str, quartiere: str | None, zona: str | None, lingua: str) -> str:
    """The citizen page of a view (what the audience's phones open): `quartiere` an ISTAT code ->
    base/quartieri/<codice>; a `zona` -> base/quartieri#zona-<slug> (its part of the city page);
    the whole city -> base/quartieri. `lingua` other than Italian adds `lang`."""
    from cittadelnoi.core import i18n
    from cittadelnoi.metrics.filtri import slug

    url = base.rstrip("/") + "/quartieri" + (f"/{quartiere}" if quartiere else "")
    if lingua != i18n.PREDEFINITA:
        url += "?" + urlencode({"lang": lingua})
    if zona and not quartiere:
        url += "#zona-" + slug(zona)
    return url


def qr_svg(url: str, titolo: str, scala: int = 4) -> str:
    """An inline SVG QR code of `url` (black on white, quiet zone included), titled for screen readers."""
    import segno  # only presentation mode draws QR codes

    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=scala, dark="#000000", light="#ffffff", title=titolo, svgclass="cdn-qr", lineclass=None)


def qr_png_data_uri(url: str, scala: int = 1) -> str:
    """The QR code of `url` as a PNG data URI (no file, no network), sized by the page's CSS."""
    import segno

    return segno.make(url, error="m").png_data_uri(scale=8, dark="#000000", light="#ffffff")
