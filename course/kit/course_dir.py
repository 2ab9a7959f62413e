"""The kit's nbgrader course directory (sources with their data, a header notebook carrying
the attribution), the instructor solutions made by stock nbgrader, and the datasets."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import nbformat

from course.authoring.exercise import Kind, read_exercise
from course.authoring.nbgrader_source import nbgrader_metadata
from course.authoring.release import ensure_course_dir, nbgrader, write_source
from course.identity import LICENCES, course_identity
from course.kit.texts import render
from course.paths import Layout

HEADER_CONFIG = (
    "# Every released notebook opens with the course attribution and licence.\n"
    'c.IncludeHeaderFooter.header = os.path.join(c.CourseDirectory.root, "source", "header.ipynb")\n'
)


def header_notebook(layout: Layout) -> nbformat.NotebookNode:
    ident = course_identity(layout)
    header: nbformat.NotebookNode = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_markdown_cell(
        render("header.md", title=ident.title, author=ident.author, licences=LICENCES).strip())
    cell.metadata["nbgrader"] = nbgrader_metadata(Kind.PROSE, "course_attribution", None)
    cell["id"] = "course-attribution"  # not a random id: the same course gives the same kit
    header.cells.append(cell)
    return header


def export_course_dir(layout: Layout, exercises: list[str], out: Path) -> None:
    course = out / "course"
    ensure_course_dir(course)
    for ex_id in exercises:
        write_source(read_exercise(layout.exercises / f"{ex_id}.md"), layout, course)
    (course / "source").mkdir(exist_ok=True)
    nbformat.write(header_notebook(layout), course / "source" / "header.ipynb")
    # Stock nbgrader makes the instructor solutions; the gradebook it creates is not shipped.
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "course"
        shutil.copytree(course, scratch)
        sol_dir = out / "instructor" / "solutions"
        sol_dir.mkdir(parents=True)
        for ex_id in exercises:
            nbgrader(["generate_assignment", ex_id, "--force", "--create"], scratch)
            nbgrader(["generate_solution", ex_id, "--force"], scratch)
            shutil.copy2(scratch / "solution" / ex_id / f"{ex_id}.ipynb", sol_dir / f"{ex_id}.ipynb")
    cfg = course / "nbgrader_config.py"
    cfg.write_text(cfg.read_text(encoding="utf-8") + HEADER_CONFIG, encoding="utf-8")


def export_datasets(layout: Layout, names: list[str], out: Path) -> None:
    dest = out / "datasets"
    dest.mkdir()
    package = json.loads((layout.datasets / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] in names]
    for name in names:
        shutil.copy2(layout.datasets / f"{name}.csv", dest / f"{name}.csv")
    (dest / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
