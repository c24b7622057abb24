"""The map's pieces in folium's page: the map's script (a static file), its data (JSON in the page,
never code), and the selection's feature group.

The drawing is `static/mappa.js`, served by the app at /app/static/mappa.js beside Leaflet and
topojson-client (static/vendor/): it defines `cdnMappa(d, mappa)`. The page holds the data as a
`<script type="application/json">` block, and the map's script is one line that reads that block
and calls `cdnMappa`. Every string of the data reaches the page as JSON with `<`, `>`, `&` and `'`
escaped (no text can close the block) and is put in the DOM with textContent.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from branca.element import Element, Figure, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from cittadelnoi.core import paths

SCRIPT = paths.STATIC_DIR / "mappa.js"


@lru_cache(maxsize=1)
def _versione_script() -> str:
    return hashlib.sha256(SCRIPT.read_bytes()).hexdigest()[:12]


def url_script(vendor_base: str) -> str:
    """URL of the map's script beside the vendor folder `vendor_base` (e.g. /app/static/vendor ->
    /app/static/mappa.js?v=<12 hex digits of its SHA-256>): each version of the file has its own
    URL, so a browser (or nginx's 30 days of caching) never keeps an older one."""
    return f"{vendor_base.rsplit('/', 1)[0]}/{SCRIPT.name}?v={_versione_script()}"


def json_nello_script(valore: object) -> str:
    """`valore` as JSON to put inside a <script>: what Jinja's `tojson` does (escapes <, >, & and '
    so no text can close the script), without the spaces after every comma and colon (about a
    sixth of the TopoJSON) and without escaping accented letters."""
    return htmlsafe_json_dumps(valore, dumps=json.dumps, separators=(",", ":"), ensure_ascii=False)


def pagina(elemento: Element) -> Figure:
    """The page (folium's Figure) an element of the map is drawn in."""
    radice = elemento.get_root()
    if not isinstance(radice, Figure):  # a folium.Map's root is always the page (Figure) holding it
        raise TypeError(f"radice inattesa della mappa: {type(radice).__name__}")
    return radice


class TestoReso(Element):
    """Text already rendered (a style, a key, a JSON block), put in the page as it is."""

    _template = Template("{{ this.testo }}")

    def __init__(self, testo: str):
        super().__init__()
        self._name = "TestoReso"
        self.testo = testo


class MacroDati(MacroElement):
    """A MacroElement whose rendered macros are added to the page as text.

    branca's MacroElement.render wraps each rendered macro in `Element(text)`, which compiles the
    text as a Jinja template again: data inside it would be evaluated on the server (a point named
    `{{ ... }}` ran Python at every drawing of the map, and one named `{% if %}` stopped it).
    """

    def render(self, **kwargs) -> None:  # type: ignore[override]  # as branca's MacroElement.render: returns nothing
        radice = pagina(self)
        macro = self._template.module.__dict__
        for parte in ("header", "html", "script"):
            if parte in macro:
                getattr(radice, parte).add_child(TestoReso(macro[parte](self, kwargs)), name=self.get_name())
        for figlio in self._children.values():
            figlio.render(**kwargs)


class StratiMappa(MacroDati):
    """Quartieri, their labels and key, and points with their tooltips and popups (static/mappa.js),
    drawn from `dati_json` (mapview_dati.dati_strati, with or without a selection).

    The data go in the page's HTML; the script names them by a digest of that HTML. streamlit-folium
    keys the live map by its script alone: with the digest in it, new data (another data version,
    another language) make a new map, and the same data keep the live one.
    """

    _template = Template(
        "{% macro html(this, kwargs) %}"
        '<script type="application/json" id="cdn-dati-{{ this.impronta }}">{{ this.dati_json }}</script>'
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = cdnMappa(JSON.parse(document.getElementById("
        '"cdn-dati-{{ this.impronta }}").textContent), {{ this._parent.get_name() }});'
        "{% endmacro %}"
    )

    def __init__(self, dati_json: str, legenda: str = ""):
        super().__init__()
        self._name = "StratiMappa"
        self.dati_json = dati_json
        # The legend is in the page's HTML too: a new legend (language, a complete register) is a new map.
        self.impronta = hashlib.sha256((dati_json + "\0" + legenda).encode()).hexdigest()[:16]


class ApplicaSelezione(MacroDati):
    """The script of the selection's feature group: calls the function the map's script left on
    the map object (static/mappa.js, `cdnSeleziona`), with the selection as JSON. st_folium
    evaluates it in the live map's frame when the selection changes, without drawing the map again."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent._parent.get_name() }}.cdnSeleziona({{ this.dati_json }}, true);"
        "{% endmacro %}"
    )

    def __init__(self, dati: dict):
        super().__init__()
        self._name = "ApplicaSelezione"
        self.dati_json = json_nello_script(dati)
