"""Slim the built HTML for learners on slow or metered connections.

The stock sphinx-book-theme page loads about 2.4 MB, most of it an icon library (1.4 MB of
JavaScript plus 270 KB of fonts) and CSS rules no page uses. After `jupyter-book build`:

1. drop the Font Awesome JavaScript (the theme's CSS web font draws the same icons) and
   subset the icon fonts to the glyphs the pages use;
2. drop Thebe (live code cells are not offered; launch buttons are) and duplicate inline scripts,
   drop the copy-button, tab and toggle scripts from pages with nothing for them to act on,
   and swap Bootstrap's bundle and clipboard.js for small stand-ins (`scripts`);
3. load the search index only on the search page; render TeX as MathML (no MathJax CDN);
4. list only the current module's pages in the sidebar, unwrap highlighting spans that draw
   nothing, drop indentation (`markup`);
5. purge CSS rules, custom properties and keyframes nothing uses; minify the sheets (`css`);
6. re-encode large PNG figures with an adaptive palette, then as lossless WebP, when that is
   smaller; launch-button logos at the size they are drawn (`images`);
7. fix the theme's first-visit colour-mode error (`data-mode=""`) and name the icon-only
   sidebar toggles and citation lists so axe-core finds no serious WCAG 2.1 AA violation.

Every step is a small function over the output folder; each is safe to run twice, on stock
pages or on pages an earlier version slimmed (an incremental build rewrites only some).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from course.book.lighten.common import Log, pages
from course.book.lighten.css import purge_css, subset_icon_fonts, used_names
from course.book.lighten.images import shrink_icons, shrink_images, webp_figures
from course.book.lighten.markup import slim_markup
from course.book.lighten.scripts import (
    drop_scripts_and_links,
    math_to_mathml,
    replace_bootstrap,
    replace_clipboard,
)

__all__ = ["VERSION", "lighten", "purge_css", "used_names"]


def _version() -> str:
    """Changes whenever the slimming code or its assets do: the build's cache of slimmed files
    is kept per version, so a changed step is never skipped by a stale cache hit."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for f in sorted([*here.glob("*.py"), *(here.parent / "assets").glob("*")]):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


VERSION = _version()


def lighten(html_root: Path, log: Log = print) -> None:
    log(f"lighten: scripts slimmed on {drop_scripts_and_links(html_root)} pages")
    log(f"lighten: Bootstrap replaced by a 3 KB stand-in on {replace_bootstrap(html_root)} pages")
    log(f"lighten: clipboard.js replaced by a 2 KB stand-in on {replace_clipboard(html_root)} pages")
    log(f"lighten: MathML instead of MathJax on {math_to_mathml(html_root)} pages")
    log(f"lighten: navigation and markup slimmed on {slim_markup(html_root)} pages")
    b, a = subset_icon_fonts(html_root)
    log(f"lighten: icon fonts {b / 1024:.0f} KB -> {a / 1024:.0f} KB")
    b, a = purge_css(html_root)
    log(f"lighten: CSS {b / 1024:.0f} KB -> {a / 1024:.0f} KB")
    b, a = shrink_images(html_root)
    log(f"lighten: figures {b / 1024:.0f} KB -> {a / 1024:.0f} KB")
    b, a = webp_figures(html_root, pages(html_root))
    log(f"lighten: figures as WebP {b / 1024:.0f} KB -> {a / 1024:.0f} KB")
    b, a = shrink_icons(html_root)
    log(f"lighten: launch logos {b / 1024:.0f} KB -> {a / 1024:.0f} KB")
