"""Slim the built HTML for learners on slow or metered connections.

The stock sphinx-book-theme page loads about 2.4 MB, most of it an icon library (1.4 MB of
JavaScript plus 270 KB of fonts) and CSS rules no page uses. After `jupyter-book build`:

1. drop the Font Awesome JavaScript (the theme's CSS web font draws the same icons) and
   subset the icon fonts to the glyphs the pages use;
2. drop Thebe (live code cells are not offered; launch buttons are) and duplicate inline scripts,
   drop the copy-button, tab and toggle scripts from pages with nothing for them to act on,
   and swap Bootstrap's bundle for a small stand-in that drives the two menus;
3. load the search index only on the search page; render TeX as MathML (no MathJax CDN);
4. purge CSS rules whose classes or ids appear in no page and no script;
5. re-encode large PNG figures with an adaptive palette when that is smaller;
6. fix the theme's first-visit colour-mode error (`data-mode=""`) and name the icon-only
   sidebar toggles and citation lists so axe-core finds no serious WCAG 2.1 AA violation.

Every step is a small function over the output folder; each is safe to run twice.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import tinycss2

Log = Callable[[str], None]

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.S)
_LINK = re.compile(r"<link\b[^>]*>\s*")


def _pages(html_root: Path) -> list[Path]:
    return sorted(p for p in html_root.rglob("*.html") if "_static" not in p.parts)


def _edit_pages(html_root: Path, edit: Callable[[str, Path], str]) -> int:
    changed = 0
    for page in _pages(html_root):
        text = page.read_text(encoding="utf-8")
        new = edit(text, page)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


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
        if 'rel="icon"' not in text:  # no favicon request (and no 404) on every page
            text = text.replace("</head>", '<link rel="icon" href="data:,">\n</head>', 1)
        return text

    return _edit_pages(html_root, edit)


BOOTSTRAP_LITE = Path(__file__).parent / "assets" / "rta-bootstrap-lite.js"
_BOOTSTRAP = re.compile(r"scripts/bootstrap\.js(?:\?digest=[0-9a-f]+)?")


def replace_bootstrap(html_root: Path) -> int:
    """Load a 3 KB stand-in (the menus and the Tooltip API the theme calls) instead of
    Bootstrap's 81 KB bundle, which every page otherwise loads for two menus."""
    scripts = html_root / "_static" / "scripts"
    if not (scripts / "bootstrap.js").exists():
        return 0
    (scripts / BOOTSTRAP_LITE.name).write_bytes(BOOTSTRAP_LITE.read_bytes())
    return _edit_pages(html_root, lambda text, page: _BOOTSTRAP.sub(f"scripts/{BOOTSTRAP_LITE.name}", text))


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

    return _edit_pages(html_root, edit)


_TOKEN = re.compile(r"[.#](-?[A-Za-z_][\w-]*)")  # names may start with "-" (myst-nb's .-Color-Red)


_SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"?#]+)')


def used_names(html_root: Path) -> set[str]:
    """Class and id names in any page or in any script a page loads (scripts add classes at
    run time). Scripts no page loads (Bootstrap's bundle, once replaced) keep nothing alive."""
    names: set[str] = set()
    scripts: set[Path] = set()
    for page in _pages(html_root):
        text = page.read_text(encoding="utf-8")
        for attr in re.findall(r'(?:class|id)="([^"]*)"', text):
            names.update(attr.split())
        for src in _SCRIPT_SRC.findall(text):
            if "://" not in src:
                scripts.add((page.parent / src).resolve())
    for js in sorted(scripts):
        if js.name == "searchindex.js" or not js.exists():
            continue
        names.update(re.findall(r"[A-Za-z_][\w-]{1,40}", js.read_text(encoding="utf-8", errors="ignore")))
    return names


def _selector_used(selector: str, names: set[str]) -> bool:
    tokens = _TOKEN.findall(re.sub(r"\[[^\]]*\]|:[\w-]+\([^)]*\)", "", selector))
    return all(t in names for t in tokens)


def _purge_rules(rules: list, names: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            if not any(_selector_used(s, names) for s in selectors):
                continue
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer") \
                and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True)
            inner = _purge_rules(inner, names)
            if not inner:
                continue
            rule.content = tinycss2.parse_component_value_list(
                "".join(r.serialize() for r in inner))
        elif rule.type in ("whitespace", "comment"):
            continue
        kept.append(rule)
    return kept


_TTF_FALLBACK = re.compile(r',\s*url\([^)]*\.ttf\)\s*format\("truetype"\)')


def purge_css(html_root: Path, names: set[str] | None = None) -> tuple[int, int]:
    names = names if names is not None else used_names(html_root)
    before = after = 0
    for css in html_root.glob("_static/**/*.css"):
        text = _TTF_FALLBACK.sub("", css.read_text(encoding="utf-8"))
        rules = tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True)
        out = "".join(r.serialize() for r in _purge_rules(rules, names))
        before += len(text.encode())
        after += len(out.encode())
        css.write_text(out, encoding="utf-8")
    return before, after


def subset_icon_fonts(html_root: Path) -> tuple[int, int]:
    """Keep only the Font Awesome glyphs that the pages' `fa-*` classes draw."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    names = set()
    for page in _pages(html_root):
        names.update(re.findall(r"\bfa-([a-z0-9-]+)", page.read_text(encoding="utf-8")))
    codepoints: set[int] = set()
    for css in html_root.glob("_static/**/*.css"):
        text = css.read_text(encoding="utf-8")
        # minified theme CSS writes content:"\f0c9"; after a purge tinycss2 writes the character
        rule = r"([^{}]+)\{\s*content:\s*\"(\\[0-9a-f]+|[^\"])\"\s*;?\s*\}"
        for selectors, code in re.findall(rule, text):
            if names & set(re.findall(r"\.fa-([a-z0-9-]+):", selectors)):
                codepoints.add(int(code[1:], 16) if code.startswith("\\") else ord(code))
    before = after = 0
    for font in html_root.glob("_static/vendor/fontawesome/webfonts/*.woff2"):
        before += font.stat().st_size
        tt = TTFont(font)
        opts = subset.Options()
        opts.flavor = "woff2"
        opts.layout_features = ["*"]
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=codepoints or {0x20})
        sub.subset(tt)
        buf = io.BytesIO()
        tt.flavor = "woff2"
        tt.save(buf)
        font.write_bytes(buf.getvalue())
        after += font.stat().st_size
    return before, after


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


def lighten(html_root: Path, log: Log = print) -> None:
    pages = drop_scripts_and_links(html_root)
    log(f"lighten: scripts slimmed on {pages} pages")
    log(f"lighten: Bootstrap replaced by a 3 KB stand-in on {replace_bootstrap(html_root)} pages")
    log(f"lighten: MathML instead of MathJax on {math_to_mathml(html_root)} pages")
    b, a = subset_icon_fonts(html_root)
    log(f"lighten: icon fonts {b / 1024:.0f} KB -> {a / 1024:.0f} KB")
    b, a = purge_css(html_root)
    log(f"lighten: CSS {b / 1024:.0f} KB -> {a / 1024:.0f} KB")
    b, a = shrink_images(html_root)
    log(f"lighten: figures {b / 1024:.0f} KB -> {a / 1024:.0f} KB")
