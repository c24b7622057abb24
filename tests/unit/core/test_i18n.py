"""Every string the interface shows through `_()` / `N_()` has an English translation."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir

from cittadelnoi.core import fmt, i18n
from tests.conftest import ROOT

KEYWORDS = {"_": None, "N_": None}


def messaggi_nel_codice() -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in ("cittadelnoi", "pagine"):
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found[message] = f"{folder}/{filename}:{lineno}"
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        ROOT, method_map=[("dashboard.py", "python")], keywords=KEYWORDS
    ):
        found[message] = f"{filename}:{lineno}"
    return found


def test_every_message_has_an_english_translation():
    code = messaggi_nel_codice()
    assert len(code) > 50, "extraction found too few messages: is the keyword list right?"
    english = i18n.catalogo("en")
    missing = {m: where for m, where in code.items() if m not in english}
    assert not missing, "untranslated:\n" + "\n".join(
        f"{w}: {m!r}" for m, w in sorted(missing.items(), key=lambda x: x[1])
    )


def test_placeholders_survive_translation():
    english = i18n.catalogo("en")
    import re

    for msgid, msgstr in english.items():
        assert set(re.findall(r"\{\w*\}", msgid)) == set(re.findall(r"\{\w*\}", msgstr)), msgid


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
