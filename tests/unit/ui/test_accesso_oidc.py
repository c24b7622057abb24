"""ui/accesso_oidc.scaduto: an OpenID Connect login ends `oidc_ore_sessione` hours after the
identity token was issued (its `iat`), whatever st.login's 30-day cookie says."""

from __future__ import annotations

import datetime as dt

from cittadelnoi.ui.accesso_oidc import scaduto

ADESSO = dt.datetime(2026, 12, 8, 12, 0, tzinfo=dt.UTC)


def test_a_token_older_than_the_setting_has_expired():
    emesso = (ADESSO - dt.timedelta(hours=8, seconds=1)).timestamp()
    assert scaduto(emesso, ADESSO, 8)
    assert not scaduto((ADESSO - dt.timedelta(hours=7, minutes=59)).timestamp(), ADESSO, 8)
    assert not scaduto(str(int(ADESSO.timestamp())), ADESSO, 1)  # a claim may come as text


def test_a_token_without_a_readable_iat_counts_as_expired():
    for emesso in (None, "", "ieri", float("nan"), 1e20):
        assert scaduto(emesso, ADESSO, 8), emesso
