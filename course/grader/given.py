"""What the notebook's set-up cells gave: the judge's own copy, and whether a student's value
still holds it.

Hidden tests often compute what they expect from the set-up data (`bom`, `survey`, `uk5`): a
student who empties or edits that data in place, or rebinds it, could make stub answers
match. The judge replays the read-only cells (judge.py: those that bind names tests may
read and call none of the student's functions), so it holds the course's own copy of each
name they bind. When a test reads such a name, the student's value is used only if it still
holds the course's copy unchanged: the same rows (in any order: a table sorted in place is
still the course's) and the same values in every original column (a DataFrame may gain
columns: answers add them), or equal in full for anything else.
Otherwise the test reads the judge's copy, and a note says so. For honest work, which leaves
the set-up data as given, this is exactly what stock nbgrader's single kernel would see.
"""

from __future__ import annotations

import math
import sys
from typing import Any

MAX_DEPTH = 20  # containers of set-up data nested deeper than this count as changed


def still_holds(student: Any, course: Any) -> bool:
    """Does the student's value hold the course's copy unchanged (a DataFrame may add columns)?
    Anything that cannot be compared counts as changed: the course's copy is then used,
    which for equal content makes no difference."""
    try:
        import pandas as pd

        if type(student) is type(course) and type(course) in (pd.DataFrame, pd.Series):
            student = _in_course_order(student, course)
            if student is None:
                return False
        if type(student) is pd.DataFrame and type(course) is pd.DataFrame:
            return all(student.columns.tolist().count(c) == 1 and student[c].equals(course[c])
                       for c in course.columns)
        return same(student, course)
    except Exception:  # noqa: BLE001  (a comparison that raises: changed)
        return False


def _in_course_order(student: Any, course: Any) -> Any:
    """The student's table in the course's row order, if its rows are the course's rows (a
    table sorted in place is unchanged for every test that looks rows up by label); else None."""
    if student.index.equals(course.index):
        return student
    if (len(student.index) != len(course.index) or not student.index.is_unique
            or not course.index.is_unique or set(student.index) != set(course.index)):
        return None
    return student.reindex(course.index)


def same(a: Any, b: Any, depth: int = 0) -> bool:
    """Equal in value and type, NaN equal to NaN, recursing through plain containers."""
    if type(a) is not type(b) or depth > MAX_DEPTH:
        return False
    if a is b:
        return True
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y, depth + 1) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k], depth + 1) for k in a)
    module = type(a).__module__.split(".")[0]
    if module == "pandas":
        return bool(a.equals(b))
    if module == "numpy":
        import numpy as np

        if isinstance(a, np.ndarray):
            if a.shape != b.shape or a.dtype != b.dtype:
                return False
            try:
                return bool(np.array_equal(a, b, equal_nan=True))
            except TypeError:  # equal_nan on strings or objects
                return bool(np.array_equal(a, b))
        return bool(a == b) or bool(a != a and b != b)
    return bool(a == b)


def copy_of(value: Any) -> Any:
    """A copy a test may change without changing the set-up's (a reference where it cannot)."""
    import copy

    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001
        return value


def figures() -> set[int]:
    plt = sys.modules.get("matplotlib.pyplot")
    return set(plt.get_fignums()) if plt is not None else set()


def close_new_figures(before: set[int]) -> None:
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        for num in set(plt.get_fignums()) - before:
            plt.close(num)
