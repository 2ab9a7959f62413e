"""The theme's CSS cut to what the pages use, and its icon fonts cut to the glyphs they draw.

A rule survives when one of its selectors can match: every class and id it names appears in
some page or in a script a page loads (scripts add classes at run time), every element type
it names appears in a page or a script, and no `data-*` attribute it requires is unknown to
every page and script. Then custom properties that nothing reads (`var(--x)`, scripts, pages)
and keyframes that no animation names are dropped, repeatedly, since a dropped declaration
may have been the only reader of another. The sheets are written back minified.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2

from course.book.lighten.common import pages

_TOKEN = re.compile(r"[.#](-?[A-Za-z_][\w-]*)")  # names may start with "-" (myst-nb's .-Color-Red)
_SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"?#]+)')
_WORD = re.compile(r"[A-Za-z_][\w-]{1,40}")
_FUNC = re.compile(r":[\w-]+\((?:[^()]|\([^()]*\))*\)")  # :not(...), :has(:is(...)): never required
_ATTR = re.compile(r"\[\s*([\w-]+)[^\]]*\]")
_PSEUDO = re.compile(r"::?[\w-]+")
_VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
_CUSTOM = re.compile(r"--[A-Za-z_][\w-]*")
# Names the theme's scripts use only for features no page of this book has (the version
# switcher, the announcement banner, Bootstrap's tooltips, which the stand-in never draws):
# they keep rules alive only when a page carries them itself.
_ABSENT_FEATURES = ("version-switcher", "list-group", "bd-header-announcement",
                    "bd-header-version-warning", "pst-button-link-to-stable-version", "tooltip",
                    "bs-tooltip")
_TTF_FALLBACK = re.compile(r',\s*url\([^)]*\.ttf\)\s*format\("truetype"\)')


@dataclass
class Used:
    """What the site can match: class and id names, element types, every word of every page
    and loaded script (for `data-*` attributes and custom properties scripts may read)."""
    names: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    custom: set[str] = field(default_factory=set)


def _loaded_scripts(html_root: Path, texts: list[tuple[Path, str]]) -> list[str]:
    scripts: set[Path] = set()
    for page, text in texts:
        for src in _SCRIPT_SRC.findall(text):
            if "://" not in src:
                scripts.add((page.parent / src).resolve())
    # the search index holds words, not class names; scripts no page loads keep nothing alive
    return [js.read_text(encoding="utf-8", errors="ignore") for js in sorted(scripts)
            if js.name != "searchindex.js" and js.exists()]


def used(html_root: Path) -> Used:
    u = Used()
    texts = [(p, p.read_text(encoding="utf-8")) for p in pages(html_root)]
    for _, text in texts:
        for attr in re.findall(r'(?:class|id)="([^"]*)"', text):
            u.names.update(attr.split())
        u.tags.update(t.lower() for t in re.findall(r"<([A-Za-z][\w-]*)", text))
        u.words.update(_WORD.findall(text))
        u.custom.update(_CUSTOM.findall(text))
    in_pages = set(u.names)
    for js in _loaded_scripts(html_root, texts):
        words = set(_WORD.findall(js))
        u.names.update(w for w in words if w in in_pages or not w.startswith(_ABSENT_FEATURES))
        u.tags.update(w.lower() for w in words)
        u.words.update(words)
        u.custom.update(_CUSTOM.findall(js))
    return u


def used_names(html_root: Path) -> set[str]:
    return used(html_root).names


def _camel(attr: str) -> str:  # data-bs-theme -> bsTheme, as scripts reach it via dataset
    head, *rest = attr[5:].split("-")
    return head + "".join(p.capitalize() for p in rest)


def _selector_used(selector: str, u: Used) -> bool:
    outer = _FUNC.sub("", selector)
    for attr in _ATTR.findall(outer):
        if attr.startswith("data-") and attr not in u.words and _camel(attr) not in u.words:
            return False
    bare = _PSEUDO.sub("", _ATTR.sub("", outer))
    if not all(t in u.names for t in _TOKEN.findall(bare)):
        return False
    for compound in re.split(r"[\s>+~]+", bare):
        tag = re.match(r"[A-Za-z][\w-]*", compound)
        if tag and tag.group(0).lower() not in u.tags:
            return False
    return True


# --- a small tree of the sheet: rules (selectors, declarations) and blocks (@media) ---------

@dataclass
class Rule:
    selectors: list[str]
    decls: list[tuple[str, str]]  # (property, value with any !important)


@dataclass
class Block:
    head: str  # "@media (max-width:959.98px)"
    body: list[Rule | Block | str]


Node = Rule | Block | str  # str: an at-rule kept as written (@font-face, @keyframes, @charset)


def _squeeze(tokens: list) -> str:
    return "".join(" " if t.type in ("whitespace", "comment") else t.serialize() for t in tokens).strip()


def _split_selectors(prelude: list) -> list[str]:
    """Top-level commas only: `:not(.a,.b)` is one selector."""
    parts: list[list] = [[]]
    for t in prelude:
        if t.type == "literal" and t.value == ",":
            parts.append([])
        else:
            parts[-1].append(t)
    return [s for s in (_squeeze(p) for p in parts) if s]


def _decls(content: list) -> list[tuple[str, str]] | None:
    """The declarations, or None when the block holds anything else (nesting, a parse error):
    such a rule is kept exactly as written."""
    out = []
    for d in tinycss2.parse_declaration_list(content, skip_whitespace=True, skip_comments=True):
        if d.type != "declaration":
            return None
        value = _squeeze(d.value) or " "  # `--x: ;` is a valid, empty custom property
        out.append((d.name, value + ("!important" if d.important else "")))
    return out


def parse(text: str) -> list[Node]:
    return _tree(tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True))


def _tree(rules: list) -> list[Node]:
    nodes: list[Node] = []
    for r in rules:
        if r.type == "qualified-rule":
            decls = _decls(r.content or [])
            nodes.append(r.serialize() if decls is None else Rule(_split_selectors(r.prelude), decls))
        elif r.type == "at-rule" and r.lower_at_keyword in ("media", "supports", "layer") \
                and r.content is not None:
            inner = tinycss2.parse_rule_list(r.content, skip_whitespace=True, skip_comments=True)
            nodes.append(Block(f"@{r.at_keyword} {_squeeze(r.prelude)}", _tree(inner)))
        elif r.type == "at-rule":
            nodes.append(r.serialize())
    return nodes


def serialize(nodes: list[Node]) -> str:
    out = []
    for n in nodes:
        if isinstance(n, Rule):
            out.append(",".join(n.selectors) + "{" + ";".join(f"{k}:{v}" for k, v in n.decls) + "}")
        elif isinstance(n, Block):
            out.append(n.head + "{" + serialize(n.body) + "}")
        else:
            out.append(n)
    return "".join(out)


# --- the purges -----------------------------------------------------------------------------

def _prune(nodes: list[Node], keep_rule: Callable[[Rule], bool],
           keep_raw: Callable[[str], bool] = lambda raw: True) -> list[Node]:
    kept: list[Node] = []
    for n in nodes:
        if isinstance(n, Block):
            n.body = _prune(n.body, keep_rule, keep_raw)
            if n.body:
                kept.append(n)
        elif isinstance(n, Rule):
            if keep_rule(n) and n.decls:
                kept.append(n)
        elif keep_raw(n):
            kept.append(n)
    return kept


def _selectors(u: Used) -> Callable[[Rule], bool]:
    def keep(rule: Rule) -> bool:
        rule.selectors = [s for s in rule.selectors if _selector_used(s, u)]
        return bool(rule.selectors)
    return keep


def _readers(sheets: dict[Path, list[Node]], u: Used) -> tuple[set[str], set[str]]:
    """Custom properties read anywhere (var() in a sheet, any mention in a page or script), and
    the names animations use."""
    text = "".join(serialize(nodes) for nodes in sheets.values())
    animations = set()
    for value in re.findall(r"[;{](?:-webkit-)?animation(?:-name)?:([^;}]*)", text):
        animations.update(_WORD.findall(value))
    animations |= u.names  # a script may start one by name
    return set(_VAR_USE.findall(text)) | u.custom, animations


def _unread_properties(sheets: dict[Path, list[Node]], u: Used) -> bool:
    read, animations = _readers(sheets, u)
    changed = False

    def keep_rule(rule: Rule) -> bool:
        nonlocal changed
        decls = [(k, v) for k, v in rule.decls if not k.startswith("--") or k in read]
        changed |= len(decls) != len(rule.decls)
        rule.decls = decls
        return True

    def keep_raw(raw: str) -> bool:
        nonlocal changed
        m = re.match(r"@(?:-webkit-)?keyframes\s+([\w-]+)", raw)
        if m and m.group(1) not in animations:
            changed = True
            return False
        return True

    for css, nodes in sheets.items():
        sheets[css] = _prune(nodes, keep_rule, keep_raw)
    return changed


def purge_css(html_root: Path, u: Used | None = None) -> tuple[int, int]:
    u = u if u is not None else used(html_root)
    sheets: dict[Path, list[Node]] = {}
    before = after = 0
    for css in sorted(html_root.glob("_static/**/*.css")):
        text = _TTF_FALLBACK.sub("", css.read_text(encoding="utf-8"))
        before += len(text.encode())
        sheets[css] = _prune(parse(text), _selectors(u))
    while _unread_properties(sheets, u):
        pass
    for css, nodes in sheets.items():
        out = serialize(nodes)
        after += len(out.encode())
        css.write_text(out, encoding="utf-8")
    return before, after


def subset_icon_fonts(html_root: Path) -> tuple[int, int]:
    """Keep only the Font Awesome glyphs that the pages' `fa-*` classes draw."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    names = set()
    for page in pages(html_root):
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
