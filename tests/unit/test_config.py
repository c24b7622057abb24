""".streamlit/config.toml says what the app's code relies on: one home for each limit."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from cittadelnoi.loaders.csvio import MAX_BYTES, MAX_MB
from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))


def test_upload_limit_is_the_apps_limit():
    # One number, in Streamlit's unit (MB): the uploader refuses larger files in the browser, in
    # English, before the app sees them; the app refuses larger files in Italian. The browser counts
    # a MB as 1,000,000 bytes (see the next test): the app's limit in bytes is that, not 5 MiB,
    # or files between 5.0 MB and 5 MiB would pass the app's check and be refused by the uploader.
    assert CONFIG["server"]["maxUploadSize"] == MAX_MB
    assert MAX_BYTES == MAX_MB * 1_000_000


def test_streamlit_uploader_counts_a_megabyte_as_a_million_bytes():
    # A Streamlit internal the limit above relies on (check it at each Streamlit upgrade): the
    # uploader's size check in the browser bundle converts MB to bytes with 1000 (1024 only when the
    # browser runs on Windows: `isFromWindows() ? 1024 : 1000` in FileHelper.ts). The server takes
    # up to maxUploadSize x 1024 x 1024 bytes plus multipart overhead, more than either.
    import streamlit

    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    conversioni = [f.name for f in bundle.glob("*.js") if re.search(r"\?1024:1e3\b", f.read_text("utf-8"))]
    assert conversioni, "Streamlit's uploader no longer converts MB as 1000 x 1000 bytes: recheck csvio.MAX_BYTES"


def test_no_error_details_in_the_browser():
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_no_public_ip_lookup_and_no_statistics():
    # Set by hand, browser.serverAddress makes Streamlit print it instead of asking a remote
    # service for the public IP when headless on 0.0.0.0 (see tests/rete for the real check).
    assert CONFIG["browser"]["serverAddress"] == "localhost"
    assert CONFIG["browser"]["gatherUsageStats"] is False
