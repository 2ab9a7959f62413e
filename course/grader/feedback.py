"""`rta feedback`: one accessible HTML page per student and notebook, hidden tests kept hidden.

nbgrader's own feedback shows the autograded notebook, hidden tests included ("by design",
nbgrader #917). Here a test cell shows only its visible part; when it failed, the message
is shown only if the failing line is visible, otherwise just "a hidden test failed".
Outputs of test cells that hold hidden tests are not shown (a warning or a print could
quote them). Everything the student wrote is escaped.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .intake import strip_hidden_tests
from .report import read_grades_csv

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")
BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"

CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1a1a1a;line-height:1.5}pre{background:#f4f4f4;padding:.75rem;overflow-x:auto;border-radius:4px}
.cell{border-left:4px solid #ccc;padding-left:1rem;margin:1.5rem 0}.pass{border-color:#009E73}
.fail{border-color:#D55E00}.status{font-weight:bold}table{border-collapse:collapse}
td,th{border:1px solid #999;padding:.25rem .6rem;text-align:left}img{max-width:100%}"""


@dataclass
class CellGrade:
    score: float | None
    max_score: float


def hidden_lines(source: str) -> set[int]:
    """1-based line numbers inside hidden-test regions (markers included)."""
    out, inside = set(), False
    for n, line in enumerate(source.split("\n"), 1):
        if BEGIN in line:
            inside = True
        if inside:
            out.add(n)
        if END in line:
            inside = False
    return out


def visible_result(cell: dict[str, Any]) -> tuple[bool, str]:
    """(passed, message safe to show) for an autograder test cell."""
    source = _src(cell)
    hidden = hidden_lines(source)
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            tb = ANSI.sub("", "\n".join(out.get("traceback", [])))
            m = CELL_LINE.search(tb)
            line = int(m.group(1)) if m else None
            if line is None or line in hidden:
                return False, "A hidden test failed." if hidden else f"{out.get('ename')}"
            shown = source.split("\n")[line - 1].strip()
            evalue = f": {out.get('evalue')}" if out.get("evalue") else ""
            return False, f"Line {line}: {shown}\n{out.get('ename')}{evalue}"
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return False, ("The tests printed an error or warning." if hidden
                           else ANSI.sub("", out.get("text", ""))[:2000])
    return True, ""


def _src(cell: dict[str, Any]) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _outputs_html(cell: dict[str, Any], label: str) -> str:
    parts = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(f"<pre>{html.escape(ANSI.sub('', _text(out.get('text'))))}</pre>")
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "image/png" in data:
                png = _text(data["image/png"]).replace("\n", "")
                parts.append(f'<img src="data:image/png;base64,{html.escape(png)}" '
                             f'alt="Figure produced by {html.escape(label)}">')
            elif "text/plain" in data:
                parts.append(f"<pre>{html.escape(_text(data['text/plain']))}</pre>")
        elif kind == "error":
            err = f"{out.get('ename', '')}: {out.get('evalue', '')}"
            parts.append(f"<pre>{html.escape(err)}</pre>")
    return "".join(parts)


def _text(v: Any) -> str:
    return "".join(v) if isinstance(v, list) else str(v or "")


def render(nb: dict[str, Any], grades: dict[str, CellGrade], student: str, assignment: str,
           name: str, status: str) -> str:
    body = []
    tests = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.get("cells", [])
             if c.get("cell_type") == "code" and c.get("metadata", {}).get("nbgrader", {}).get("grade")
             and not c["metadata"]["nbgrader"].get("solution")}
    auto = [g for gid, g in grades.items() if gid in tests]
    total = sum(g.score or 0 for g in auto)
    possible = sum(g.max_score for g in auto)
    rows = []
    for i, cell in enumerate(nb.get("cells", []), 1):
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        gid = nbg.get("grade_id")
        source = _src(cell)
        label = f"cell {i}"
        if cell.get("cell_type") == "markdown":
            if nbg.get("solution"):
                body.append(f'<section class="cell"><h3>Your written answer ({html.escape(str(gid))})</h3>'
                            f"<pre>{html.escape(source)}</pre>{_grade_line(grades.get(gid))}</section>")
            else:
                body.append(f'<section class="cell"><pre>{html.escape(source)}</pre></section>')
            continue
        if cell.get("cell_type") != "code":
            continue
        if nbg.get("grade") and not nbg.get("solution"):
            passed, message = visible_result(cell)
            g = grades.get(gid)
            result = "Passed" if passed else "Failed"
            rows.append(f"<tr><td>{html.escape(str(gid))}</td><td>{result}</td>"
                        f"<td>{_pts(g)}</td></tr>")
            shown = strip_hidden_tests(source, BEGIN, END)
            extra = "" if not hidden_lines(source) else "<p>This test also runs hidden checks.</p>"
            outs = "" if hidden_lines(source) or not passed else _outputs_html(cell, label)
            msg = f"<pre>{html.escape(message)}</pre>" if message else ""
            body.append(f'<section class="cell {"pass" if passed else "fail"}">'
                        f"<h3>Test {html.escape(str(gid))}</h3>"
                        f'<p class="status">{result} ({_pts(g)} points)</p>'
                        f"<pre>{html.escape(shown)}</pre>{extra}{msg}{outs}</section>")
        else:
            title = f"Your answer ({html.escape(str(gid))})" if nbg.get("solution") else f"Cell {i}"
            body.append(f'<section class="cell"><h3>{title}</h3><pre>{html.escape(source)}</pre>'
                        f"{_outputs_html(cell, label)}</section>")
    table = ("<table><caption>Autograded tests</caption><tr><th>test</th><th>result</th><th>points</th></tr>"
             + "".join(rows) + "</table>") if rows else ""
    return _page(f"{assignment} / {name}: feedback for {student}",
                 f"<p><strong>Score: {total:g} / {possible:g}</strong> from the autograded tests; "
                 "written answers are graded by hand."
                 f"</p><p>Status: {html.escape(status)}</p>{table}{''.join(body)}")


def _pts(g: CellGrade | None) -> str:
    if g is None:
        return "-"
    return f"{g.score:g} / {g.max_score:g}" if g.score is not None else f"? / {g.max_score:g}"


def _grade_line(g: CellGrade | None) -> str:
    return f"<p>Points: {_pts(g)}</p>" if g else ""


def _page(title: str, content: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
            f"<body><main><h1>{html.escape(title)}</h1>{content}</main></body></html>\n")


def write_feedback(course_dir: Path, assignment: str, db_url: str) -> list[Path]:
    from nbgrader.api import Gradebook

    status = read_grades_csv(course_dir / f"grades_{assignment}.csv")
    written: list[Path] = []
    with Gradebook(db_url) as gb:
        names = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        for sub in gb.assignment_submissions(assignment):
            s = sub.student_id
            row = status.get(s, {})
            for name in names:
                target = course_dir / "feedback" / s / assignment / f"{name}.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                src = course_dir / "autograded" / s / assignment / f"{name}.ipynb"
                if not src.exists():
                    why = row.get("reasons") or row.get("status") or "not graded"
                    target.write_text(_page(f"{assignment} / {name}: feedback for {s}",
                                            f"<p>Your notebook could not be graded: {html.escape(why)}.</p>"
                                            "<p>Please contact the course team.</p>"), encoding="utf-8")
                else:
                    try:
                        snb = gb.find_submission_notebook(name, assignment, s)
                        grades = {g.name: CellGrade(None if g.needs_manual_grade and g.manual_score is None
                                                    else float(g.score), float(g.max_score))
                                  for g in snb.grades}
                        nb = json.loads(src.read_text(encoding="utf-8"))
                        page = render(nb, grades, s, assignment, name, row.get("status", "graded"))
                    except Exception as exc:  # one notebook's feedback never stops the others'
                        why = html.escape(type(exc).__name__)
                        page = _page(f"{assignment} / {name}: feedback for {s}",
                                     f"<p>Your feedback could not be made ({why}).</p>"
                                     "<p>Please contact the course team.</p>")
                    # lone surrogates (printed by a cell) cannot be written as UTF-8: replaced
                    target.write_text(page, encoding="utf-8", errors="replace")
                written.append(target)
    return written
