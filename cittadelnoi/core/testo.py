"""Text from data or from a link, shown as text: the app's one escaper, for each place text goes.

Names, addresses and sources are typed by people, and a link's query can hold anything. Wherever
such text is shown it must stay text: no markdown, autolink, HTML, image or link.

- `markdown`: Streamlit's captions, alerts, markdown, button labels and st.table cells are
  markdown (GitHub flavour, plus Streamlit's `$math$` and `:color[...]`). The text is put on one
  line (no block can start inside it), and the characters that make inline markup are
  backslash-escaped (`\\ ` * _ [ ] < $ & ~`), as are the block markers a text could start with
  (`>`, and `#`, `+`, `-`, `1.` followed by a space). GFM also turns bare `http://…`, `www.…` and `name@host` into links after
  parsing, where escapes no longer count, so a WORD JOINER (U+2060, invisible) is put inside those,
  and after a colon followed by a letter (Streamlit's `:red[…]` directives, `:smile:` shortcodes and
  `:material/…:` icons).
- `plotly`: Plotly draws a small HTML subset (`<a href>`, `<b>`, `<br>`, `<img>` no, but links yes)
  in titles, tick labels, hover texts and annotations, and decodes entities: `&`, `<`, `>` become
  entities and are drawn as the characters.
- `html`: HTML the app writes outside a template (the sidebar's «Copia link», the `<iframe>`
  snippet, the page shell's title): `html.escape`. The pages the app writes whole (the printable
  sheet, the meeting kit, /mappa) are Jinja2 templates, autoescaped (views.modelli).
- The map (views.mapview) sends data as JSON and builds tooltips and popups in the browser with
  `textContent`; tables (st.dataframe) show cells as text.
"""

from __future__ import annotations

import html as _html
import re

_INLINE = re.compile(r"([\\`*_\[\]<$&~])")
_INIZIO = re.compile(r"^(\s*)(>|(?:[#+\-]|\d+[.)])(?=\s|$))")
_WJ = "\u2060"
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www|@)")
_DIRETTIVA = re.compile(r":(?=[A-Za-z])")


# A value quoted back in a message (from a link, a cell) is cut to this many characters: a link
# anyone can share may carry 60,000 of them, which would freeze the reader's page.
MAX_CITAZIONE = 80


def breve(testo: object, massimo: int = MAX_CITAZIONE) -> str:
    """`testo` as a quotation of at most `massimo` characters ("…" at the end when cut)."""
    s = "" if testo is None else str(testo)
    return s if len(s) <= massimo else s[: massimo - 1] + "…"


def markdown(testo: object) -> str:
    """`testo` as markdown that Streamlit shows exactly as written, on one line."""
    s = "" if testo is None else str(testo)
    s = s.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    s = _INLINE.sub(r"\\\1", s)
    s = _INIZIO.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], s)
    s = _AUTOLINK.sub(lambda m: m.group(1) + _WJ, s)
    # Streamlit's text directives (`:red[...]`, even a bare `:red`), emoji shortcodes (`:smile:`) and
    # icons (`:material/home:`) start with a colon right before a letter: a word joiner goes between.
    return _DIRETTIVA.sub(":" + _WJ, s)


def plotly(testo: object) -> str:
    """`testo` for a Plotly title, label, tick or hover text: drawn as written, never as a tag."""
    s = "" if testo is None else str(testo)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html(testo: object) -> str:
    """`testo` inside an HTML page written by the app."""
    return _html.escape("" if testo is None else str(testo), quote=True)
