"""Read, repair and sanitize one submitted notebook against the assignment's source.

First nbgrader's own sanitizing steps, with their semantics kept (ClearOutput,
DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata), answered from
the template instead of the database. Then what stock nbgrader leaves to a human (issues
#1083, #424, #92, #878, #1941): unreadable files become a reason, malformed cells are
repaired, and deleted grade or read-only cells are put back from the source. Every change
is written down as a note for the grading report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast

import nbformat
from nbformat import NotebookNode

from .template import NotebookTemplate, TemplateBook

MAX_BYTES = 20 * 1024 ** 2


@dataclass
class Intake:
    nb: NotebookNode | None
    notes: list[str] = field(default_factory=list)
    reason: str | None = None  # set when the notebook cannot be graded at all


def resources_for(student: str, assignment: str, notebook: str) -> dict[str, Any]:
    return {"unique_key": notebook, "output_files_dir": f"{notebook}_files",
            "nbgrader": {"student": student, "assignment": assignment, "notebook": notebook,
                         "db_url": "template://"}}


def read_submission(raw: bytes | None, tpl: NotebookTemplate, student: str, assignment: str,
                    config: Any = None) -> Intake:
    if raw is None:
        return Intake(None, reason=f"notebook {tpl.name}.ipynb was not submitted")
    if len(raw) > MAX_BYTES:
        return Intake(None, reason=f"notebook is larger than {MAX_BYTES // 1024 ** 2} MB")
    if not raw.strip():
        return Intake(None, reason="notebook file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Intake(None, reason=f"notebook is not valid UTF-8 text (byte {exc.start})")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Intake(None, reason=f"notebook is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                                   f"{exc.msg})")
    except RecursionError:
        return Intake(None, reason="notebook is not valid JSON (nested too deeply)")
    notes: list[str] = []
    nb, why = _to_v4(data, notes)
    if nb is None:
        return Intake(None, notes, why)
    try:
        _sanitize(nb, tpl, student, assignment, notes, config)
    except Exception as exc:  # a metadata shape nbgrader cannot handle: say so, grade nothing
        return Intake(None, notes, f"nbgrader metadata is corrupted beyond repair ({exc})")
    return Intake(nb, notes)


def _to_v4(data: Any, notes: list[str]) -> tuple[NotebookNode | None, str]:
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        return None, "file is JSON but not a Jupyter notebook (no list of cells)"
    major = data.get("nbformat")
    if not isinstance(major, int):
        notes.append("nbformat version missing; read as version 4")
        data["nbformat"], data["nbformat_minor"] = 4, data.get("nbformat_minor", 5)
        major = 4
    if major > 4 or major < 3:
        return None, f"unsupported notebook format version {major} (expected 4)"
    if major == 3:
        try:
            nb = nbformat.convert(nbformat.from_dict(data), 4)
            notes.append("notebook format 3 converted to 4")
        except Exception as exc:
            return None, f"notebook format 3 could not be converted ({exc})"
    else:
        nb = nbformat.from_dict(data)
    if not isinstance(nb.get("metadata"), dict):
        nb.metadata = NotebookNode()
        notes.append("notebook metadata missing; recreated")
    if not isinstance(nb.get("nbformat_minor"), int):
        nb.nbformat_minor = 5
    cells = []
    for i, cell in enumerate(nb.cells):
        fixed = _repair_cell(cell, i, notes)
        if fixed is not None:
            cells.append(fixed)
    nb.cells = cells
    _unique_ids(nb, notes)
    _repair_schema(nb, notes)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        return None, f"notebook does not follow the nbformat schema ({str(exc).splitlines()[0][:160]})"
    return nb, ""


def _repair_schema(nb: NotebookNode, notes: list[str]) -> None:
    """What grading never reads is removed where it breaks the schema, rather than refusing
    the notebook (stock nbgrader only warns and grades it): outputs (cleared before the run
    anyway), attachments, notebook and cell metadata other than nbgrader's. Anything else
    still refuses it, in _to_v4."""
    from nbformat.validator import iter_validate

    for _ in range(20):  # the validator names one error per cell at a time
        try:
            errors = [list(e.absolute_path) for e in iter_validate(nb)]
        except Exception:  # noqa: BLE001  (a validator that cannot even walk it: _to_v4 refuses it)
            return
        removed = [_remove_off_schema(nb, path, notes) for path in errors]  # each error, not the first
        if not any(removed):
            return


def _remove_off_schema(nb: NotebookNode, path: list[Any], notes: list[str]) -> bool:
    if len(path) >= 2 and path[0] == "metadata" and path[1] in nb.metadata:
        del nb.metadata[path[1]]
        notes.append(f"notebook metadata {path[1]!r} did not follow the nbformat schema; removed")
        return True
    if not (len(path) >= 3 and path[0] == "cells" and isinstance(path[1], int) and path[1] < len(nb.cells)):
        return False
    cell, where = nb.cells[path[1]], path[2]
    if where == "outputs" and cell.get("outputs"):
        cell.outputs = []
        notes.append(f"cell {path[1] + 1} had malformed outputs; cleared")
    elif where == "attachments" and "attachments" in cell:
        del cell["attachments"]
        notes.append(f"cell {path[1] + 1} had malformed attachments; removed")
    elif where == "metadata" and len(path) >= 4 and path[3] != "nbgrader" and path[3] in cell.metadata:
        del cell.metadata[path[3]]
        notes.append(f"cell {path[1] + 1} metadata {path[3]!r} did not follow the nbformat schema; removed")
    else:
        return False
    return True


def _repair_cell(cell: Any, i: int, notes: list[str]) -> NotebookNode | None:
    if not isinstance(cell, dict):
        notes.append(f"cell {i + 1} is not an object; dropped")
        return None
    cell = NotebookNode(cell)
    ctype = cell.get("cell_type")
    if ctype not in ("code", "markdown", "raw"):
        notes.append(f"cell {i + 1} has unknown type {ctype!r}; read as markdown")
        cell.cell_type = ctype = "markdown"
    src = cell.get("source", "")
    if isinstance(src, list):
        src = "".join(s for s in src if isinstance(s, str))
    if not isinstance(src, str):
        notes.append(f"cell {i + 1} source is not text; emptied")
        src = ""
    try:
        src.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: valid JSON escapes, not writable as UTF-8
        notes.append(f"cell {i + 1} contains invalid characters; replaced")
        src = src.encode("utf-8", "replace").decode("utf-8")
    cell.source = src
    if not isinstance(cell.get("metadata"), dict):
        if "metadata" in cell:
            notes.append(f"cell {i + 1} metadata is not an object; reset")
        cell.metadata = NotebookNode()
    nbg = cell.metadata.get("nbgrader")
    if nbg is not None and not isinstance(nbg, dict):
        notes.append(f"cell {i + 1} nbgrader metadata is not an object; removed")
        del cell.metadata["nbgrader"]
    if ctype == "code":
        if not isinstance(cell.get("outputs"), list):
            cell.outputs = []
        if not isinstance(cell.get("execution_count"), int | None):
            cell.execution_count = None
    else:
        for key in ("outputs", "execution_count"):
            cell.pop(key, None)
    for key in list(cell):
        if key not in ("cell_type", "source", "metadata", "outputs", "execution_count", "id",
                       "attachments"):
            del cell[key]
    if "attachments" in cell and (ctype == "code" or not isinstance(cell.attachments, dict)):
        del cell["attachments"]
    return cast(NotebookNode, cell)


def _unique_ids(nb: NotebookNode, notes: list[str]) -> None:
    import re
    import uuid

    seen: set[str] = set()
    dup = 0
    for cell in nb.cells:
        cid = cell.get("id")
        if not isinstance(cid, str) or not re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", cid) or cid in seen:
            dup += cid is not None
            cid = uuid.uuid4().hex[:8]
            cell.id = cid
        seen.add(cid)
    if nb.nbformat_minor < 5:
        for cell in nb.cells:
            cell.pop("id", None)
    if dup:
        notes.append(f"{dup} cell id(s) were duplicated or invalid; renamed")


def _kind(cell: NotebookNode) -> str:
    nbg = cell.metadata.get("nbgrader", {})
    return str(nbg.get("grade_id")) if nbg.get("grade_id") is not None else ""


def _sanitize(nb: NotebookNode, tpl: NotebookTemplate, student: str, assignment: str,
              notes: list[str], config: Any) -> None:
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds

    res = resources_for(student, assignment, tpl.name)
    counts: dict[str, int] = {}
    for cell in nb.cells:
        if _kind(cell):
            counts[_kind(cell)] = counts.get(_kind(cell), 0) + 1
    for gid, n in counts.items():
        if n > 1:
            notes.append(f"cell {gid} appears {n} times; the last copy is graded")
    ClearOutput(config=config).preprocess(nb, res)
    DeduplicateIds(config=config).preprocess(nb, res)
    if tpl.kernelspec:
        nb.metadata["kernelspec"] = NotebookNode(tpl.kernelspec)
    for cell in nb.cells:  # nbgrader drops unknown ids but keeps the rest, which CheckCellMetadata rejects
        nbg = cell.metadata.get("nbgrader")
        if nbg and "grade_id" in nbg and tpl.cell(str(nbg["grade_id"])) is None:
            notes.append(f"cell id {nbg['grade_id']!r} is not in the assignment; "
                         "treated as the student's own")
            del cell.metadata["nbgrader"]
        elif nbg is not None and "grade_id" not in nbg:
            del cell.metadata["nbgrader"]
        elif nbg:
            _repair_nbgrader_metadata(cell, tpl, notes)
    ow: Any = _NotingOverwriteCells(config=config, notes=notes)
    ow.pristine = {_kind(c) for c in nb.cells if _kind(c) and _is_released(c, tpl)}
    ow.gradebook = TemplateBook(tpl)
    ow.notebook_id, ow.assignment_id = tpl.name, assignment
    for i, cell in enumerate(nb.cells):
        ow.preprocess_cell(cell, res, i)
    _restore_missing(nb, tpl, notes)
    CheckCellMetadata(config=config).preprocess(nb, res)


def _is_released(cell: NotebookNode, tpl: NotebookTemplate) -> bool:
    """Is this read-only cell exactly as released (the source minus its hidden tests)?"""
    src = tpl.cell(_kind(cell))
    return src is not None and src.locked and cell.source in (src.source, strip_hidden_tests(src.source))


def strip_hidden_tests(source: str, begin: str = "BEGIN HIDDEN TESTS", end: str = "END HIDDEN TESTS") -> str:
    """The student-visible version of a test cell (nbgrader's ClearHiddenTests).

    Not `course.markers.strip`: this must give nbgrader's bytes (it splits on "\\n" only and
    keeps a trailing empty line), and `markers` splits with `splitlines()` for authoring."""
    out, hidden = [], False
    for line in source.split("\n"):
        if begin in line:
            hidden = True
        elif end in line:
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out)


def _repair_nbgrader_metadata(cell: NotebookNode, tpl: NotebookTemplate, notes: list[str]) -> None:
    """A known grade id with edited flags: take the flags from the source, as they were released."""
    src = tpl.cell(str(cell.metadata.nbgrader["grade_id"]))
    if src is None:  # not a known grade id: nothing to restore from
        return
    nbg = cell.metadata.nbgrader
    want = {"grade": src.max_score is not None, "solution": src.solution, "locked": src.locked,
            "task": src.task}
    changed = [k for k, v in want.items() if bool(nbg.get(k, False)) != v]
    if src.max_score is not None and not _is_number(nbg.get("points")):
        changed.append("points")
    if changed:
        notes.append(f"cell {src.name}: nbgrader metadata edited ({', '.join(changed)}); restored")
        new = {"grade": want["grade"], "solution": want["solution"], "locked": want["locked"],
               "grade_id": src.name, "schema_version": 3, "cell_type": src.cell_type}
        if want["task"]:
            new["task"] = True
        if src.max_score is not None:
            new["points"] = src.max_score
        if src.checksum:
            new["checksum"] = src.checksum
        cell.metadata.nbgrader = NotebookNode(new)


def _is_number(v: Any) -> bool:
    try:
        float(v)
        return not isinstance(v, bool)
    except (TypeError, ValueError):
        return False


def _restore_missing(nb: NotebookNode, tpl: NotebookTemplate, notes: list[str]) -> None:
    """Put deleted grade, answer and read-only cells back after their predecessor in the source."""
    present = {_kind(c) for c in nb.cells if _kind(c)}
    order = [c.name for c in tpl.cells]
    for pos, src in enumerate(tpl.cells):
        if src.name in present:
            continue
        what = ("test cell" if src.max_score is not None and not src.solution else
                "answer cell" if src.solution else "read-only cell")
        notes.append(f"{what} {src.name} was deleted; restored from the source"
                     + ("" if not src.solution else " (as the empty stub, scoring zero)"))
        new = _cell_from_source(src)
        index = 0
        for prev in reversed(order[:pos]):
            idx = next((i for i, c in enumerate(nb.cells) if _kind(c) == prev), None)
            if idx is not None:
                index = idx + 1
                break
        nb.cells.insert(index, new)
        present.add(src.name)


def _cell_from_source(src: Any) -> NotebookNode:
    meta: dict[str, Any] = {"grade": src.max_score is not None and not src.task, "grade_id": src.name,
                            "locked": src.locked, "solution": src.solution, "schema_version": 3,
                            "cell_type": src.cell_type}
    if src.max_score is not None:
        meta["points"] = src.max_score
    if src.task:
        meta["task"] = True
    if src.checksum:
        meta["checksum"] = src.checksum
    cell = (nbformat.v4.new_code_cell(src.source) if src.cell_type == "code"
            else nbformat.v4.new_markdown_cell(src.source))
    cell.metadata["nbgrader"] = meta
    if src.locked:
        cell.metadata.update({"deletable": False, "editable": False})
    return cast(NotebookNode, cell)


class _NotingOverwriteCells:
    """nbgrader's OverwriteCells.preprocess_cell, with its warnings collected as notes."""

    def __new__(cls, config: Any, notes: list[str]) -> Any:  # built lazily: nbgrader imports are slow
        from nbgrader.preprocessors import OverwriteCells

        class Noting(OverwriteCells):  # type: ignore[misc]  # nbgrader has no annotations
            def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
                if attr == "checksum":
                    if name in self.pristine:  # the released version: hidden tests go back in
                        return
                    what = "was edited; restored from the source"
                elif attr == "cell_type":
                    what = f"was changed to {new}; changed back to {old}"
                elif attr == "points":
                    what = f"had its points changed to {new}; restored to {old}"
                else:
                    what = f"had its {attr} flag changed; restored"
                notes.append(f"cell {name} {what}")

        return Noting(config=config)
