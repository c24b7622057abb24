"""Publication settings: licence, frame-ancestors and public URL come from one place and are checked."""

from __future__ import annotations

import pytest

from cittadelnoi.core import pubblicazione


def test_default_licence_is_cc_by_4(monkeypatch):
    monkeypatch.delenv("CITTADELNOI_LICENZA", raising=False)
    lic = pubblicazione.licenza()
    assert (lic.id, lic.nome, lic.url) == ("CC-BY-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")


def test_licence_is_configurable_and_checked(monkeypatch):
    monkeypatch.setenv("CITTADELNOI_LICENZA", "cc0-1.0")
    assert pubblicazione.licenza().nome == "CC0 1.0"
    monkeypatch.setenv("CITTADELNOI_LICENZA", "tutti i diritti riservati")
    with pytest.raises(pubblicazione.ConfigurazioneNonValida, match="CC-BY-4.0"):
        pubblicazione.licenza()


@pytest.mark.parametrize(
    ("valore", "atteso"),
    [
        ("", "*"),
        ("'self'", "'self'"),
        ("'self'  https://www.comune.brescia.it", "'self' https://www.comune.brescia.it"),
    ],
)
def test_frame_ancestors(monkeypatch, valore, atteso):
    monkeypatch.setenv("CITTADELNOI_FRAME_ANCESTORS", valore)
    assert pubblicazione.frame_ancestors() == atteso


@pytest.mark.parametrize("valore", ["*; script-src *", "https://a.it,https://b.it", "'unsafe-inline'", "javascript:x"])
def test_frame_ancestors_cannot_add_directives(monkeypatch, valore):
    monkeypatch.setenv("CITTADELNOI_FRAME_ANCESTORS", valore)
    with pytest.raises(pubblicazione.ConfigurazioneNonValida):
        pubblicazione.frame_ancestors()


def test_public_url(monkeypatch):
    monkeypatch.delenv("CITTADELNOI_URL_PUBBLICO", raising=False)
    assert pubblicazione.url_pubblico() is None
    monkeypatch.setenv("CITTADELNOI_URL_PUBBLICO", "https://cittadelnoi.comune.brescia.it/")
    assert pubblicazione.url_pubblico() == "https://cittadelnoi.comune.brescia.it"
    monkeypatch.setenv("CITTADELNOI_URL_PUBBLICO", 'https://x.it/"><script>')
    with pytest.raises(pubblicazione.ConfigurazioneNonValida):
        pubblicazione.url_pubblico()
