"""Scripts and markup the theme ships that the pages do not need: Font Awesome's JavaScript,
Thebe, duplicate inline scripts, scripts on pages with nothing for them to act on, Bootstrap's
bundle (a 3 KB stand-in drives the two menus), MathJax (TeX rendered as MathML); plus the
theme's first-visit colour-mode error and names for icon-only controls (axe-core)."""

from __future__ import annotations

import re
from pathlib import Path

from course.book.lighten.common import edit_pages

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.S)
_LINK = re.compile(r"<link\b[^>]*>\s*")


_HIGHLIGHT = re.compile(r'<script src="([^"]*sphinx_highlight\.js[^"]*)"></script>')


def _lazy_highlight(m: re.Match[str]) -> str:
    """Sphinx's search-term highlighter (5 KB) is loaded only when a search result was just
    followed (it reads the terms from localStorage or `?highlight=`)."""
    return ('<script>if(localStorage.getItem("sphinx_highlight_terms")||/[?&]highlight=/'
            '.test(location.search)){const s=document.createElement("script");'
            f's.src="{m.group(1)}";document.head.append(s)}}</script>')


def drop_scripts_and_links(html_root: Path) -> int:
    """Thebe, Font Awesome JS, duplicate inline scripts; search scripts off non-search pages."""

    def edit(text: str, page: Path) -> str:
        seen: set[str] = set()
        is_search = page.name == "search.html"
        elements = [set(attr.split()) for attr in re.findall(r'class="([^"]*)"', text)]
        classes = set().union(*elements)
        # scripts that only act on what some pages have: copy buttons on code blocks, tabs,
        # toggles (sphinx-togglebutton's selector: .toggle, .admonition.dropdown), quizzes
        unused = {"clipboard.min.js": "highlight" in classes, "copybutton.js": "highlight" in classes,
                  "design-tabs.js": "sd-tab-set" in classes, "quiz.js": "rta-quiz" in classes,
                  "togglebutton.js": any("toggle" in e or {"admonition", "dropdown"} <= e
                                         for e in elements)}

        def script(m: re.Match[str]) -> str:
            tag = m.group(0)
            if ("fontawesome.js" in tag or "sphinx-thebe" in tag or "THEBE_JS_URL" in tag
                    or "text/x-thebe-config" in tag):
                return ""
            if not is_search and any(s in tag for s in ("searchtools.js", "language_data.js",
                                                        "searchindex.js")):
                return ""
            if any(s in tag for s, needed in unused.items() if not needed):
                return ""
            body = tag.strip()
            if "src=" not in tag.split(">", 1)[0]:
                if body in seen:
                    return ""
                seen.add(body)
            return tag

        def link(m: re.Match[str]) -> str:
            return "" if "sphinx-thebe.css" in m.group(0) else m.group(0)

        text = _SCRIPT.sub(script, text)
        if not is_search:
            text = _HIGHLIGHT.sub(_lazy_highlight, text)
        text = _LINK.sub(link, text)
        # First visit: the theme reads "" from localStorage and logs an error; default to light.
        text = text.replace('localStorage.getItem("mode") || ""', 'localStorage.getItem("mode") || "light"')
        text = text.replace('localStorage.getItem("theme") || ""', 'localStorage.getItem("theme") || "light"')
        # The sidebar's expand toggles are icon-only: give them a name screen readers can say.
        text = text.replace('<summary><span class="toctree-toggle" role="presentation">',
                            '<summary aria-label="Show or hide the pages of this section">'
                            '<span class="toctree-toggle" role="presentation">')
        # sphinxcontrib-bibtex marks the citation list role="list" but not its items
        text = text.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
        if 'rel="icon"' not in text:  # no favicon request (and no 404) on every page, the
            icon = '<link rel="icon" href="data:,">\n'  # head-less root redirect included
            text = text.replace("</head>", icon + "</head>", 1) if "</head>" in text else icon + text
        return text

    return edit_pages(html_root, edit)


ASSETS = Path(__file__).parents[1] / "assets"
BOOTSTRAP_LITE = ASSETS / "rta-bootstrap-lite.js"
CLIPBOARD_LITE = ASSETS / "rta-clipboard-lite.js"
_CLIPBOARD = re.compile(r"_static/clipboard\.min\.js(?:\?v=[0-9a-f]+)?")
_BOOTSTRAP = re.compile(r"scripts/bootstrap\.js(?:\?digest=[0-9a-f]+)?")


def replace_bootstrap(html_root: Path) -> int:
    """Load a 3 KB stand-in (the menus and the Tooltip API the theme calls) instead of
    Bootstrap's 81 KB bundle, which every page otherwise loads for two menus."""
    scripts = html_root / "_static" / "scripts"
    if not (scripts / "bootstrap.js").exists():
        return 0
    (scripts / BOOTSTRAP_LITE.name).write_bytes(BOOTSTRAP_LITE.read_bytes())
    return edit_pages(html_root, lambda text, page: _BOOTSTRAP.sub(f"scripts/{BOOTSTRAP_LITE.name}", text))


def replace_clipboard(html_root: Path) -> int:
    """Copy buttons: a 2 KB stand-in (the one constructor and two events sphinx-copybutton
    uses) instead of clipboard.js's 9 KB, on every page with code."""
    static = html_root / "_static"
    if not (static / "clipboard.min.js").exists():
        return 0
    (static / CLIPBOARD_LITE.name).write_bytes(CLIPBOARD_LITE.read_bytes())
    return edit_pages(html_root, lambda text, page: _CLIPBOARD.sub(f"_static/{CLIPBOARD_LITE.name}", text))


_INLINE_MATH = re.compile(r'<span class="math notranslate nohighlight">\\\((.*?)\\\)</span>', re.S)
_BLOCK_MATH = re.compile(
    r'<div class="math notranslate nohighlight"(?: id="[^"]*")?>\s*\\\[(.*?)\\\]\s*</div>', re.S)


def math_to_mathml(html_root: Path) -> int:
    """Render TeX as MathML (drawn natively by browsers) and drop the MathJax CDN script, so
    pages with equations stay light and work offline."""
    import html as htmllib

    from latex2mathml.converter import convert

    def tex(m: re.Match[str]) -> str:
        return htmllib.unescape(m.group(1)).strip()

    def edit(text: str, page: Path) -> str:
        if "math notranslate" not in text and "mathjax" not in text:
            return text
        text = _INLINE_MATH.sub(lambda m: convert(tex(m)), text)
        text = _BLOCK_MATH.sub(lambda m: '<div class="math">' + convert(tex(m), display="block")
                               + "</div>", text)
        return _SCRIPT.sub(lambda m: "" if "mathjax" in m.group(0).lower() else m.group(0), text)

    return edit_pages(html_root, edit)
