"""The README's pictures exist, are PNG files the code made, and stay small."""

import re
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def test_every_picture_the_readme_shows_is_a_small_png():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert "docs/map.png" in pictures and "docs/gantt.png" in pictures
    for path in pictures:
        file = ROOT / path
        assert file.stat().st_size < 300 * 1024, path
        with Image.open(file) as image:
            assert image.format == "PNG" and image.width >= 600, path
