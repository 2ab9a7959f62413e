"""Figures: large PNGs re-encoded with an adaptive palette, then served as lossless WebP when
that is smaller; the theme's launch-button logos at the size they are drawn."""

from __future__ import annotations

import io
import re
from pathlib import Path


def shrink_images(html_root: Path, min_bytes: int = 20_000) -> tuple[int, int]:
    from PIL import Image

    before = after = 0
    for png in html_root.glob("_images/*.png"):
        size = png.stat().st_size
        before += size
        if size < min_bytes:
            after += size
            continue
        with Image.open(png) as im:
            pal = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
            buf = io.BytesIO()
            pal.save(buf, format="PNG", optimize=True)
        if buf.tell() < size:
            png.write_bytes(buf.getvalue())
        after += png.stat().st_size
    return before, after


def shrink_icons(html_root: Path, height: int = 48) -> tuple[int, int]:
    """The launch menu draws the Colab logo 1em high; the theme ships it at 225 x 225 px."""
    from PIL import Image

    before = after = 0
    for png in html_root.glob("_static/images/logo_*.png"):
        before += png.stat().st_size
        with Image.open(png) as im:
            if im.height > height:
                small = im.convert("RGBA").resize((round(im.width * height / im.height), height),
                                                  Image.Resampling.LANCZOS)
                buf = io.BytesIO()
                small.save(buf, format="PNG", optimize=True)
                png.write_bytes(buf.getvalue())
        after += png.stat().st_size
    return before, after


def webp_figures(html_root: Path, pages: list[Path]) -> tuple[int, int]:
    """Figures as lossless WebP (a fifth smaller than the palette PNG, the same pixels) when
    smaller; each page's references follow, and the PNG goes once no page names it."""
    from PIL import Image

    before = after = 0
    renamed: dict[str, str] = {}
    for png in sorted(html_root.glob("_images/*.png")):
        with Image.open(png) as im:
            buf = io.BytesIO()  # effort (method) 6 is a hundred times slower for 1% less
            im.save(buf, format="WEBP", lossless=True, quality=80, method=4)
        if buf.tell() < png.stat().st_size * 0.95:
            before += png.stat().st_size
            after += buf.tell()
            png.with_suffix(".webp").write_bytes(buf.getvalue())
            renamed[png.name] = png.with_suffix(".webp").name
    if not renamed:
        return before, after
    names = "|".join(re.escape(n) for n in renamed)
    ref = re.compile(rf"(_images/)({names})")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        new = ref.sub(lambda m: m.group(1) + renamed[m.group(2)], text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    for name in renamed:
        (html_root / "_images" / name).unlink()
    return before, after
