"""The README's screenshots show screens, not blank pages."""

import io
import pathlib
import re

from PIL import Image
from screenshots import is_near_uniform

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_blank_page_is_refused():
    assert is_near_uniform(_png(Image.new("RGB", (1400, 757), "white")))
    grey_with_a_dot = Image.new("RGB", (1400, 757), (245, 245, 245))
    grey_with_a_dot.putpixel((700, 300), (0, 0, 0))
    assert is_near_uniform(_png(grey_with_a_dot))


def test_every_readme_screenshot_shows_a_screen():
    readme = (ROOT / "README.md").read_text()
    images = re.findall(r"!\[[^\]]*\]\((docs/screenshots/[^)]+\.png)\)", readme)
    assert "docs/screenshots/shared_inbox_dashboard.png" in images
    blank = [path for path in images if is_near_uniform((ROOT / path).read_bytes())]
    assert not blank, f"blank screenshots: {blank}"
