// Self-check quizzes (course/quiz.py): instant feedback in the page, nothing sent anywhere.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("fieldset.rta-quiz").forEach((quiz) => {
    const fallback = quiz.querySelector(".rta-quiz-fallback");
    if (fallback) fallback.hidden = true; // scripted feedback replaces the reveal block
    const button = quiz.querySelector(".rta-quiz-check");
    const result = quiz.querySelector(".rta-quiz-result");
    button.addEventListener("click", () => {
      const chosen = quiz.querySelector("input[type=radio]:checked");
      quiz.querySelectorAll(".rta-quiz-feedback").forEach((fb) => (fb.hidden = true));
      if (!chosen) {
        result.textContent = "Choose an answer first.";
        result.className = "rta-quiz-result";
        return;
      }
      const right = chosen.dataset.correct === "true";
      result.textContent = right ? "Correct." : "Not quite - try again.";
      result.className = "rta-quiz-result " + (right ? "is-correct" : "is-wrong");
      const fb = quiz.querySelector(`.rta-quiz-feedback[data-for="${chosen.value}"]`);
      if (fb && fb.textContent.trim()) fb.hidden = false;
    });
  });
});
