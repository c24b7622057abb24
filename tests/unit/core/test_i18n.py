"""Every string the interface shows through `_()` / `N_()` has an English translation."""

from __future__ import annotations

import re
import subprocess

import pytest
from babel.messages.pofile import read_po

from cittadelnoi.core import fmt, i18n
from tests.conftest import ROOT

SEGNAPOSTO = re.compile(r"\{\w*\}")


@pytest.fixture(scope="module")
def nel_codice(tmp_path_factory: pytest.TempPathFactory) -> dict[str | tuple[str, str], str]:
    """Every message of the code as `bash scripts/aggiorna_traduzioni.sh` extracts it (pybabel):
    msgid, or (singular, plural) for ngettext -> where it is."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "aggiorna_traduzioni.sh"), "--solo-estrai", str(pot)], check=True, cwd=ROOT
    )
    with pot.open("rb") as fh:
        return {(m.id if isinstance(m.id, str) else (m.id[0], m.id[1])): str(m.id) for m in read_po(fh) if m.id}


def _catalogo(lingua: str) -> dict[str | tuple[str, str], object]:
    out: dict[str | tuple[str, str], object] = {}
    with i18n.catalogo_po(lingua).open("rb") as fh:
        for m in read_po(fh, locale=lingua):
            if m.id:
                out[m.id if isinstance(m.id, str) else (m.id[0], m.id[1])] = m
    return out


def test_extraction_finds_the_pages_and_the_plurals(nel_codice) -> None:
    assert len(nel_codice) > 300, "extraction found too few messages: are the folders in the script right?"
    # A message of a page (pages/), of the app shell (dashboard.py) and a plural form.
    assert "Punti di comunità nei quartieri" in nel_codice
    assert any(isinstance(k, tuple) for k in nel_codice), "no ngettext message extracted"


def test_every_message_has_an_english_translation(nel_codice) -> None:
    voci = i18n._voci("en")
    mancanti = [k for k in nel_codice if k not in voci]
    assert not mancanti, "untranslated or fuzzy (bash scripts/aggiorna_traduzioni.sh, then translate):\n" + "\n".join(
        map(repr, mancanti)
    )


def test_no_stale_message_in_the_catalogue(nel_codice) -> None:
    vecchi = [k for k in _catalogo("en") if k not in nel_codice]
    assert not vecchi, "in the catalogue, no longer in the code (bash scripts/aggiorna_traduzioni.sh):\n" + "\n".join(
        map(repr, vecchi)
    )


def test_placeholders_survive_translation():
    for msgid, msgstr in i18n._voci("en").items():
        if isinstance(msgid, str):
            assert set(SEGNAPOSTO.findall(msgid)) == set(SEGNAPOSTO.findall(str(msgstr))), msgid
            continue
        singolare, plurale = msgid
        forme = list(msgstr)
        # The "one" form may say the number in words ("one more error"); the others keep every placeholder.
        assert set(SEGNAPOSTO.findall(forme[0])) <= set(SEGNAPOSTO.findall(singolare + plurale)), msgid
        for forma in forme[1:]:
            assert set(SEGNAPOSTO.findall(plurale)) == set(SEGNAPOSTO.findall(forma)), msgid


def test_ngettext_picks_the_form_by_count_in_both_languages():
    assert i18n.ngettext("{n} punto", "{n} punti", 1).format(n=1) == "1 punto"
    assert i18n.ngettext("{n} punto", "{n} punti", 0).format(n=0) == "0 punti"
    i18n.imposta("en")
    try:
        assert i18n.ngettext("{n} punto", "{n} punti", 1).format(n=1) == "1 point"
        assert i18n.ngettext("{n} punto", "{n} punti", 3).format(n=3) == "3 points"
        # Not in the catalogue: the Italian forms, by the count.
        assert i18n.ngettext("{n} gatto", "{n} gatti", 2) == "{n} gatti"
    finally:
        i18n.imposta(i18n.PREDEFINITA)


def test_language_switch_changes_text_and_numbers():
    i18n.imposta("en")
    try:
        assert i18n._("Punti attivi") == "Active points"
        assert fmt.numero(1234.5, 1) == "1,234.5"
        assert fmt.euro_compatto(173e6) == "€173M"
    finally:
        i18n.imposta("it")
    assert i18n._("Punti attivi") == "Punti attivi"
    assert fmt.numero(1234.5, 1) == "1.234,5"
    assert fmt.euro_compatto(173e6) == "173\u00a0mln\u00a0€"  # non-breaking spaces keep it on one line


def test_unknown_language_falls_back_to_italian():
    i18n.imposta("xx")
    assert i18n.lingua() == "it"


def test_a_function_run_later_keeps_the_language_of_the_run_that_wrapped_it() -> None:
    import contextvars

    i18n.imposta("en")
    try:
        dopo = i18n.nella_lingua_corrente(lambda: (i18n.lingua(), i18n._("avviso")))
    finally:
        i18n.imposta(i18n.PREDEFINITA)
    # Called from a fresh context (as Streamlit calls a download's builder): still English, and
    # the caller's language is left as it was.
    assert contextvars.Context().run(dopo) == ("en", "notice")
    assert contextvars.Context().run(i18n.lingua) == "it"
    assert dopo() == ("en", "notice") and i18n.lingua() == "it"
