"""The end of a batch: a grades CSV (one row per student) and a short summary."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from .gradebook import Outcome

COLUMNS = ["student_id", "score", "max_score", "status", "flagged", "reasons", "problems", "notes",
           "seconds"]


def write_grades_csv(outcomes: list[Outcome], path: Path) -> None:
    """Written whole or not at all (a temporary file renamed over the old one)."""
    import os

    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for o in outcomes:
            w.writerow([o.student, "" if o.score is None else f"{o.score:g}", f"{o.max_score:g}", o.status,
                        "yes" if o.flags else "", " | ".join(o.reasons), " | ".join(o.problems),
                        " | ".join(o.notes), f"{o.seconds:.2f}"])
    os.replace(tmp, path)


def read_grades_csv(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


def summary(outcomes: list[Outcome]) -> dict[str, object]:
    failed = [o for o in outcomes if o.failed]
    flagged = [o for o in outcomes if o.flags and not o.failed]
    problems = [o for o in outcomes if o.problems and not o.failed and not o.flags]
    reasons = Counter(r.split(" (")[0] for o in failed for r in o.reasons)
    return {"total": len(outcomes), "graded": len(outcomes) - len(failed), "failed": len(failed),
            "flagged": len(flagged), "with problems": len(problems),
            "failure reasons": dict(reasons.most_common())}
