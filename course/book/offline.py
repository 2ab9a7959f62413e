"""The offline edition: a zip of the whole site and a PDF of the whole book.

The PDF needs no LaTeX: Jupyter Book's single-page HTML build (executions come from the same
cache) is printed by Chromium. A machine without a browser still gets the site and its zip:
the PDF is skipped with one line saying why and how to get it, and the pages stop linking to it.
"""

from __future__ import annotations

import re
from pathlib import Path

from course.archive import tree, write_zip
from course.book.webcheck import browser, chromium_available, chromium_path, serve
from course.paths import Layout

OFFLINE_DIR = "offline"
SITE_ZIP = "rta-mooc-site.zip"
BOOK_PDF = "rta-mooc-book.pdf"
# Pages mark the PDF link with this class (modules/m00_start/index.md) so it can be dropped.
PDF_LINK_CLASS = "rta-offline-pdf"
_PDF_ITEM = re.compile(rf'<li class="{PDF_LINK_CLASS}">.*?</li>\s*', re.S)


class PdfUnavailable(Exception):
    """No browser to print the PDF with; the message says how to get one."""


def site_zip(html_root: Path) -> Path:
    out = html_root / OFFLINE_DIR / SITE_ZIP
    out.parent.mkdir(exist_ok=True)
    write_zip(out, tree(html_root, "rta-mooc",
                        keep=lambda rel: rel.parts[0] != OFFLINE_DIR and rel.suffix != ".map"),
              compresslevel=9)
    return out


def pdf_unavailable() -> str | None:
    """Why the PDF cannot be printed here, with the fix; None when a browser is available."""
    if chromium_available():
        return None
    return (f"no Chromium at {chromium_path()}. Install it (Debian/Ubuntu: `sudo apt-get install "
            "chromium`; `make book` does this when it may) or point RTA_CHROMIUM at a Chromium or "
            "Google Chrome executable, then run `rta build` again")


def book_pdf(layout: Layout, singlehtml_root: Path) -> Path:
    reason = pdf_unavailable()
    if reason:
        raise PdfUnavailable(reason)
    from playwright.sync_api import Error as PlaywrightError

    out = layout.build / "html" / OFFLINE_DIR / BOOK_PDF
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with serve(singlehtml_root) as base, browser() as b:
            page = b.new_page()
            page.goto(base + "index.html", wait_until="networkidle")
            page.emulate_media(media="print")
            page.pdf(path=str(out), format="A4", print_background=True,
                     margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
    except PlaywrightError as exc:  # a browser that is there but cannot start (missing libraries)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PdfUnavailable(f"{chromium_path()} did not start ({first}); fix the browser or set "
                             "RTA_CHROMIUM to one that starts, then run `rta build` again") from None
    return out


def drop_pdf_links(html_root: Path) -> list[Path]:
    """Remove the links to a PDF that was not built, so no page points at a missing file.
    Returns the pages changed."""
    changed = []
    for page in html_root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if PDF_LINK_CLASS in text:
            page.write_text(_PDF_ITEM.sub("", text), encoding="utf-8")
            changed.append(page)
    stale = html_root / OFFLINE_DIR / BOOK_PDF
    stale.unlink(missing_ok=True)
    return changed
