""".streamlit/config.toml says what the app's code relies on: one home for each limit."""

from __future__ import annotations

import tomllib

from cittadelnoi.loaders.csvio import MAX_BYTES, MAX_MB
from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))


def test_upload_limit_is_the_apps_limit():
    # Streamlit refuses bodies above server.maxUploadSize MB (plus multipart overhead) before the
    # app sees them: it must be the app's own limit, csvio.MAX_BYTES.
    assert MAX_MB * 1024 * 1024 == MAX_BYTES
    assert CONFIG["server"]["maxUploadSize"] == MAX_MB


def test_no_error_details_in_the_browser():
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_no_public_ip_lookup_and_no_statistics():
    # Set by hand, browser.serverAddress makes Streamlit print it instead of asking a remote
    # service for the public IP when headless on 0.0.0.0 (see tests/rete for the real check).
    assert CONFIG["browser"]["serverAddress"] == "localhost"
    assert CONFIG["browser"]["gatherUsageStats"] is False
