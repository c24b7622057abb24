"""core.testo, the one escaper: text from data or a link stays text in markdown, Plotly and HTML."""

from __future__ import annotations

import re

import pytest

from cittadelnoi.core.testo import html, markdown, plotly

WJ = "\u2060"


@pytest.mark.parametrize(
    "testo, vietato",
    [
        ("![x](http://example.invalid/y.png)", ["![x](", "http://"]),
        ("[testo](http://example.invalid/x)", ["[testo](", "http://"]),
        ("<img src=x onerror=alert(1)>", ["<img"]),
        ("**grassetto** _corsivo_ ~~barrato~~ `codice`", ["**g", "_c", "~~b", "`c"]),
        ("visita www.example.invalid oppure https://example.invalid", ["www.", "https://"]),
        ("scrivi a nome@example.invalid", ["@example"]),
        ("$x^2$ e :red[rosso]", ["$x", ":red["]),
        ("colore :red[R] e :blue da solo", [":red", ":blue"]),  # a bare :name is a directive too
        ("ciao :smile: e :material/home:", [":smile", ":material"]),  # shortcodes and icons
        ("# titolo", ["# "]),
        ("> citazione", ["> "]),
        ("- elenco", ["- "]),
        ("riga uno\n# titolo\n![i](http://x.invalid/i.png)", ["\n", "![i]("]),
    ],
)
def test_markdown_non_lascia_sintassi_attiva(testo: str, vietato: list[str]):
    sicuro = markdown(testo)
    for v in vietato:  # never unescaped (a backslash before it makes it a literal character)
        assert not re.search(r"(?<!\\)" + re.escape(v), sicuro), (v, sicuro)
    # What the reader sees: the same characters (escapes and word joiners are not drawn).
    visibile = re.sub(r"\\(.)", r"\1", sicuro).replace(WJ, "")
    assert visibile == testo.replace("\n", " ")


def test_markdown_lascia_intatto_il_testo_normale():
    for t in ("Punto di comunità Don Bosco", "un'altra persona alle 13:24", "demo-chiesanuova", "+13,8%", "-2"):
        assert markdown(t) == t


def test_plotly_e_html():
    assert (
        plotly('<a href="http://x.invalid">x</a> & <b>')
        == '&lt;a href="http://x.invalid"&gt;x&lt;/a&gt; &amp; &lt;b&gt;'
    )
    assert html('<script>"x"</script>') == "&lt;script&gt;&quot;x&quot;&lt;/script&gt;"
    assert markdown(None) == plotly(None) == html(None) == ""
