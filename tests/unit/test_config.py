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


def _luminanza(colore: str) -> float:
    canali = [int(colore.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lineari = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in canali]
    return 0.2126 * lineari[0] + 0.7152 * lineari[1] + 0.0722 * lineari[2]


def _contrasto(a: str, b: str) -> float:
    chiaro, scuro = sorted((_luminanza(a), _luminanza(b)), reverse=True)
    return (chiaro + 0.05) / (scuro + 0.05)


def test_theme_colours_keep_aa_contrast_on_both_backgrounds():
    tema = CONFIG["theme"]
    for colore in (tema["primaryColor"], tema["linkColor"], tema["textColor"]):
        for sfondo in (tema["backgroundColor"], tema["secondaryBackgroundColor"]):
            assert _contrasto(colore, sfondo) >= 4.5, (colore, sfondo)
    assert _contrasto("#ffffff", tema["primaryColor"]) >= 4.5  # white text on a primary button


def test_titillium_web_is_self_hosted_from_the_files_setup_copies():
    # Designers Italia's typeface, served by the app (static serving), never by a font host.
    tema = CONFIG["theme"]
    assert tema["font"].split(",")[0].strip() == "Titillium Web"
    facce = tema["fontFaces"]
    assert {(f["weight"], f["style"]) for f in facce} >= {(400, "normal"), (600, "normal"), (700, "normal")}
    setup = (ROOT / "scripts" / "setup.sh").read_text("utf-8")
    for f in facce:
        assert f["family"] == "Titillium Web"
        assert f["url"].startswith("app/static/vendor/titillium-web/"), f["url"]
        assert Path(f["url"]).name in setup, f"{f['url']}: not copied by scripts/setup.sh"
    assert CONFIG["server"]["enableStaticServing"] is True
    assert "fontsource/titillium-web" in (ROOT / "package.json").read_text("utf-8")


def test_nginx_keeps_no_log_of_visits() -> None:
    """The privacy page says the server keeps no record of visits: the shipped nginx configuration
    turns the access log off for the whole server (not only for a few locations)."""
    testo = (ROOT / "deploy" / "nginx" / "locations.conf").read_text(encoding="utf-8")
    livello_server = testo.split("location", 1)[0]  # the directives before the first location block
    assert re.search(r"^access_log off;", livello_server, re.M)
    assert not re.search(r"^\s*access_log (?!off)", testo, re.M), "an access log turned on somewhere"
