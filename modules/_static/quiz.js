// Self-check quizzes (course/quiz.py): instant feedback in the page, nothing sent anywhere.
// Three kinds (fieldset data-kind): "single" (radio), "multiple" (checkboxes, right only when
// exactly the right set is chosen) and "numeric" (a number within a tolerance).
(() => {
  const show = (result, text, state) => {
    result.textContent = text;
    result.className = "rta-quiz-result" + (state ? " is-" + state : "");
  };

  // "12.5", "12,5", "1,234", "1 234", "12.5 %", "-3" -> number; anything else -> NaN
  const parseNumber = (raw) => {
    let s = raw.trim().replace(/[\s\u00a0]+/g, "").replace(/%$/, "");
    if (/^[-+]?\d+,\d{1,2}$/.test(s) || /^[-+]?\d*,\d{4,}$/.test(s)) s = s.replace(",", ".");
    else s = s.replace(/,(?=\d{3}(\D|$))/g, "");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return NaN;
    return Number(s);
  };

  const checkChoice = (quiz, result) => {
    const inputs = Array.from(quiz.querySelectorAll(".rta-quiz-options input"));
    const chosen = inputs.filter((i) => i.checked);
    if (!chosen.length) return show(result, "Choose an answer first.", "");
    const right = inputs.every((i) => i.checked === (i.dataset.correct === "true"));
    let text = right ? "Correct." : "Not quite - try again.";
    if (!right && quiz.dataset.kind === "multiple") {
      const wrong = chosen.some((i) => i.dataset.correct !== "true");
      text = wrong
        ? "Not quite: at least one option you chose is wrong. Try again."
        : "Not quite: you chose only some of the right options. Try again.";
    }
    show(result, text, right ? "correct" : "wrong");
    chosen.forEach((i) => {
      const fb = quiz.querySelector(`.rta-quiz-feedback[data-for="${i.value}"]`);
      if (fb && fb.textContent.trim()) fb.hidden = false;
    });
  };

  const checkNumber = (quiz, result) => {
    const input = quiz.querySelector("input.rta-quiz-number");
    if (!input.value.trim()) return show(result, "Type a number first.", "");
    const value = parseNumber(input.value);
    if (Number.isNaN(value)) return show(result, "Type a number, for example 12.5.", "");
    const answer = Number(input.dataset.answer);
    const tol = Number(input.dataset.tolerance);
    const slack = 1e-9 * Math.max(1, Math.abs(answer));
    if (Math.abs(value - answer) <= tol + slack) {
      show(result, "Correct.", "correct");
      const fb = quiz.querySelector('.rta-quiz-feedback[data-for="right"]');
      if (fb && fb.textContent.trim()) fb.hidden = false;
      input.removeAttribute("aria-invalid");
    } else {
      const side = value > answer ? "too high" : "too low";
      show(result, `Not quite: ${value} is ${side}. Try again.`, "wrong");
      input.setAttribute("aria-invalid", "true");
    }
  };

  const setUp = (quiz) => {
    const fallback = quiz.querySelector(".rta-quiz-fallback");
    if (fallback) fallback.hidden = true; // scripted feedback replaces the reveal block
    const button = quiz.querySelector(".rta-quiz-check");
    const result = quiz.querySelector(".rta-quiz-result");
    if (!button || !result) return;
    const check = () => {
      quiz.querySelectorAll(".rta-quiz-feedback").forEach((fb) => (fb.hidden = true));
      if (quiz.dataset.kind === "numeric") checkNumber(quiz, result);
      else checkChoice(quiz, result);
    };
    button.addEventListener("click", check);
    const input = quiz.querySelector("input.rta-quiz-number");
    if (input) {
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          check();
        }
      });
    }
  };

  const start = () => document.querySelectorAll("fieldset.rta-quiz").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
