"""One submitted notebook, from its bytes to its scored, autograded form (in the zygote)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .codes import Code
from .supervisor import Context, PlanEntry, Run, supervise

TIMEOUT_OUTPUT = {
    "output_type": "error",
    "ename": "CellTimeoutError",
    "evalue": "",
    "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"],
}


def cell_kind(cell: Any) -> str:
    nbg = cell.metadata.get("nbgrader", {})
    if nbg.get("solution"):
        return "student"
    if nbg.get("grade") and cell.cell_type == "code":
        return "test"
    return "locked" if nbg.get("locked") else "student"


def make_plan(nb: Any) -> list[PlanEntry]:
    return [
        (i, c.source, cell_kind(c), str(c.metadata.get("nbgrader", {}).get("grade_id") or f"cell {i + 1}"))
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
    ]


def grade_notebook(ctx: Context, job: Any, name: str, tpl: Any, scratch: Path, judge_dir: Path) -> Any:
    from .cheats import static_flags
    from .intake import read_submission, resources_for
    from .jobs import NotebookResult
    from .scoring import postprocess, score
    from .shell import language_info

    cfg = job.settings.nbgrader_config
    res = NotebookResult(name)
    intake = read_submission(job.notebooks.get(name), tpl, job.student, job.assignment, cfg)
    res.notes.extend(intake.notes)
    if intake.nb is None:
        res.reason = intake.reason
        return res
    nb = intake.nb
    plan = make_plan(nb)
    for i, source, kind, _ in plan:
        if kind == "student":
            for why in static_flags(source):
                res.add_flag(Code.STATIC, f"cell {i + 1}: {why}")
    run = supervise(ctx, job, plan, scratch, judge_dir)
    res.sandbox.extend(run.skipped)
    for f in run.flags:
        res.add_flag(f.code, f.text)
    res.notes.extend(run.notes)
    res.problems.extend(run.problems)
    _fill_outputs(nb, run)
    nb.metadata["language_info"] = language_info()
    postprocess(nb, cfg, resources_for(job.student, job.assignment, name))
    score(nb, res)
    import nbformat

    # a lone surrogate a cell printed cannot be written as UTF-8: kept as a JSON escape
    text = nbformat.writes(nb, version=4).encode("utf-8", "backslashreplace").decode("utf-8")
    res.notebook = text if text.endswith("\n") else text + "\n"
    return res


def _fill_outputs(nb: Any, run: Run) -> None:
    import nbformat

    from .scoring import not_executed

    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        done = run.cells.get(i)
        cell.metadata["execution"] = {}
        if done is not None:
            cell.outputs = [nbformat.from_dict(o) for o in done.outputs]
            cell.execution_count = done.ec
            cell.metadata["execution"] = {
                "iopub.execute_input": done.t0,
                "iopub.status.busy": done.t0,
                "iopub.status.idle": done.t1,
                "shell.execute_reply": done.t1,
            }
        else:
            cell.outputs = [not_executed(run.stopped or "the kernel stopped before this cell")]
        if i in run.timeouts:
            cell.outputs.append(nbformat.from_dict(TIMEOUT_OUTPUT))
