"""rta records exactly what stock `nbgrader autograde` records for well-behaved submissions:
the same gradebook rows and the same autograded notebooks (timestamps, pids and memory
addresses aside), including stdout, stderr warnings, figures, tracebacks and partial credit."""

from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest

from course.authoring.release import release, tool_env
from course.grader.compare import diff_courses
from course.grader.engine import autograde

from .conftest import submit

pytestmark = pytest.mark.slow

VARIANTS = {
    "correct": {},
    "blank": None,
    "partly": {"q2": "def double(v):\n    return v + v\n"},
    "noisy": {  # stdout, a warning on stderr, an expression result, a figure
        "q1": "import warnings\nprint('computing the mean')\nwarnings.warn('check the data')\n"
              "mean = float(numbers.mean())\nmean",
        "q2": "import matplotlib.pyplot as plt\ndef double(v):\n    return 2 * v\n"
              "plt.plot([1, 2, 3], [double(1), double(2), double(3)])\nplt.title('doubles')",
    },
    "wide": {  # a wide table prints in full in a kernel, cut to 80 columns in a terminal
        "q1": "import pandas as pd\nmean = float(numbers.mean())\n"
              "pd.DataFrame({f'column_{i}': range(3) for i in range(14)})",
        "q2": "def double(v):\n    return 2 * v\n",
    },
    "wrong": {"q1": "mean = float(numbers.median()) + 0.5", "q2": "def double(v):\n    return v ** 2\n"},
    "crashing": {"q1": "mean = numbers.no_such_method()", "q2": "def double(v):\n    raise ValueError(v)\n"},
    "magics": {  # IPython's magics and a shell command, as honest notebooks use them
        "q1": "%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n!ls data\n%env MY_FLAG=1\n"
              "mean = float(numbers.mean())",
        "q2": "%%capture captured\nprint('kept in captured')\ndef double(v):\n    return 2 * v\n",
    },
}


def test_identical_to_stock_nbgrader(mini_course, tmp_path) -> None:
    release(mini_course, ["toy"])
    grading = mini_course.grading
    src = nbformat.read(grading / "source" / "toy" / "toy.ipynb", as_version=4)
    rel = nbformat.read(grading / "release" / "toy" / "toy.ipynb", as_version=4)
    for student, answers in VARIANTS.items():
        nb = nbformat.from_dict(rel)
        if answers == {}:
            nb = nbformat.from_dict(src)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if answers and gid in answers:
                cell.source = answers[gid]
        submit(grading, student, nb)
    stock, ours = tmp_path / "stock", tmp_path / "rta"
    shutil.copytree(grading, stock)
    shutil.copytree(grading, ours)
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "toy", "--force"], cwd=stock,
                   env=tool_env(), capture_output=True, check=True)
    outcomes = autograde(ours, "toy", workers=2)
    assert all(not o.failed and not o.flags for o in outcomes), [o.status for o in outcomes]
    assert diff_courses(stock, ours, "toy") == []
    scores = {o.student: o.score for o in outcomes}
    assert scores == {"correct": 5, "blank": 0, "partly": 2, "noisy": 5, "wide": 5, "wrong": 2,
                      "crashing": 0, "magics": 5}
