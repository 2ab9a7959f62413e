"""Compare two graded course directories: what stock nbgrader recorded vs what rta recorded.

Used by benchmarks/autograde.py and the identity test. Grades are compared exactly; the
autograded notebooks after normalising what differs between any two runs of the same
notebook (timestamps, process ids in file names, memory addresses in reprs).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_VOLATILE = [
    (re.compile(r"ipykernel_\d+"), "ipykernel_PID"),
    (re.compile(r"0x[0-9a-f]{6,16}"), "0xADDR"),
]


def gradebook_rows(db_url: str, assignment: str) -> dict[str, dict[str, Any]]:
    """student -> {grade/comment/notebook rows} as nbgrader stores them."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, Any]] = {}
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            rows: dict[str, Any] = {"timestamp": str(sub.timestamp)}
            for nb in sub.notebooks:
                rows[f"{nb.name}:late_penalty"] = nb.late_submission_penalty
                for g in nb.grades:
                    rows[f"{nb.name}:{g.name}"] = (g.auto_score, g.manual_score, g.extra_credit,
                                                   bool(g.needs_manual_grade))
                for c in nb.comments:
                    rows[f"{nb.name}:{c.name}:comment"] = (c.auto_comment, c.manual_comment)
            out[sub.student_id] = rows
    return out


def _coalesce_streams(outputs: list[Any]) -> list[Any]:
    """Join consecutive outputs of the same stream. Where ipykernel cuts a stream in two depends
    on timing (it flushes every 0.2 s), so two stock runs of one notebook can differ there;
    the text is the same."""
    out: list[Any] = []
    for o in outputs:
        if (out and isinstance(o, dict) and o.get("output_type") == "stream"
                and out[-1].get("output_type") == "stream" and out[-1].get("name") == o.get("name")):
            prev = out[-1]
            joined = "".join(prev["text"]) if isinstance(prev["text"], list) else prev["text"]
            joined += "".join(o["text"]) if isinstance(o.get("text"), list) else o.get("text", "")
            out[-1] = {**prev, "text": joined}
        else:
            out.append(dict(o) if isinstance(o, dict) else o)
    for o in out:
        if isinstance(o, dict) and o.get("output_type") == "stream" and isinstance(o.get("text"), list):
            o["text"] = "".join(o["text"])
    return out


def normalise_notebook(text: str) -> dict[str, Any]:
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("execution", None)
        if isinstance(cell.get("outputs"), list):
            cell["outputs"] = _coalesce_streams(cell["outputs"])
    out = json.dumps(nb, sort_keys=True)
    for pattern, repl in _VOLATILE:
        out = pattern.sub(repl, out)
    result: dict[str, Any] = json.loads(out)
    return result


def diff_courses(stock: Path, rta: Path, assignment: str, students: list[str] | None = None,
                 stock_db: str | None = None, rta_db: str | None = None) -> list[str]:
    """Human-readable differences (empty when identical) for the given students."""
    a = gradebook_rows(stock_db or f"sqlite:///{stock / 'gradebook.db'}", assignment)
    b = gradebook_rows(rta_db or f"sqlite:///{rta / 'gradebook.db'}", assignment)
    names = students if students is not None else sorted(set(a) | set(b))
    diffs: list[str] = []
    for s in names:
        ra, rb = a.get(s, {}), b.get(s, {})
        for key in sorted(set(ra) | set(rb)):
            if key != "timestamp" and ra.get(key) != rb.get(key):
                diffs.append(f"{s} {key}: stock {ra.get(key)!r} != rta {rb.get(key)!r}")
        for nb_path in sorted((stock / "autograded" / s / assignment).glob("*.ipynb")):
            other = rta / "autograded" / s / assignment / nb_path.name
            if not other.exists():
                diffs.append(f"{s} {nb_path.name}: no autograded notebook from rta")
                continue
            na = normalise_notebook(nb_path.read_text(encoding="utf-8"))
            nb_ = normalise_notebook(other.read_text(encoding="utf-8"))
            diffs.extend(f"{s} {nb_path.name} {d}" for d in _nb_diff(na, nb_))
    return diffs


def _nb_diff(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out = []
    if a.get("metadata") != b.get("metadata"):
        out.append(f"notebook metadata: {a.get('metadata')} != {b.get('metadata')}")
    ca, cb = a.get("cells", []), b.get("cells", [])
    if len(ca) != len(cb):
        return [*out, f"{len(ca)} cells != {len(cb)} cells"]
    for i, (x, y) in enumerate(zip(ca, cb, strict=True)):
        for key in sorted(set(x) | set(y)):
            if x.get(key) != y.get(key):
                out.append(f"cell {i + 1} {key}: {str(x.get(key))[:300]} != {str(y.get(key))[:300]}")
    return out
