"""The self-check quiz types (course/quiz.py + modules/_static/quiz.js) in Debian's Chromium.

No book build: one small static page holds one quiz of each kind, with the book's own quiz.js
and quiz.css, served over HTTP. Checks the behaviour of each kind and runs the axe-core audit
(WCAG 2.1 A and AA: no serious or critical violation).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.book.webcheck import browser, chromium_available, load, serve
from course.quiz import numeric, quiz

from .conftest import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group(name="quiz_page"),  # one page and browser for the module
    pytest.mark.skipif(not chromium_available(), reason="Debian chromium not installed: run `make test`"),
]
STATIC = ROOT / "modules" / "_static"
AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


def _page(tmp: Path) -> Path:
    wide = "  ".join(f"col{i:02d}" for i in range(40))
    parts = [
        quiz("Single: which is right?", ["wrong", "right", "also wrong"], answer=1,
             feedback=["No: a", "Yes: b", "No: c"]),
        quiz("Multiple: which two are right?", ["right A", "wrong B", "right C"], answer=[0, 2],
             feedback=["Yes: A", "No: B", "Yes: C"]),
        quiz("Code: what does this print?", ["3", "4"], answer=1,
             code=f"print(2 + 2)\n{wide}"),
        numeric("Numeric: what is 10 % of 123?", answer=12.3, tolerance=0.1, unit="%",
                explain="Because 0.1 x 123 = 12.3."),
    ]
    body = "\n".join(p._repr_html_() for p in parts)
    (tmp / "quiz.js").write_bytes((STATIC / "quiz.js").read_bytes())
    shutil.copy(STATIC / "quiz.css", tmp / "quiz.css")
    (tmp / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Quiz types</title><link rel=\"icon\" href=\"data:,\">"
        '<link rel="stylesheet" href="quiz.css"><script src="quiz.js"></script></head>'
        f"<body><main><h1>Quiz types</h1>{body}</main></body></html>",
        encoding="utf-8",
    )
    return tmp


@pytest.fixture(scope="module")
def quiz_page(tmp_path_factory):
    root = _page(tmp_path_factory.mktemp("quizpage"))
    with serve(root) as base, browser() as b:
        ctx = b.new_context(viewport={"width": 900, "height": 900})
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "index.html", wait_until="networkidle")
        yield page, base, ctx, errors
        ctx.close()


def _q(page, n: int):
    return page.locator("fieldset.rta-quiz").nth(n)


def _check(q) -> str:
    q.locator(".rta-quiz-check").click()
    return q.locator(".rta-quiz-result").inner_text()


def test_fallback_hidden_once_script_runs(quiz_page) -> None:
    page, *_ = quiz_page
    assert page.locator("fieldset.rta-quiz").count() == 4
    for n in range(4):
        assert not _q(page, n).locator("details.rta-quiz-fallback").is_visible()


def test_single_choice(quiz_page) -> None:
    page, *_ = quiz_page
    q = _q(page, 0)
    assert "Choose an answer" in _check(q)
    q.locator("input[value='0']").check()
    assert "Not quite" in _check(q)
    assert q.locator(".rta-quiz-feedback[data-for='0']").is_visible()
    q.locator("input[data-correct=true]").check()
    assert _check(q) == "Correct."
    assert q.locator(".rta-quiz-feedback[data-for='1']").is_visible()
    assert not q.locator(".rta-quiz-feedback[data-for='0']").is_visible()


def test_multiple_choice_needs_exactly_the_right_set(quiz_page) -> None:
    page, *_ = quiz_page
    q = _q(page, 1)
    assert q.locator("input[type=checkbox]").count() == 3
    assert "Choose an answer" in _check(q)
    q.locator("input[value='0']").check()
    assert "only some of the right options" in _check(q)
    q.locator("input[value='1']").check()
    assert "at least one option you chose is wrong" in _check(q)
    assert q.locator(".rta-quiz-feedback[data-for='1']").is_visible()
    q.locator("input[value='2']").check()
    assert "Not quite" in _check(q)  # right set plus a wrong one is still wrong
    q.locator("input[value='1']").uncheck()
    assert _check(q) == "Correct."
    assert q.locator(".rta-quiz-feedback[data-for='0']").is_visible()
    assert q.locator(".rta-quiz-feedback[data-for='2']").is_visible()
    assert not q.locator(".rta-quiz-feedback[data-for='1']").is_visible()


def test_code_block_is_shown_and_scrolls(quiz_page) -> None:
    page, *_ = quiz_page
    q = _q(page, 2)
    pre = q.locator("pre.rta-quiz-code")
    assert pre.is_visible() and "print(2 + 2)" in pre.inner_text()
    box_pre, box_fs = pre.bounding_box(), q.bounding_box()
    assert box_pre["width"] <= box_fs["width"]  # a wide block scrolls inside the quiz
    q.locator("input[data-correct=true]").check()
    assert _check(q) == "Correct."


@pytest.mark.parametrize(
    ("typed", "expect"),
    [
        ("", "Type a number first"),
        ("abc", "Type a number, for example"),
        ("13", "too high"),
        ("11", "too low"),
        ("12.39", "Correct."),
        ("12,3", "Correct."),
        ("12.3 %", "Correct."),
        ("12.21", "Correct."),
    ],
)
def test_numeric(quiz_page, typed, expect) -> None:
    page, *_ = quiz_page
    q = _q(page, 3)
    box = q.get_by_label("Your answer (in %)")
    box.fill(typed)
    assert expect in _check(q)
    explained = q.locator(".rta-quiz-feedback[data-for='right']").is_visible()
    assert explained == (expect == "Correct.")


def test_numeric_enter_key_checks(quiz_page) -> None:
    page, *_ = quiz_page
    q = _q(page, 3)
    box = q.locator("input.rta-quiz-number")
    box.fill("20")
    box.press("Enter")
    assert "too high" in q.locator(".rta-quiz-result").inner_text()
    assert box.get_attribute("aria-invalid") == "true"


def test_no_console_errors_and_axe_clean(quiz_page) -> None:
    page, base, ctx, errors = quiz_page
    assert not errors, errors
    r = load(ctx, base + "index.html", audit_script=AXE.read_text(encoding="utf-8"))
    assert r.audit is not None and not r.console_errors
    serious = [f"{v['id']} ({v['impact']}) {v['nodes'][0]['target']}"
               for v in r.audit["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def test_the_audit_reports_what_it_should(quiz_page, tmp_path_factory) -> None:
    """The audit the book's 62 pages pass can fail: an unlabelled image, faint text and an
    unnamed button are reported as serious or critical."""
    _, _, ctx, _ = quiz_page
    bad = ('<!doctype html><html lang="en"><head><title>bad</title></head><body><main>'
           '<img src="x.png"><p style="color:#ccc;background:#fff">faint text</p>'
           '<button></button></main></body></html>')
    site = tmp_path_factory.mktemp("audit")
    (site / "bad.html").write_text(bad, encoding="utf-8")
    with serve(site) as other:
        r = load(ctx, other + "bad.html", audit_script=AXE.read_text(encoding="utf-8"))
    found = {v["id"] for v in r.audit["violations"] if v["impact"] in ("serious", "critical")}
    assert {"image-alt", "color-contrast", "button-name"} <= found, found
