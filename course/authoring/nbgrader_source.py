"""Exercise model -> nbgrader *source* notebook (schema-3 cell metadata).

The output is what an instructor would have made with nbgrader's toolbar, so stock
`nbgrader generate_assignment` accepts it unchanged. It is a build output: never edited by hand.
"""

from __future__ import annotations

from typing import Any

import nbformat

from course import markers
from course.authoring.exercise import Exercise, Kind

SCHEMA_VERSION = 3


def nbgrader_metadata(cell_kind: Kind, grade_id: str, points: float | None) -> dict[str, Any]:
    """The one builder of nbgrader's cell metadata (schema 3), for every kind of cell."""
    base = {"schema_version": SCHEMA_VERSION, "grade_id": grade_id}
    if cell_kind is Kind.ANSWER:
        return {**base, "grade": False, "solution": True, "locked": False}
    if cell_kind is Kind.TESTS:
        return {**base, "grade": True, "solution": False, "locked": True, "points": points}
    if cell_kind is Kind.WRITTEN:
        return {**base, "grade": True, "solution": True, "locked": False, "points": points}
    # Prompts and setup are read-only so students cannot break the scaffolding by accident.
    return {**base, "grade": False, "solution": False, "locked": True}


def _int_if_whole(x: float | None) -> float | int | None:
    return int(x) if x is not None and float(x).is_integer() else x


# Keys that belong to the authoring syntax, not to the generated notebook.
AUTHORING_KEYS = {"grade_id", "points"}


def header_markdown(ex: Exercise, citations: list[str]) -> str:
    goals = ex.meta.get("learning_goals") or []
    lines = [
        f"# {ex.title}",
        "",
        f"**From Research to Action MOOC · Module {ex.module}** · "
        f"{_int_if_whole(ex.total_points)} points",
        "",
    ]
    if goals:
        lines += ["**Learning goals**", ""] + [f"- {g}" for g in goals] + [""]
    lines += [
        "**How to work and submit.** Run the cells from the top. Write your code where it says "
        "`# YOUR CODE HERE` (delete the `raise NotImplementedError()` line) and your written "
        "answers where it says *YOUR ANSWER HERE*. Do not delete, copy or retype the read-only "
        "cells. Before submitting, restart the kernel and run all cells; the visible tests tell "
        "you whether your answers are well formed. More tests are run when your work is graded. "
        "On a course JupyterHub use the Validate and Submit buttons; elsewhere hand in this "
        "`.ipynb` file as your instructor asks.",
        "",
    ]
    if citations:
        lines += ["**Data**", ""] + [f"- {c}" for c in citations] + [""]
    lines += [
        "**Licence.** Course text CC BY 4.0, code MIT; data under the terms stated in each "
        "citation. From Research to Action (ILO, with IOM; funded by the US Department of Labor).",
    ]
    return "\n".join(lines)


DEFAULT_REQUIRES = ["pandas", "numpy", "matplotlib", "statsmodels"]


def setup_source(ex: Exercise, data_url: str) -> str:
    """First code cell: installs what a bare Python lacks and fetches the data when the
    notebook was opened without its folder (Colab). On a hub or in grading it does nothing."""
    requires = list(ex.meta.get("requires", DEFAULT_REQUIRES))
    return "\n".join([
        "# Set-up (read-only): works on a course JupyterHub, Binder, Colab or a laptop.",
        "import importlib.util",
        "import subprocess",
        "import sys",
        "from pathlib import Path",
        "from urllib.request import urlretrieve",
        "",
        f"_needed = {requires!r}",
        "_missing = [m for m in _needed if importlib.util.find_spec(m) is None]",
        "if _missing:",
        '    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", *_missing])',
        f"for _name in {ex.datasets!r}:",
        '    _path = Path("data") / f"{_name}.csv"',
        "    if not _path.exists():  # opened without the assignment folder, e.g. on Colab",
        "        _path.parent.mkdir(exist_ok=True)",
        f'        urlretrieve(f"{data_url}/{{_name}}.csv", _path)',
    ])


def selfcheck_source(ex: Exercise) -> str:
    """Last code cell: re-runs every visible test and says which pass (hidden tests are not
    in it, so it reveals nothing the tests above don't)."""
    checks = {}
    for c in ex.cells:
        if c.kind is Kind.TESTS:
            checks[c.grade_id] = markers.strip(c.source, markers.HIDDEN_TESTS, exact=True).strip()
    lines = [
        "# Self-check (read-only): runs the visible tests above and says which pass.",
        "# Passing them means your answers are well formed; more tests run when you are graded.",
        "_rta_checks = {",
        *[f"    {gid!r}: {src!r}," for gid, src in checks.items()],
        "}",
        "for _gid, _src in _rta_checks.items():",
        "    try:",
        "        exec(_src, globals())",
        '        print(f"PASS  {_gid}")',
        "    except NotImplementedError:",
        '        print(f"TODO  {_gid}: not answered yet")',
        "    except Exception as _exc:  # report every failure, don't stop at the first",
        '        print(f"FAIL  {_gid}: {type(_exc).__name__}: {_exc}")',
    ]
    return "\n".join(lines)


def _locked_code(source: str, grade_id: str) -> nbformat.NotebookNode:
    cell: nbformat.NotebookNode = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = nbgrader_metadata(Kind.SETUP, grade_id, None)
    cell["id"] = grade_id.replace("_", "-")
    return cell


def to_nbgrader_source(ex: Exercise, citations: list[str] | None = None,
                       data_url: str = "") -> nbformat.NotebookNode:
    nb: nbformat.NotebookNode = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
        "rta": {"exercise": ex.id, "module": ex.module, "title": ex.title,
                "datasets": ex.datasets},
    }
    header = nbformat.v4.new_markdown_cell(header_markdown(ex, citations or []))
    header.metadata["nbgrader"] = nbgrader_metadata(Kind.PROSE, "rta_header", None)
    header["id"] = "rta-header"
    nb.cells.append(header)
    if data_url or ex.datasets:
        nb.cells.append(_locked_code(setup_source(ex, data_url), "rta_setup"))
    for i, c in enumerate(ex.cells):
        source = c.source
        if i == 0 and c.kind is Kind.PROSE and source.startswith("# "):
            # The header already carries the title; drop the source's own H1.
            source = source.split("\n", 1)[1].strip() if "\n" in source else ""
            if not source:
                continue
        if c.cell_type == "code":
            cell = nbformat.v4.new_code_cell(source)
        else:
            cell = nbformat.v4.new_markdown_cell(source)
        meta = {k: v for k, v in c.metadata.items() if k not in AUTHORING_KEYS}
        tags = [t for t in meta.get("tags", []) if t not in {"answer", "tests", "written"}]
        if tags:
            meta["tags"] = tags
        else:
            meta.pop("tags", None)
        meta["nbgrader"] = nbgrader_metadata(c.kind, c.grade_id, _int_if_whole(c.points))
        cell.metadata = meta
        cell["id"] = c.grade_id[:64]  # deterministic ids keep generated notebooks diffable
        nb.cells.append(cell)
    nb.cells.append(_locked_code(selfcheck_source(ex), "rta_selfcheck"))
    nbformat.validate(nb)
    return nb
