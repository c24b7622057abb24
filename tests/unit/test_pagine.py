"""The pages live in pagine/, never in a folder named `pages/` next to dashboard.py.

Streamlit decides once per process, when the first session starts, whether the app is an old-style
multipage app: it is when a `pages/` folder sits next to the main script. A page linked directly
as the first request of a fresh server then runs on its own, without dashboard.py: Streamlit's menu
of file names, no filter, no app menu (streamlit/streamlit#9624; issue 21, point 7). The browser
test tests/browser/test_link_diretti.py opens every page that way; this is its fast guard.
"""

from __future__ import annotations

from tests.conftest import ROOT


def test_no_pages_folder_next_to_the_main_script() -> None:
    assert not (ROOT / "pages").exists(), "pages/ makes Streamlit run a linked page without dashboard.py: use pagine/"
    assert (ROOT / "pagine" / "panoramica.py").exists()
