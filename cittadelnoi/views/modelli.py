"""The HTML pages the app writes, as Jinja2 templates (cittadelnoi/views/templates/).

One Environment for all of them: autoescape on for every template, whatever its name, so text
from the data or from a link (a point named `<script>` or `{{7*7}}`) is always shown as text, and
StrictUndefined, so a name missing from the context is an error instead of an empty string.
Templates get plain values and the texts already translated (`_()` stays in the Python code,
where the gettext extraction finds it); `Markup` only wraps HTML the app itself built (folium's
parts of the map page, plotly's chart). Text that is not a template goes through the one
escaper, `core.testo`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

CARTELLA = Path(__file__).resolve().parent / "templates"

AMBIENTE = Environment(
    loader=FileSystemLoader(CARTELLA),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    auto_reload=False,
    finalize=lambda valore: "" if valore is None else valore,  # None shows as nothing, as in core.testo
)


def pagina(nome: str, **contesto: Any) -> str:
    """The template `nome` of templates/ rendered with `contesto` (plain values: escaped)."""
    return AMBIENTE.get_template(nome).render(**contesto)


def html_fidato(testo: str) -> Markup:
    """HTML the app built itself (never text from data or links), put in a page as it is."""
    return Markup(testo)  # by contract the caller built this HTML
