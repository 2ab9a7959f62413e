"""Bytes every page repeats: the whole book's navigation, highlighting markup that draws
nothing, indentation.

- The sidebar lists every module; only the current module's pages are listed under it (the
  stock sidebar carries every module's pages, hidden in closed <details>, ~10 KB a page).
  Every module stays one link away, and its own pages list its chapters.
- Pygments wraps every name and punctuation mark in a span whose colour is the code block's
  own colour, in the light and the dark theme alike: those spans are unwrapped.
- Runs of whitespace that hold a line break become one line break, outside <pre>, <textarea>,
  <script> and <style> (HTML renders both the same).
"""

from __future__ import annotations

import re
from pathlib import Path

from course.book.lighten.common import edit_pages

_L1 = re.compile(r'<li class="toctree-l1 has-children">')
_DETAILS = re.compile(r"<details\b|</details>")


def _details_end(text: str, start: int) -> int:
    """The index just past the </details> that closes the <details> at `start`."""
    depth = 0
    for m in _DETAILS.finditer(text, start):
        depth += 1 if m.group(0) != "</details>" else -1
        if depth == 0:
            return m.end()
    return -1


def collapse_nav(text: str) -> str:
    """Drop the hidden page lists of the modules other than the current one."""
    out, pos = [], 0
    for m in _L1.finditer(text):
        if m.start() < pos:
            continue
        close = text.find("</li>", m.end())
        start = text.find("<details", m.end(), close if close >= 0 else None)
        end = _details_end(text, start) if start >= 0 else -1
        if end < 0:
            continue
        out.append(text[pos:m.start()] + '<li class="toctree-l1">' + text[m.end():start])
        pos = end
    return "".join(out) + text[pos:]


def _base_colours(pygments_css: str) -> dict[str, str]:
    return dict(re.findall(r'(html\[data-theme="\w+"\]) \.highlight \{[^}]*?color: (#\w+)', pygments_css))


def plain_tokens(pygments_css: str) -> set[str]:
    """Token classes whose only style, in every theme, is the code block's own colour."""
    base = _base_colours(pygments_css)
    if not base:
        return set()
    styles: dict[str, set[str]] = {}
    for theme, token, body in re.findall(
            r'(html\[data-theme="\w+"\]) \.highlight \.([a-z0-9]+) \{([^}]*)\}', pygments_css):
        m = re.fullmatch(r"\s*color:\s*(#\w+)\s*;?\s*", body)
        ok = m is not None and base.get(theme, "").lower() == m.group(1).lower()
        styles.setdefault(token, set()).add("plain" if ok else "styled")
    return {t for t, s in styles.items() if s == {"plain"}}


def _code_colour(css: Path, pygments_css: str) -> None:
    """The theme colours <pre> text itself, over the code block's colour that the unwrapped
    tokens had: give the block's text that colour again (Pygments' own intent)."""
    rules = "".join(f"{theme} .highlight pre{{color:{colour}}}"
                    for theme, colour in sorted(_base_colours(pygments_css).items()))
    if rules not in pygments_css:
        css.write_text(pygments_css + rules, encoding="utf-8")


_PROTECTED = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S)


def squeeze_whitespace(text: str) -> str:
    parts = _PROTECTED.split(text)
    out = []
    for i in range(0, len(parts), 3):  # split() yields text, protected block, tag name, text...
        out.append(re.sub(r"[ \t]*\n\s*", "\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def slim_markup(html_root: Path) -> int:
    css = html_root / "_static" / "pygments.css"
    pygments_css = css.read_text(encoding="utf-8") if css.exists() else ""
    plain = plain_tokens(pygments_css)
    if plain:
        _code_colour(css, pygments_css)
    tokens = "|".join(sorted(plain))
    span = re.compile(rf'<span class="(?:{tokens})">([^<]*)</span>') if plain else None

    def edit(text: str, page: Path) -> str:
        text = collapse_nav(text)
        if span is not None:
            text = span.sub(r"\1", text)
        return squeeze_whitespace(text)

    return edit_pages(html_root, edit)
