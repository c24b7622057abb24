"""The session cookie's attributes and the secrets' fingerprints (auth.sessioni)."""

from __future__ import annotations

import pytest

from cittadelnoi.auth import sessioni


@pytest.mark.parametrize("https", [False, True])
def test_session_cookie_is_httponly_and_secure_over_https(https: bool):
    attributi = sessioni.attributi_cookie(https)
    assert attributi["httponly"] is True and attributi["secure"] is https and attributi["samesite"] == "strict"
    assert sessioni.impronta("abc") != "abc" and len(sessioni.impronta("abc")) == 64
