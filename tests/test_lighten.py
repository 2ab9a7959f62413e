"""course.book.lighten on small hand-made sites: what each step keeps and what it drops."""

from __future__ import annotations

from pathlib import Path

from course.book.lighten.css import purge_css
from course.book.lighten.images import webp_figures
from course.book.lighten.markup import collapse_nav, plain_tokens, slim_markup, squeeze_whitespace


def _site(tmp_path: Path, page: str, css: str, js: str = "") -> Path:
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "theme.css").write_text(css, encoding="utf-8")
    (tmp_path / "_static" / "theme.js").write_text(js, encoding="utf-8")
    script = '<script src="_static/theme.js"></script>' if js else ""
    (tmp_path / "index.html").write_text(f"<html><head>{script}</head><body>{page}</body></html>",
                                         encoding="utf-8")
    return tmp_path


def test_purge_keeps_a_selector_list_inside_not_and_drops_unused_parts(tmp_path: Path) -> None:
    css = ("html[data-theme=dark] img:not(.only-dark,.dark-light){filter:brightness(.8)}"
           ".used,.unused{color:red}.gone{color:blue}progress{height:1em}")
    js = "document.documentElement.dataset.theme = 'dark'"  # as the theme's inline script does
    site = _site(tmp_path, '<img class="used" src="x.png">', css, js)
    purge_css(site)
    out = (site / "_static" / "theme.css").read_text()
    assert "img:not(.only-dark,.dark-light){filter:brightness(.8)}" in out  # dark-mode dimming
    assert ".used{color:red}" in out
    assert ".unused" not in out and ".gone" not in out and "progress" not in out


def test_purge_drops_unread_custom_properties_and_unknown_data_attributes(tmp_path: Path) -> None:
    css = (":root{--a:1px;--b:var(--c);--c:2px;--unread:3px;--chain:var(--only-by-chain)}"
           ":root{--only-by-chain:4px}"
           "body{margin:var(--a);padding:var(--b)}"
           "[data-bs-theme=dark]{color:white}html[data-theme=dark]{color:black}")
    js = "document.documentElement.dataset.theme = 'dark'; el.style.getPropertyValue('--js-read')"
    site = _site(tmp_path, "<p>text</p>", css + ":root{--js-read:5px}", js)
    purge_css(site)
    out = (site / "_static" / "theme.css").read_text()
    assert "--a:1px" in out and "--b:var(--c)" in out and "--c:2px" in out and "--js-read:5px" in out
    assert "--unread" not in out and "--chain" not in out and "--only-by-chain" not in out
    assert "data-bs-theme" not in out  # no page or script sets it
    assert "html[data-theme=dark]{color:black}" in out  # scripts set it through dataset.theme


_NAV = (
    '<li class="toctree-l1 has-children"><a href="m1/index.html">Module 1</a><details>'
    '<summary><span class="toctree-toggle"></span></summary><ul>'
    '<li class="toctree-l2"><a href="m1/01.html">One</a></li></ul>\n</details></li>'
    '<li class="toctree-l1 current active has-children"><a href="index.html">Module 2</a>'
    '<details open="open"><summary></summary><ul class="current">'
    '<li class="toctree-l2 current active"><a href="#">Two</a></li></ul></details></li>'
)


def test_sidebar_lists_only_the_current_modules_pages() -> None:
    out = collapse_nav(_NAV)
    assert '<li class="toctree-l1"><a href="m1/index.html">Module 1</a></li>' in out
    assert "m1/01.html" not in out
    assert '<a href="#">Two</a>' in out and out.count("<details") == 1
    assert collapse_nav(out) == out


_PYGMENTS = (
    'html[data-theme="light"] .highlight { background: #fefefe; color: #080808 }\n'
    'html[data-theme="light"] .highlight .n { color: #080808 }\n'
    'html[data-theme="light"] .highlight .k { color: #6730C5 }\n'
    'html[data-theme="dark"] .highlight { background: #2b2b2b; color: #F8F8F2 }\n'
    'html[data-theme="dark"] .highlight .n { color: #F8F8F2 }\n'
    'html[data-theme="dark"] .highlight .k { color: #DCC6E0 }\n'
)


def test_plain_highlight_spans_are_unwrapped_and_keep_their_colour(tmp_path: Path) -> None:
    assert plain_tokens(_PYGMENTS) == {"n"}
    page = ('<div class="highlight"><pre><span class="k">def</span> <span class="n">f</span>'
            '</pre></div>\n    <p>\n      text</p>')
    site = _site(tmp_path, page, "")
    (site / "_static" / "pygments.css").write_text(_PYGMENTS, encoding="utf-8")
    slim_markup(site)
    html = (site / "index.html").read_text()
    assert '<span class="k">def</span> f</pre>' in html and "\n<p>\ntext</p>" in html
    css = (site / "_static" / "pygments.css").read_text()
    assert 'html[data-theme="light"] .highlight pre{color:#080808}' in css
    assert 'html[data-theme="dark"] .highlight pre{color:#F8F8F2}' in css


def test_whitespace_inside_pre_and_script_is_kept() -> None:
    text = "<p>a\n   b</p><pre>x\n    y</pre><script>if (a)\n    b()</script>"
    assert squeeze_whitespace(text) == "<p>a\nb</p><pre>x\n    y</pre><script>if (a)\n    b()</script>"


def test_figures_become_webp_and_pages_follow(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    (tmp_path / "_images").mkdir()
    im = Image.new("RGB", (320, 200), "white")
    draw = ImageDraw.Draw(im)
    for i in range(0, 320, 20):
        draw.rectangle((i, 200 - i // 2, i + 12, 200), fill=(0, 114, 178))
    im.save(tmp_path / "_images" / "fig.png")  # an unoptimised PNG, as matplotlib writes
    page = tmp_path / "page.html"
    page.write_text('<img alt="A bar chart" src="_images/fig.png">', encoding="utf-8")
    before, after = webp_figures(tmp_path, [page])
    assert 0 < after < before
    assert page.read_text() == '<img alt="A bar chart" src="_images/fig.webp">'
    assert not (tmp_path / "_images" / "fig.png").exists()
    with Image.open(tmp_path / "_images" / "fig.webp") as webp:
        assert webp.convert("RGB").tobytes() == im.tobytes()  # lossless


def test_every_page_gets_an_icon_so_no_favicon_request_404s(tmp_path: Path) -> None:
    """Chromium asks for /favicon.ico on a page without one; the root redirect has no <head>."""
    from course.book.lighten.scripts import drop_scripts_and_links

    (tmp_path / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=m/index.html" />\n')
    (tmp_path / "page.html").write_text("<html><head><title>t</title></head><body></body></html>")
    drop_scripts_and_links(tmp_path)
    for name in ("index.html", "page.html"):
        assert (tmp_path / name).read_text().count('rel="icon"') == 1, name
