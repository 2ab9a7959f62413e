"""Generated nbgrader source notebooks: golden output and nbgrader's own schema-3 validator."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from course.authoring.exercise import read_exercise
from course.authoring.nbgrader_source import to_nbgrader_source

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "toy_source.ipynb"


def _generate() -> str:
    nb = to_nbgrader_source(read_exercise(HERE / "fixtures" / "toy.md"), ["Toy data citation."],
                            "https://raw.githubusercontent.com/rta-mooc/rta-mooc/main/datasets")
    return nbformat.writes(nb) + "\n"


def test_matches_golden(request: pytest.FixtureRequest) -> None:
    """Any change to the generated notebook must be reviewed: regenerate with
    `pytest --regen-golden` and read the diff."""
    text = _generate()
    if request.config.getoption("--regen-golden"):
        GOLDEN.write_text(text)
    assert GOLDEN.exists(), "golden file missing: run pytest --regen-golden"
    assert text == GOLDEN.read_text()


def test_nbgrader_accepts_metadata() -> None:
    nb = nbformat.reads(_generate(), as_version=4)
    MetadataValidator().validate_nb(nb)  # raises on invalid schema-3 metadata
    meta = [c.metadata["nbgrader"] for c in nb.cells]
    assert all(m["schema_version"] == 3 for m in meta)
    graded = {m["grade_id"]: m["points"] for m in meta if m["grade"]}
    assert graded == {"q1_tests": 1, "q1_tests_2": 2, "q2_tests": 2, "q3": 1}
    written = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "q3")
    assert written.cell_type == "markdown" and written.metadata["nbgrader"]["solution"]
    # Authoring-only keys and tags do not leak into the notebook.
    assert not any("points" in c.metadata or "answer" in c.metadata.get("tags", [])
                   for c in nb.cells)


def test_header_carries_module_goals_submission_and_citation() -> None:
    header = nbformat.reads(_generate(), as_version=4).cells[0].source
    for expected in ("# Toy exercise", "Module 0", "6 points", "submit", "Toy data citation.",
                     "CC BY 4.0"):
        assert expected in header


def test_metadata_corruption_is_rejected_by_nbgrader() -> None:
    """The validator used above really rejects bad metadata (so the test can fail)."""
    nb = nbformat.reads(_generate(), as_version=4)
    tests = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "q1_tests")
    del tests.metadata["nbgrader"]["points"]
    with pytest.raises(Exception, match="points"):
        MetadataValidator().validate_nb(nb)
    json.dumps(nb)  # still a plain notebook


def _run(nb: nbformat.NotebookNode, tmp_path: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    (tmp_path / "data").mkdir(parents=True)
    (tmp_path / "data" / "toy_numbers.csv").write_text("x\n1\n2\n3\n4\n")
    client = NotebookClient(nb, timeout=60, allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    return client.execute()


def _selfcheck_output(nb: nbformat.NotebookNode) -> str:
    cell = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "rta_selfcheck")
    return "".join(o.get("text", "") for o in cell.outputs)


def test_selfcheck_reports_each_visible_test(tmp_path: Path) -> None:
    nb = nbformat.reads(_generate(), as_version=4)
    out = _selfcheck_output(_run(nb, tmp_path))
    assert "PASS  q1_tests" in out and "PASS  q1_tests_2" in out and "PASS  q2_tests" in out
    # a wrong answer to question 2 is reported, and the others still pass
    nb = nbformat.reads(_generate(), as_version=4)
    for c in nb.cells:
        if c.metadata["nbgrader"]["grade_id"] == "q2":
            c.source = "def double(v):\n    return 3 * v\n"
    out = _selfcheck_output(_run(nb, tmp_path / "again"))
    assert "FAIL  q2_tests: AssertionError" in out and "PASS  q1_tests" in out
    # hidden tests are not part of the self-check
    selfcheck = next(c for c in nbformat.reads(_generate(), as_version=4).cells
                     if c.metadata["nbgrader"]["grade_id"] == "rta_selfcheck")
    assert "assert double(1) == 2" in selfcheck.source and "double(21)" not in selfcheck.source
