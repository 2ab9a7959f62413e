"""Self-check quizzes (course/quiz.py): the HTML each form renders and the mistakes it refuses."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import pytest

from course.quiz import Numeric, Quiz, numeric, quiz


class _Tags(HTMLParser):
    """Collects (tag, attrs) and the text; fails on unbalanced tags."""

    VOID = {"input", "br", "hr", "img", "meta", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> in {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(obj) -> _Tags:
    p = _Tags()
    p.feed(obj._repr_html_())
    p.close()
    assert not p.stack, f"unclosed tags {p.stack}"
    return p


def inputs(p: _Tags) -> list[dict]:
    return [a for t, a in p.tags if t == "input"]


# --- single choice (unchanged API) -------------------------------------------------------------

def test_single_choice_is_unchanged() -> None:
    q = quiz("Which?", ["a", "b", "c"], answer=1, feedback=["no a", "yes b", "no c"])
    assert isinstance(q, Quiz) and q.answer == 1 and not q.multiple
    p = parse(q)
    ins = inputs(p)
    assert [i["type"] for i in ins] == ["radio"] * 3
    assert [i["data-correct"] for i in ins] == ["false", "true", "false"]
    assert len({i["name"] for i in ins}) == 1
    fs = [a for t, a in p.tags if t == "fieldset"][0]
    assert "rta-quiz" in fs["class"] and fs["data-kind"] == "single" and fs["id"] == ins[0]["name"]
    html = q._repr_html_()
    assert "<legend>Self-check: Which?</legend>" in html
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert "<summary>Show the answer</summary><p>b. yes b</p>" in html
    assert "<pre" not in html and "<script" not in html


def test_positional_call_still_works_and_ids_are_unique() -> None:
    a = quiz("Q?", ["x", "y"], 0)
    b = quiz("Q?", ["x", "y"], 0)
    assert a.qid != b.qid
    assert not a.feedback[0] and len(a.feedback) == 2


def test_text_is_escaped() -> None:
    q = quiz("Is <b> & x?", ["<script>alert(1)</script>", "ok"], answer=1,
             feedback=['"quoted"', "fine"], code="if a < b:\n    print('&')")
    html = q._repr_html_()
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "Is &lt;b&gt; &amp; x?" in html
    assert "if a &lt; b:\n    print(&#x27;&amp;&#x27;)" in html


# --- several right options -------------------------------------------------------------------

def test_multiple_choice_renders_checkboxes() -> None:
    q = quiz("Which two?", ["a", "b", "c", "d"], answer=[2, 0],
             feedback=["yes a", "no b", "yes c", "no d"])
    assert q.multiple and q.answer == [0, 2]
    p = parse(q)
    ins = inputs(p)
    assert [i["type"] for i in ins] == ["checkbox"] * 4
    assert [i["data-correct"] for i in ins] == ["true", "false", "true", "false"]
    fs = [a for t, a in p.tags if t == "fieldset"][0]
    assert fs["data-kind"] == "multiple"
    html = q._repr_html_()
    assert "choose all that apply" in html
    # one feedback block per option, all hidden until checked
    assert len(re.findall(r'class="rta-quiz-feedback" data-for="\d" hidden', html)) == 4
    fallback = html.split("<details", 1)[1]
    assert "a. yes a" in fallback and "c. yes c" in fallback and "no b" not in fallback


def test_every_option_is_labelled() -> None:
    for q in (quiz("Q?", ["a", "b"], answer=[1]), quiz("Q?", ["a", "b"], answer=0)):
        html = q._repr_html_()
        assert html.count("<label><input") == 2


# --- code block -------------------------------------------------------------------------------

def test_code_block_sits_between_legend_and_options() -> None:
    table = "   lists  count\n0  A only    54\n1  B only   463\n"
    q = quiz("What is wrong in this table?", ["nothing", "a count is negative"], answer=0,
             code=table)
    html = q._repr_html_()
    assert html.index("</legend>") < html.index('<pre class="rta-quiz-code"') < html.index("<ul")
    assert "<code>   lists  count\n0  A only    54\n1  B only   463</code>" in html
    assert 'tabindex="0"' in html  # a wide block scrolls: keyboard users can reach it


def test_numeric_accepts_a_code_block() -> None:
    html = numeric("Read the total.", answer=517, tolerance=0, code="total 517")._repr_html_()
    assert "<pre" in html and "total 517" in html


# --- numeric ---------------------------------------------------------------------------------

def test_numeric_renders_labelled_input() -> None:
    q = numeric("What share?", answer=12.3, tolerance=0.1, unit="%", explain="Because 123/1000.")
    assert isinstance(q, Numeric)
    p = parse(q)
    (inp,) = inputs(p)
    assert inp["type"] == "text" and inp["inputmode"] == "decimal"
    assert float(inp["data-answer"]) == 12.3 and float(inp["data-tolerance"]) == 0.1
    labels = [a for t, a in p.tags if t == "label"]
    assert labels and labels[0]["for"] == inp["id"]
    fs = [a for t, a in p.tags if t == "fieldset"][0]
    assert fs["data-kind"] == "numeric" and inp["id"].startswith(fs["id"])
    html = q._repr_html_()
    assert "Your answer (in %)" in html
    assert 'role="status"' in html
    fallback = html.split("<details", 1)[1]
    assert "12.3%" in fallback and "within 0.1%" in fallback and "Because 123/1000." in fallback
    assert '<div class="rta-quiz-feedback" data-for="right" hidden>Because 123/1000.</div>' in html


def test_numeric_number_text_round_trips() -> None:
    for x in (0.1, 1 / 3, 2_000_000, -4.5, 1e-7, 7):
        q = numeric("Q?", answer=x, tolerance=0)
        (inp,) = inputs(parse(q))
        assert float(inp["data-answer"]) == float(x)


def test_numeric_without_unit_or_tolerance() -> None:
    html = numeric("How many lists?", answer=6, tolerance=0)._repr_html_()
    assert "Your answer (a number)" in html and "within" not in html
    assert "<p>6.</p>" in html
    big = numeric("People?", answer=10_000_000, tolerance=500_000, unit="people")._repr_html_()
    assert "10,000,000 people (anything within 500,000 people of it counts)." in big
    assert "0.1234567 (anything" in numeric("Q?", answer=0.1234567, tolerance=0.001)._repr_html_()


# --- validation -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"answer": 3}, "not an index"),
        ({"answer": -1}, "not an index"),
        ({"answer": True}, "not a bool"),
        ({"answer": 1.0}, "option index"),
        ({"answer": "1"}, "option index"),
        ({"answer": []}, "empty"),
        ({"answer": [0, 0]}, "repeats"),
        ({"answer": [0, 5]}, "not an index"),
        ({"answer": [0, True]}, "option index"),
        ({"answer": [0.0]}, "option index"),
        ({"answer": 0, "feedback": ["only one"]}, "one feedback text per option"),
        ({"answer": 0, "feedback": "ab"}, "one feedback text per option"),
        ({"answer": 0, "code": ""}, "code="),
        ({"answer": 0, "code": 12}, "code="),
    ],
)
def test_quiz_validation(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        quiz("Q?", ["a", "b", "c"], **kwargs)


def test_quiz_needs_question_and_two_options() -> None:
    with pytest.raises(ValueError, match="at least two options"):
        quiz("Q?", ["only"], answer=0)
    with pytest.raises(ValueError, match="at least two options"):
        quiz("Q?", "ab", answer=0)
    with pytest.raises(ValueError, match="question"):
        quiz("  ", ["a", "b"], answer=0)
    with pytest.raises(ValueError, match="option"):
        quiz("Q?", ["a", ""], answer=0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"answer": "12", "tolerance": 1}, "answer must be a number"),
        ({"answer": True, "tolerance": 1}, "answer must be a number"),
        ({"answer": math.nan, "tolerance": 1}, "finite"),
        ({"answer": 1, "tolerance": math.inf}, "finite"),
        ({"answer": 1, "tolerance": -0.1}, ">= 0"),
        ({"answer": 1, "tolerance": None}, "tolerance must be a number"),
        ({"answer": 1, "tolerance": 0, "unit": None}, "strings"),
        ({"answer": 1, "tolerance": 0, "code": "  "}, "code="),
    ],
)
def test_numeric_validation(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        numeric("Q?", **kwargs)


def test_numpy_numbers_are_accepted() -> None:
    np = pytest.importorskip("numpy")
    q = numeric("Q?", answer=np.float64(2.5), tolerance=np.float64(0.1))
    assert q.answer == 2.5 and type(q.answer) is float
    m = quiz("Q?", ["a", "b"], answer=[np.int64(1)])
    assert m.answer == [1] and type(m.answer[0]) is int
    s = quiz("Q?", ["a", "b"], answer=np.int64(1))
    assert s.answer == 1
