"""Self-check quizzes for the book: instant feedback, ungraded, no answers sent anywhere.

In a chapter, a hidden-input code cell renders a question. Three forms:

    from course.quiz import quiz, numeric

    # one right option (radio buttons)
    quiz("Why must the zero cells be included?",
         ["They are not needed", "The model must know which patterns were never seen"],
         answer=1,
         feedback=["No: ...", "Yes: ..."])

    # several right options (checkboxes): right only when exactly that set is chosen
    quiz("Which are forms of forced labour under ILO Convention No. 29?",
         ["State-imposed forced labour", "Unpaid household chores", "Debt bondage"],
         answer=[0, 2],
         feedback=["Yes: ...", "No: ...", "Yes: ..."])

    # a code or output block to read above the options (works with either form)
    quiz("What does this output tell you?", ["...", "..."], answer=0,
         code="   lists  count\\n0  A only    54\\n1  B only   463")

    # a number to type; right when within `tolerance` of `answer`
    numeric("What is the design effect?", answer=2.3, tolerance=0.05,
            explain="deff = 1 + (m - 1) * ICC = 1 + 26 * 0.05.")

The output is plain HTML (radio buttons, checkboxes or a text input, a Check button, a
status line and feedback blocks); the behaviour is in the book's `quiz.js`, so pages carry
no inline scripts. In plain Jupyter the question shows, with the answer in a collapsed
"Show the answer" block.
"""

from __future__ import annotations

import html
import itertools
import math
import numbers
from collections.abc import Sequence

_ids = itertools.count(1)

__all__ = ["Numeric", "Quiz", "numeric", "quiz"]


def _esc(text: str) -> str:
    return html.escape(str(text))


def _code_block(code: str | None) -> str:
    if code is None:
        return ""
    # tabindex: a wide table scrolls sideways, and keyboard users must be able to scroll it
    return (f'<pre class="rta-quiz-code" tabindex="0"><code>{_esc(code.strip(chr(10)))}'
            "</code></pre>")


def _check_code(code: object) -> None:
    if code is not None and (not isinstance(code, str) or not code.strip()):
        raise ValueError("code= must be a non-empty string (the code or output to read)")


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")


def _status_and_button() -> str:
    return ('<button type="button" class="rta-quiz-check">Check my answer</button>'
            '<p class="rta-quiz-result" role="status" aria-live="polite"></p>')


class Quiz:
    """A multiple-choice self-check: one right option (int) or several (list of ints)."""

    def __init__(self, question: str, options: Sequence[str], answer: int | Sequence[int],
                 feedback: Sequence[str] | None = None, code: str | None = None) -> None:
        _check_text("the question", question)
        if isinstance(options, str) or len(options) < 2:
            raise ValueError("give a list of at least two options")
        for opt in options:
            _check_text("each option", opt)
        n = len(options)
        if isinstance(answer, bool):
            raise ValueError("answer must be an option index (int) or a list of indices, not a bool")
        if isinstance(answer, numbers.Integral):
            if not 0 <= int(answer) < n:
                raise ValueError(f"answer={answer} is not an index into the {n} options")
            self.multiple = False
            self.answers = [int(answer)]
        elif isinstance(answer, Sequence) and not isinstance(answer, str):
            idx = list(answer)
            if not idx:
                raise ValueError("answer=[] is empty: name at least one right option")
            for i in idx:
                if isinstance(i, bool) or not isinstance(i, numbers.Integral):
                    raise ValueError(f"answer={idx!r}: every entry must be an option index (int)")
                if not 0 <= i < n:
                    raise ValueError(f"answer={idx!r}: {i} is not an index into the {n} options")
            if len(set(idx)) != len(idx):
                raise ValueError(f"answer={idx!r} repeats an option")
            self.multiple = True
            self.answers = sorted(int(i) for i in idx)
        else:
            raise ValueError("answer must be an option index (int) or a list of indices")
        if feedback is not None and (isinstance(feedback, str) or len(feedback) != n):
            raise ValueError("give one feedback text per option (or none)")
        _check_code(code)
        self.question = question
        self.options = list(options)
        self.answer: int | list[int] = self.answers if self.multiple else self.answers[0]
        self.feedback = list(feedback) if feedback else [""] * n
        self.code = code
        self.qid = f"rta-quiz-{next(_ids)}"

    def _repr_html_(self) -> str:
        kind = "multiple" if self.multiple else "single"
        itype = "checkbox" if self.multiple else "radio"
        items = []
        for i, (opt, fb) in enumerate(zip(self.options, self.feedback, strict=True)):
            correct = "true" if i in self.answers else "false"
            items.append(
                f'<li><label><input type="{itype}" name="{self.qid}" value="{i}" '
                f'data-correct="{correct}"> {_esc(opt)}</label>'
                f'<div class="rta-quiz-feedback" data-for="{i}" hidden>{_esc(fb)}</div></li>'
            )
        if self.multiple:
            hint = ' <span class="rta-quiz-hint">(choose all that apply)</span>'
            reveal = "".join(
                f"<li>{_esc(self.options[i])}. {_esc(self.feedback[i])}</li>" for i in self.answers)
            fallback = f"<p>The right options:</p><ul>{reveal}</ul>"
        else:
            hint = ""
            right = self.answers[0]
            fallback = f"<p>{_esc(self.options[right])}. {_esc(self.feedback[right])}</p>"
        return (
            f'<fieldset class="rta-quiz" id="{self.qid}" data-kind="{kind}">'
            f"<legend>Self-check: {_esc(self.question)}{hint}</legend>"
            f"{_code_block(self.code)}"
            f'<ul class="rta-quiz-options">{"".join(items)}</ul>'
            f"{_status_and_button()}"
            f'<details class="rta-quiz-fallback"><summary>Show the answer</summary>'
            f"{fallback}</details>"
            "</fieldset>"
        )


def _number_text(x: float) -> str:
    """Shortest text that reads back as the same float (no exponent for ordinary sizes)."""
    return repr(float(x))


class Numeric:
    """A number to type in; right when |value - answer| <= tolerance."""

    def __init__(self, question: str, answer: float, tolerance: float, unit: str = "",
                 explain: str = "", code: str | None = None) -> None:
        _check_text("the question", question)
        for name, value in (("answer", answer), ("tolerance", tolerance)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"{name} must be a number (int or float), got {value!r}")
            if not math.isfinite(float(value)):
                raise ValueError(f"{name} must be finite, got {value!r}")
        if float(tolerance) < 0:
            raise ValueError(f"tolerance must be >= 0, got {tolerance!r}")
        if not isinstance(unit, str) or not isinstance(explain, str):
            raise ValueError("unit and explain must be strings")
        _check_code(code)
        self.question = question
        self.answer = float(answer)
        self.tolerance = float(tolerance)
        self.unit = unit.strip()
        self.explain = explain
        self.code = code
        self.qid = f"rta-quiz-{next(_ids)}"

    def _shown(self, x: float) -> str:
        text = f"{x:,.0f}" if x == int(x) and abs(x) >= 10_000 else f"{x:.10g}"
        if self.unit:
            text += ("" if self.unit == "%" else " ") + self.unit
        return text

    def _repr_html_(self) -> str:
        unit = (f' <span class="rta-quiz-unit" aria-hidden="true">{_esc(self.unit)}</span>'
                if self.unit else "")
        label = f"Your answer (in {_esc(self.unit)})" if self.unit else "Your answer (a number)"
        tol = (f" (anything within {self._shown(self.tolerance)} of it counts)"
               if self.tolerance else "")
        explain = f" {_esc(self.explain)}" if self.explain else ""
        return (
            f'<fieldset class="rta-quiz" id="{self.qid}" data-kind="numeric">'
            f"<legend>Self-check: {_esc(self.question)}</legend>"
            f"{_code_block(self.code)}"
            f'<p class="rta-quiz-numeric"><label for="{self.qid}-input">{label}</label> '
            f'<input type="text" inputmode="decimal" autocomplete="off" id="{self.qid}-input" '
            f'class="rta-quiz-number" data-answer="{_number_text(self.answer)}" '
            f'data-tolerance="{_number_text(self.tolerance)}">{unit}</p>'
            f'<div class="rta-quiz-feedback" data-for="right" hidden>{_esc(self.explain)}</div>'
            f"{_status_and_button()}"
            f'<details class="rta-quiz-fallback"><summary>Show the answer</summary>'
            f"<p>{_esc(self._shown(self.answer))}{tol}.{explain}</p></details>"
            "</fieldset>"
        )


def quiz(question: str, options: Sequence[str], answer: int | Sequence[int],
         feedback: Sequence[str] | None = None, code: str | None = None) -> Quiz:
    """A multiple-choice question.

    `answer` is the index of the right option (radio buttons), or a list of indices when several
    options are right (checkboxes; right only when exactly that set is chosen). `feedback` gives
    one text per option, shown when that option is chosen. `code` is a code or output block shown
    above the options, for read-the-code or spot-the-error questions.
    """
    return Quiz(question, options, answer, feedback, code)


def numeric(question: str, answer: float, tolerance: float, unit: str = "",
            explain: str = "", code: str | None = None) -> Numeric:
    """A question answered with a number: right when within `tolerance` of `answer`.

    `unit` is shown after the input box (e.g. "%", "million"); `explain` is shown once the answer
    is right, and in the "Show the answer" block. `code` is an optional block to read first.
    """
    return Numeric(question, answer, tolerance, unit, explain, code)
