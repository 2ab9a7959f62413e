"""`rta export`: a subset of modules as a self-contained university course folder.

    OUT/
      README.md              for the instructor: what is inside, set-up, schedule, adapting
      INSTRUCTOR_GUIDE.md    learning outcomes, timings, answer keys, common mistakes
      LICENSE.md             attribution that satisfies CC BY 4.0, code and data terms
      course/                an nbgrader course directory (config, header, source/ with data)
      instructor/solutions/  solution notebooks made by stock `nbgrader generate_solution`
      datasets/              the tables these modules use + datapackage.json (citations)
      book/                  a mini Jupyter Book of these modules (pages already executed)
      lms/                   IMS Common Cartridge 1.3 (.imscc) and nbgitpuller links

Everything in OUT works with stock nbgrader and Jupyter Book alone: the book's pages are the
executed notebooks (execution off), the assignments read `data/*.csv` with pandas. The parts:
the book (`kit.book`), the course directory and datasets (`kit.course_dir`), the texts from
`kit/template/` (`kit.texts`), the cartridge (`kit.cartridge`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from course.authoring.exercise import read_exercise
from course.book.minibook import check_modules, module_ids
from course.errors import UserError
from course.identity import course_identity
from course.paths import Layout

Log = Callable[[str], None]


@dataclass
class Export:
    out: Path
    modules: list[str]
    exercises: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)


def resolve_modules(layout: Layout, spec: str) -> list[str]:
    """'2,6' or 'm02_global_estimates,m06_mse' -> module ids, in course order."""
    known = module_ids(layout)
    out = []
    for token in [t.strip() for t in spec.split(",") if t.strip()]:
        if token.isdigit():
            match = [m for m in known if m.startswith(f"m{int(token):02d}_")]
        else:
            match = [m for m in known if m == token]
        if not match:
            raise UserError(f"unknown module '{token}'",
                            fix=f"choose from: {', '.join(known) or '(no module in modules/)'}")
        out += match
    if not out:
        raise UserError("no module given", fix="name modules, e.g. --modules 2,6")
    check_modules(layout, out)
    return sorted(set(out), key=known.index)


def _datasets_used(layout: Layout, modules: list[str]) -> list[str]:
    names: set[str] = set()
    for m in modules:
        for md in (layout.modules / m).glob("*.md"):
            names |= set(re.findall(r"""load\(\s*["']([a-z0-9_]+)["']""", md.read_text(encoding="utf-8")))
        ex = layout.exercises / f"{m}.md"
        if ex.exists():
            names |= set(read_exercise(ex).datasets)
    return sorted(n for n in names if (layout.datasets / f"{n}.csv").exists())


def export(layout: Layout, spec: str, out: Path, *, hub_url: str = "https://hub.example.edu",
           repo_url: str = "https://github.com/your-org/rta-course-release", branch: str = "main",
           book_url: str = "https://rta-mooc.github.io/rta-mooc", log: Log = print) -> Export:
    from course.kit.book import export_book
    from course.kit.cartridge import write_lms
    from course.kit.course_dir import export_course_dir, export_datasets
    from course.kit.texts import write_texts

    modules = resolve_modules(layout, spec)
    if out.exists() and any(out.iterdir()):
        raise UserError(f"{out} exists and is not empty (nothing is overwritten)",
                        fix="choose a new or empty folder for --out")
    course_identity(layout)  # a book configuration without title or author stops here, not midway
    exp = Export(out=out, modules=modules,
                 exercises=[m for m in modules if (layout.exercises / f"{m}.md").exists()],
                 datasets=_datasets_used(layout, modules))
    out.mkdir(parents=True, exist_ok=True)
    try:
        log(f"export: building {', '.join(modules)} (executing their pages once)")
        export_book(layout, modules, out, log=log)
        log("export: nbgrader course directory and solutions (stock nbgrader)")
        export_course_dir(layout, exp.exercises, out)
        export_datasets(layout, exp.datasets, out)
        (out / "lms").mkdir()
        write_texts(layout, out, modules, exp.exercises, hub_url, repo_url, branch)
        write_lms(layout, out, modules, exp.exercises, book_url)
    except Exception:
        shutil.rmtree(out)  # never leave a half-written kit behind
        raise
    log(f"export: done -> {out}")
    return exp
