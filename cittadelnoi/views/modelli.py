"""The one Jinja2 environment of the app's own HTML pages (templates in views/templates/).

Autoescape is on for every template, whatever its name: a value put in a page with `{{ … }}` is
HTML-escaped unless the code marked it safe (`markupsafe.Markup`), so text from the data or from a
request stays text. StrictUndefined makes a missing value an error instead of an empty string.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

CARTELLA = Path(__file__).resolve().parent / "templates"

ambiente = Environment(
    loader=FileSystemLoader(CARTELLA),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def rendi(nome: str, **contesto: object) -> str:
    """The template `nome` (a path under views/templates/) rendered with `contesto`."""
    return ambiente.get_template(nome).render(**contesto)
