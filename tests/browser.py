"""Headless Chromium for looking at ``map.html`` as a person would: the page's DOM after its
scripts ran, and screenshots. A test helper (``tests/test_output_webmap.py``), also used by
``examples/make_docs_figures.py``; it is not part of the package.

Needs a Chromium binary (Debian: ``apt-get install chromium``); :func:`find_chromium` says
whether there is one. Chromium runs with no network use of its own
(``--disable-background-networking``) and with virtual time, so pages settle deterministically.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """Path of a Chromium (or Chrome) binary on ``PATH``, or ``None``."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(url: str, extra: list[str], budget_ms: int, timeout: float) -> subprocess.CompletedProcess[str]:
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("no Chromium binary found; install one (Debian: apt-get install chromium).")
    with tempfile.TemporaryDirectory(prefix="routeopt-chromium-") as profile:
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
            f"--virtual-time-budget={budget_ms}", *extra, url,
        ]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)


def dump_dom(url: str, budget_ms: int = 5000, timeout: float = 120) -> str:
    """The page's DOM (as HTML) once its scripts have run for ``budget_ms`` of virtual time."""
    return _run(url, ["--dump-dom"], budget_ms, timeout).stdout


def screenshot(url: str, png: str | Path, size: tuple[int, int] = (1200, 900), budget_ms: int = 5000,
               timeout: float = 120) -> Path:
    """Save a screenshot of ``url`` (``file://…`` works) at ``size`` pixels to ``png``."""
    png = Path(png).absolute()
    _run(url, [f"--screenshot={png}", f"--window-size={size[0]},{size[1]}", "--hide-scrollbars"], budget_ms, timeout)
    if not png.exists():
        raise RuntimeError(f"Chromium wrote no screenshot to {png}.")
    return png
