"""nbgrader's scoring rule and its output post-processing, applied to an executed notebook.

A grade cell scores its points iff its outputs hold no error and no stderr text (a single
number as execute_result gives partial credit): `nbgrader.utils.determine_grade`, called
as SaveAutoGrades calls it. Cells the kernel never reached get an error output first, so a
dead kernel can never pass the tests after it (nbgrader #427).
"""

from __future__ import annotations

import logging
from typing import Any

from nbformat import NotebookNode

from .jobs import NotebookResult

log = logging.getLogger("rta.grader")


def not_executed(why: str) -> NotebookNode:
    return NotebookNode({"output_type": "error", "ename": "NotExecuted", "evalue": why,
                         "traceback": [f"\x1b[0;31mNotExecuted\x1b[0m: {why}"]})


def postprocess(nb: NotebookNode, config: Any, resources: dict[str, Any]) -> None:
    """nbgrader's autograde preprocessors after Execute, each only when enabled, as stock does."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import IgnorePattern, LimitOutput

    for cls in (IgnorePattern, ClearMetadataPreprocessor, LimitOutput):
        pp = cls(config=config)
        if pp.enabled:
            pp.preprocess(nb, resources)


def score(nb: NotebookNode, result: NotebookResult) -> None:
    from nbgrader import utils

    for cell in nb.cells:
        if utils.is_grade(cell):
            auto, _ = utils.determine_grade(cell, log)
            result.grades[cell.metadata.nbgrader["grade_id"]] = auto
        if utils.is_solution(cell) or utils.is_task(cell):
            unchanged = (cell.metadata.nbgrader.get("checksum", None) == utils.compute_checksum(cell)
                         and not utils.is_task(cell))
            result.comments[cell.metadata.nbgrader["grade_id"]] = "No response." if unchanged else None
    if result.flags:  # never award points to a notebook that tampered with grading
        result.grades = dict.fromkeys(result.grades, 0.0)
