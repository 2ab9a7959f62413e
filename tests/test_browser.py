"""The built book in Debian's Chromium: every page loads cleanly, search works, buttons point
at real files, quizzes answer, axe-core finds no serious WCAG 2.1 AA violation, pages are light.

Screenshots of the start page, one chapter and one exercise page go to test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from course.book.webcheck import browser, chromium_available, html_pages, load, serve

from .conftest import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group(name="book"),
    pytest.mark.skipif(not chromium_available(), reason="Debian chromium not installed: run `make test`"),
]
ARTIFACTS = ROOT / "test-artifacts"
BUDGET_KB = 250  # first load of any page, uncompressed (issue 11; median 181 KB, max 242 KB on 2026-12-02)
AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


@pytest.fixture(scope="module")
def site(built_book):
    with serve(built_book) as base, browser() as b:
        ctx = b.new_context(viewport={"width": 1280, "height": 900})
        yield base, ctx, built_book
        ctx.close()


@pytest.fixture(scope="module")
def visits(site):
    """One visit per page: network, console and the axe-core audit (WCAG 2.1 A and AA)."""
    base, ctx, root = site
    script = AXE.read_text(encoding="utf-8")
    return {rel: load(ctx, base + rel, audit_script=script) for rel in _rel_pages(root)}


def _rel_pages(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in html_pages(root)]


def test_every_page_loads_without_errors_and_within_budget(visits) -> None:
    problems = []
    for rel, r in visits.items():
        if r.console_errors:
            problems.append(f"{rel}: console errors {r.console_errors}")
        if r.failed:
            problems.append(f"{rel}: failed requests {r.failed}")
        if r.bytes_external_requested:
            problems.append(f"{rel}: external requests {r.bytes_external_requested[:3]}")
        if r.bytes_local > BUDGET_KB * 1024:
            problems.append(f"{rel}: {r.bytes_local / 1024:.0f} KB > {BUDGET_KB} KB")
    assert not problems, "\n".join(problems)


def test_no_broken_internal_link_or_image(site) -> None:
    base, ctx, root = site
    broken = []
    for page in html_pages(root):
        text = page.read_text(encoding="utf-8")
        for attr, target in re.findall(r'(href|src)="([^"#?]+)[^"]*"', text):
            if urlparse(target).scheme or target.startswith(("mailto:", "data:", "//")):
                continue
            path = (page.parent / unquote(target)).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(root)}: {attr}={target}")
    assert not broken, "\n".join(broken[:50])


def test_search_finds_child_labour(site) -> None:
    base, ctx, _ = site
    page = ctx.new_page()
    page.goto(base + "search.html?q=child+labour", wait_until="networkidle")
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    assert page.locator("#search-results ul.search li").count() >= 3
    page.close()


def test_search_result_page_highlights_the_terms(site) -> None:
    """lighten loads Sphinx's highlighter only after a search: a followed result still marks
    the terms, a plain visit does not load it."""
    base, ctx, _ = site
    page = ctx.new_page()
    page.goto(base + "search.html?q=capture", wait_until="networkidle")
    page.locator("#search-results ul.search li a").first.click()
    page.wait_for_selector("span.highlighted", timeout=20_000)
    page.goto(base + "modules/m06_mse/index.html", wait_until="networkidle")
    assert page.evaluate("typeof SphinxHighlight") == "undefined"
    page.close()


def test_download_and_launch_buttons_point_at_existing_files(site) -> None:
    base, ctx, root = site
    checked = 0
    for rel in _rel_pages(root):
        text = (root / rel).read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+\.(?:ipynb|md|zip))"', text):
            url = urljoin(base + rel, href)
            if urlparse(url).netloc == urlparse(base).netloc:
                assert (root / urlparse(url).path.lstrip("/")).exists(), f"{rel}: {href}"
                checked += 1
        for href in re.findall(r'href="(https://(?:mybinder\.org|colab\.research\.google\.com)[^"]+)"', text):
            # the launch target is a path in the repository (plus generated student notebooks)
            target = unquote(href).replace("&amp;", "&")
            m = re.search(r"(?:urlpath=(?:lab/)?tree/|blob/[^/]+/)([^&\"]+)", target)
            assert m, href
            assert (ROOT / m.group(1)).exists(), f"{rel}: launch target {m.group(1)} missing"
            checked += 1
    assert checked > 10


def test_quiz_gives_feedback(site) -> None:
    base, ctx, root = site
    pages = [r for r in _rel_pages(root) if 'data-kind="single"' in (root / r).read_text(encoding="utf-8")]
    assert pages, "no page has a self-check quiz"
    page = ctx.new_page()
    page.goto(base + pages[0], wait_until="networkidle")
    quiz = page.locator("fieldset.rta-quiz[data-kind=single]").first
    quiz.locator(".rta-quiz-check").click()
    assert "Choose an answer" in quiz.locator(".rta-quiz-result").inner_text()
    quiz.locator("input[data-correct=false]").first.check()
    quiz.locator(".rta-quiz-check").click()
    assert "Not quite" in quiz.locator(".rta-quiz-result").inner_text()
    quiz.locator("input[data-correct=true]").check()
    quiz.locator(".rta-quiz-check").click()
    assert "Correct" in quiz.locator(".rta-quiz-result").inner_text()
    page.close()


def test_menus_and_dark_mode_work_without_bootstrap(site) -> None:
    """lighten swaps Bootstrap's bundle for a small stand-in: the download and launch menus
    still open and close (mouse and keyboard) and dark mode switches, with no script error."""
    base, ctx, root = site
    exercise = next(r for r in _rel_pages(root) if r.startswith("_generated/exercises/"))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + exercise, wait_until="networkidle")
    assert "bootstrap.js" not in page.content()
    for menu in ("dropdown-download-buttons", "dropdown-launch-buttons"):
        button = page.locator(f".{menu} > button")
        items = page.locator(f".{menu} .dropdown-menu")
        assert not items.is_visible()
        button.click()
        assert items.is_visible() and button.get_attribute("aria-expanded") == "true"
        page.mouse.click(5, 400)  # a click elsewhere closes it
        assert not items.is_visible()
        button.focus()
        page.keyboard.press("Enter")
        assert items.is_visible()
        page.keyboard.press("Escape")
        assert not items.is_visible() and button.get_attribute("aria-expanded") == "false"
    themes = set()
    for _ in range(3):  # the theme's cycle: light -> auto (the system's: light here) -> dark
        page.locator(".theme-switch-button:visible").first.click()
        themes.add(page.evaluate("document.documentElement.dataset.theme"))
    assert themes == {"light", "dark"}, f"dark mode did not switch: {themes}"
    assert not errors, errors
    page.close()


def test_copy_button_copies_the_code(site) -> None:
    """lighten swaps clipboard.js for a small stand-in: a code block's copy button still
    copies the block's text and says so."""
    base, ctx, root = site
    rel = next(r for r in _rel_pages(root) if "copybutton.js" in (root / r).read_text(encoding="utf-8"))
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + rel, wait_until="networkidle")
    code = page.locator("div.highlight pre").first
    code.hover()
    button = page.locator("button.copybtn").first
    button.click()
    page.wait_for_function("document.querySelector('button.copybtn').classList.contains('success')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() and copied.strip() == code.evaluate("e => e.textContent").strip()
    assert not errors, errors
    page.close()


def test_accessibility_axe_wcag21aa(visits) -> None:
    serious = []
    for rel, r in visits.items():
        assert r.audit is not None, f"{rel}: axe did not run"
        for v in r.audit["violations"]:
            if v["impact"] in ("serious", "critical"):
                nodes = "; ".join(n["target"][0] for n in v["nodes"][:3])
                serious.append(f"{rel}: {v['id']} ({v['impact']}) {nodes}")
    assert not serious, "\n".join(serious)


def test_figures_have_alt_text(built_book) -> None:
    missing = []
    for page in html_pages(built_book):
        for img in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
            alt = re.search(r'alt="([^"]*)"', img)
            if "_images/" in img and (not alt or len(alt.group(1).strip()) < 10):
                missing.append(f"{page.relative_to(built_book)}: {img[:120]}")
    assert not missing, "\n".join(missing)


def test_screenshots(site) -> None:
    base, ctx, root = site
    ARTIFACTS.mkdir(exist_ok=True)
    rels = _rel_pages(root)
    chapter = next(r for r in rels if re.search(r"modules/m06_mse/0\d_", r))
    exercise = next(r for r in rels if r.startswith("_generated/exercises/"))
    for name, rel in (("start", "modules/m00_start/index.html"), ("chapter", chapter),
                      ("exercise", exercise)):
        page = ctx.new_page()
        page.goto(base + rel, wait_until="networkidle")
        out = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(out), full_page=False)
        page.close()
        assert out.stat().st_size > 10_000


def test_offline_edition_linked_from_start_page(built_book) -> None:
    start = (built_book / "modules" / "m00_start" / "index.html").read_text(encoding="utf-8")
    pdf = built_book / "offline" / "rta-mooc-book.pdf"
    zipped = built_book / "offline" / "rta-mooc-site.zip"
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 100_000
    assert zipped.stat().st_size > 100_000
    assert "offline/rta-mooc-book.pdf" in start and "offline/rta-mooc-site.zip" in start
