"""Self-check quizzes for the book: instant feedback, ungraded, no answers sent anywhere.

In a chapter, a hidden-input code cell renders a question:

    from course.quiz import quiz
    quiz("Why must the zero cells be included?",
         ["They are not needed", "The model must know which patterns were never seen"],
         answer=1,
         feedback=["No: ...", "Yes: ..."])

The output is plain HTML (radio buttons, a Check button and feedback blocks); the behaviour is
in the book's `quiz.js`, so pages carry no inline scripts. In plain Jupyter the question shows,
with the explanation in a collapsed "Show the answer" block.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence

_ids = itertools.count(1)


class Quiz:
    def __init__(self, question: str, options: Sequence[str], answer: int,
                 feedback: Sequence[str] | None = None) -> None:
        if not 0 <= answer < len(options):
            raise ValueError(f"answer={answer} is not an index into the {len(options)} options")
        if feedback is not None and len(feedback) != len(options):
            raise ValueError("give one feedback text per option (or none)")
        self.question = question
        self.options = list(options)
        self.answer = answer
        self.feedback = list(feedback) if feedback else [""] * len(options)
        self.qid = f"rta-quiz-{next(_ids)}"

    def _repr_html_(self) -> str:
        esc = html.escape
        items = []
        for i, (opt, fb) in enumerate(zip(self.options, self.feedback, strict=True)):
            correct = "true" if i == self.answer else "false"
            items.append(
                f'<li><label><input type="radio" name="{self.qid}" value="{i}" '
                f'data-correct="{correct}"> {esc(opt)}</label>'
                f'<div class="rta-quiz-feedback" data-for="{i}" hidden>{esc(fb)}</div></li>'
            )
        right = esc(self.options[self.answer])
        explanation = esc(self.feedback[self.answer])
        return (
            f'<fieldset class="rta-quiz" id="{self.qid}">'
            f'<legend>Self-check: {esc(self.question)}</legend>'
            f'<ul class="rta-quiz-options">{"".join(items)}</ul>'
            f'<button type="button" class="rta-quiz-check">Check my answer</button>'
            f'<p class="rta-quiz-result" role="status" aria-live="polite"></p>'
            f'<details class="rta-quiz-fallback"><summary>Show the answer</summary>'
            f"<p>{right}. {explanation}</p></details>"
            "</fieldset>"
        )


def quiz(question: str, options: Sequence[str], answer: int,
         feedback: Sequence[str] | None = None) -> Quiz:
    """A single-choice question; `answer` is the index of the right option."""
    return Quiz(question, options, answer, feedback)
