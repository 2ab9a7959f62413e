"""The offline edition: a zip of the whole site and a PDF of the whole book.

The PDF needs no LaTeX: Jupyter Book's single-page HTML build (executions come from the same
cache) is printed by Debian's Chromium.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .paths import Layout
from .webcheck import browser, serve

OFFLINE_DIR = "offline"
SITE_ZIP = "rta-mooc-site.zip"
BOOK_PDF = "rta-mooc-book.pdf"


def site_zip(html_root: Path) -> Path:
    out = html_root / OFFLINE_DIR / SITE_ZIP
    out.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for f in sorted(html_root.rglob("*")):
            rel = f.relative_to(html_root)
            if f.is_file() and rel.parts[0] != OFFLINE_DIR and not f.name.endswith(".map"):
                zf.write(f, Path("rta-mooc") / rel)
    return out


def book_pdf(layout: Layout, singlehtml_root: Path) -> Path:
    out = layout.build / "html" / OFFLINE_DIR / BOOK_PDF
    out.parent.mkdir(parents=True, exist_ok=True)
    with serve(singlehtml_root) as base, browser() as b:
        page = b.new_page()
        page.goto(base + "index.html", wait_until="networkidle")
        page.emulate_media(media="print")
        page.pdf(path=str(out), format="A4", print_background=True,
                 margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
    return out
