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
executed notebooks (execution off), the assignments read `data/*.csv` with pandas.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from course.authoring.exercise import read_exercise
from course.authoring.release import ensure_course_dir, nbgrader, write_source
from course.book.minibook import check_modules, module_ids, module_pages
from course.errors import UserError
from course.paths import Layout

Log = Callable[[str], None]


class ExportError(UserError):
    """Bad arguments: names the problem and what to do."""


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
            raise ExportError(f"unknown module '{token}'",
                              fix=f"choose from: {', '.join(known) or '(no module in modules/)'}")
        out += match
    if not out:
        raise ExportError("no module given", fix="name modules, e.g. --modules 2,6")
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


def _section(markdown: str, *keywords: str) -> str:
    """The text of the first `##` section whose heading contains one of the keywords."""
    parts = re.split(r"^## ", markdown, flags=re.M)
    for part in parts[1:]:
        heading = part.splitlines()[0].lower()
        if any(k in heading for k in keywords):
            return "## " + part.strip()
    return ""


def _title(markdown: str) -> str:
    m = re.search(r"^# (.+)$", markdown, re.M)
    return m.group(1).strip() if m else ""


def export_course_dir(layout: Layout, exercises: list[str], out: Path) -> None:
    course = out / "course"
    ensure_course_dir(course)
    header = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_markdown_cell(
        "*From Research to Action MOOC: measuring child labour, forced labour and human "
        "trafficking.* Course text CC BY 4.0 (ILO From Research to Action project, with IOM; "
        "funded by the US Department of Labor); code MIT. See LICENSE.md in the course folder.")
    cell.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": True,
                                 "grade_id": "course_attribution", "schema_version": 3}
    header.cells.append(cell)
    for ex_id in exercises:
        write_source(read_exercise(layout.exercises / f"{ex_id}.md"), layout, course)
    (course / "source").mkdir(exist_ok=True)
    nbformat.write(header, course / "source" / "header.ipynb")
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
    cfg.write_text(cfg.read_text(encoding="utf-8") + (
        "# Every released notebook opens with the course attribution and licence.\n"
        'c.IncludeHeaderFooter.header = os.path.join(c.CourseDirectory.root, "source", "header.ipynb")\n'
    ), encoding="utf-8")


def export_datasets(layout: Layout, names: list[str], out: Path) -> None:
    dest = out / "datasets"
    dest.mkdir()
    package = json.loads((layout.datasets / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] in names]
    for name in names:
        shutil.copy2(layout.datasets / f"{name}.csv", dest / f"{name}.csv")
    (dest / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")


_MD_LINK = re.compile(r"\]\((?!https?:)([^)#\s]+?)\.md(#[^)]*)?\)")


def from_book_cache(nb: nbformat.NotebookNode, cache_dir: Path) -> nbformat.NotebookNode | None:
    """The page's outputs from the book's execution cache (same code, same kernel), if the
    book was built since the page last changed: no second execution."""
    if not cache_dir.is_dir():
        return None
    try:
        from jupyter_cache import get_cache

        _, merged = get_cache(str(cache_dir)).merge_match_into_notebook(nb)
    except Exception:  # no match (the page changed) or an unreadable cache: execute instead
        return None
    return merged


def execute_page(path: Path, timeout: int = 300, cache_dir: Path | None = None) -> nbformat.NotebookNode:
    """Run a MyST page as a notebook in its own folder, as the book build does (or take its
    outputs from the book's execution cache when they are there)."""
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(path, fmt="md:myst")
    cached = from_book_cache(nb, cache_dir) if cache_dir else None
    if cached is not None:
        return cached
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError as exc:
        raise ExportError(f"a cell failed while executing the page\n{str(exc)[:2000]}", path=path,
                          fix=f"run `rta preview {path.parent.name}` to see it") from exc
    return nb


def export_book(layout: Layout, modules: list[str], out: Path, log: Log) -> None:
    """Ship the chosen modules' pages as executed notebooks (with their glue data), so the mini
    book builds with stock Jupyter Book, no execution and no course package."""
    from course.authoring.release import release
    from course.book.pipeline import student_pages

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Layout(Path(tmp))
        exercises = [m for m in modules if (layout.exercises / f"{m}.md").exists()]
        released = release(layout, exercises, course_dir=Path(tmp) / "course")
        student_pages(scratch, released)
        book = out / "book"
        for module in modules:
            for page in module_pages(layout, module):
                if page.startswith("_generated/"):
                    dest = book / "exercises" / Path(page).name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(scratch.root / f"{page}.ipynb", dest.with_suffix(".ipynb"))
                    shutil.copy2(scratch.root / f"{page}.zip", dest.with_suffix(".zip"))
                    continue
                log(f"page {page}")
                nb = execute_page(layout.root / f"{page}.md", cache_dir=layout.build / ".jupyter_cache")
                nb.metadata["mystnb"] = {"execution_mode": "off"}
                for cell in nb.cells:  # pages ship as .ipynb: point links at them
                    if cell.cell_type == "markdown":
                        cell.source = _MD_LINK.sub(r"](\1.ipynb\2)", cell.source)
                dest = book / f"{page}.ipynb"
                dest.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, dest)
    # Modules cite each other's entries: ship every bibliography file, list only what is cited.
    bibs = []
    for bib in sorted(layout.modules.glob("**/references.bib")):
        name = "references.bib" if bib.parent == layout.modules else f"{bib.parent.name}.bib"
        (book / "bib").mkdir(exist_ok=True)
        shutil.copy2(bib, book / "bib" / name)
        bibs.append(f"bib/{name}")
    root_md = "export_index"
    shutil.copytree(layout.modules / "_static", book / "_static")
    (book / "bibliography.md").write_text("# Bibliography\n\n```{bibliography}\n```\n",
                                          encoding="utf-8")
    reference = [{"file": "bibliography"}]
    if (layout.modules / "glossary.md").exists():  # chapters link key terms to it
        shutil.copy2(layout.modules / "glossary.md", book / "glossary.md")
        reference.insert(0, {"file": "glossary"})
    titles = []
    chapters = []
    for module in modules:
        pages = module_pages(layout, module)
        index_md = (layout.modules / module / "index.md").read_text(encoding="utf-8")
        titles.append(_title(index_md))
        sections = [{"file": p if not p.startswith("_generated/") else f"exercises/{Path(p).name}"}
                    for p in pages[1:]]
        chapters.append({"file": pages[0], "sections": sections})
    (book / f"{root_md}.md").write_text(
        "# From Research to Action: selected modules\n\n"
        "Modules of the MOOC *Measuring child labour, forced labour and human trafficking* "
        "(ILO From Research to Action project, with IOM; funded by the US Department of Labor), "
        "exported for this course:\n\n" + "\n".join(f"- {t}" for t in titles) +
        "\n\nCourse text CC BY 4.0; code MIT; data under the terms listed with each dataset.\n",
        encoding="utf-8")
    toc = {"format": "jb-book", "root": root_md,
           "parts": [{"caption": "Modules", "chapters": chapters},
                     {"caption": "Reference", "chapters": reference}]}
    (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    config = {
        "title": "From Research to Action: selected modules",
        "author": "From Research to Action MOOC (ILO, with IOM; funded by the US Department of Labor)",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "bibtex_bibfiles": bibs,
        "parse": {"myst_enable_extensions": ["colon_fence", "dollarmath", "amsmath", "deflist",
                                             "substitution", "attrs_inline"]},
        "sphinx": {"config": {"html_static_path": ["_static"], "html_css_files": ["quiz.css"],
                              "html_js_files": ["quiz.js"], "bibtex_reference_style": "author_year",
                              "suppress_warnings": ["mystnb.unknown_mime_type"]}},
    }
    (book / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _read(layout: Layout, module: str) -> str:
    return (layout.modules / module / "index.md").read_text(encoding="utf-8")


def write_docs(layout: Layout, exp: Export, hub_url: str, repo_url: str, branch: str) -> None:
    from course.kit.lms import gitpuller_link

    titles = {m: _title(_read(layout, m)) for m in exp.modules}
    points = {e: read_exercise(layout.exercises / f"{e}.md").total_points for e in exp.exercises}
    links = {e: gitpuller_link(hub_url, repo_url, branch, f"release/{e}/{e}.ipynb")
             for e in exp.exercises}
    lines = [
        "# From Research to Action: a course kit for instructors",
        "",
        "Selected modules of the MOOC *Measuring child labour, forced labour and human "
        "trafficking* (ILO From Research to Action project, with IOM; funded by the US "
        "Department of Labor), ready to run in your own course with stock nbgrader and "
        "Jupyter Book.",
        "",
        "## What is inside",
        "",
        "| folder | what |",
        "|---|---|",
        "| `book/` | the reading for students: `jupyter-book build book` (pages are pre-executed) |",
        "| `course/` | an nbgrader course directory: `source/<assignment>/` with data, a header "
        "notebook with the attribution |",
        "| `instructor/solutions/` | solution notebooks (answer keys), not for students |",
        "| `datasets/` | the tables the modules use, with citations and licences "
        "(`datapackage.json`) |",
        "| `lms/` | `course.imscc` to import into Canvas or Moodle; `nbgitpuller_links.md` |",
        "| `INSTRUCTOR_GUIDE.md` | learning outcomes, timings, answer keys, common mistakes |",
        "| `LICENSE.md` | how to attribute and what you may change |",
        "",
        "## Modules",
        "",
        *[f"- **{titles[m]}**" + (f" - graded assignment `{m}` ({points[m]:g} points)"
                                  if m in points else "") for m in exp.modules],
        "",
        "## Set up (about 15 minutes)",
        "",
        "1. Install the stock tools: `pip install 'jupyter-book<2' 'nbgrader==0.9.*' pandas "
        "numpy matplotlib statsmodels`.",
        "2. Build the reading: `jupyter-book build book` and publish `book/_build/html` "
        "(or share the folder).",
        "3. Release the assignments: `cd course && nbgrader generate_assignment "
        + " && nbgrader generate_assignment ".join(exp.exercises) + "`.",
        "4. Give students the `course/release/<assignment>/` folder: through nbgrader's "
        "exchange on your JupyterHub, through the nbgitpuller links below (push `course/release` "
        "to a repository first), or through your LMS (import `lms/course.imscc`).",
        "5. Collect submissions into `course/submitted/<student>/<assignment>/` and run "
        "`nbgrader autograde <assignment>`, then grade the written answers in formgrader, "
        "`nbgrader generate_feedback <assignment>` and `nbgrader export` for a grades CSV.",
        "",
        "## Suggested schedule",
        "",
        *[f"- Week {i}: {titles[m]} - read before class, 90-minute session "
          "(see INSTRUCTOR_GUIDE.md), assignment due the following week." for i, m in
          enumerate(exp.modules, start=1)],
        "",
        "## JupyterHub one-click links (nbgitpuller)",
        "",
        f"Generated for hub `{hub_url}` and repository `{repo_url}` (branch `{branch}`); "
        "re-run `rta export` with `--hub-url` and `--repo-url` for yours.",
        "",
        *[f"- `{e}`: <{links[e]}>" for e in exp.exercises],
        "",
        "## Adapting",
        "",
        "Edit the notebooks in `course/source/` (nbgrader's toolbar or metadata) and the pages in "
        "`book/`. The course text is CC BY 4.0: keep the attribution in LICENSE.md and say what "
        "you changed. To change the exercises at their source, use the course repository and "
        "its `rta` command.",
        "",
    ]
    (exp.out / "README.md").write_text("\n".join(lines), encoding="utf-8")
    (exp.out / "lms" / "nbgitpuller_links.md").write_text(
        "# nbgitpuller links\n\n" + "\n".join(f"- {e}: {links[e]}" for e in exp.exercises) + "\n",
        encoding="utf-8")

    guide = ["# Instructor guide", ""]
    for m in exp.modules:
        md = _read(layout, m)
        guide += [f"## {titles[m]}", ""]
        for keys in (("objective", "outcome"), ("before you start", "time"), ("instructor",)):
            section = _section(md, *keys)
            if section:
                guide += [section.replace("## ", "### ", 1), ""]
        if m in points:
            guide += [f"**Answer key:** `instructor/solutions/{m}.ipynb` (model answers for the "
                      f"written questions are in the same notebook). {points[m]:g} points.", ""]
    (exp.out / "INSTRUCTOR_GUIDE.md").write_text("\n".join(guide), encoding="utf-8")

    package = json.loads((exp.out / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    data_terms = []
    for r in package["resources"]:
        lic = r.get("licenses") or [{}]
        data_terms.append(f"- `{r['name']}`: {r.get('title', '')}. "
                          f"Terms: {lic[0].get('title') or lic[0].get('name') or 'see datapackage.json'}.")
    (exp.out / "LICENSE.md").write_text("\n".join([
        "# Licence and attribution",
        "",
        "**Course text, figures and exercises**: Creative Commons Attribution 4.0 International "
        "(CC BY 4.0), https://creativecommons.org/licenses/by/4.0/.",
        "",
        "Attribute as: *Measuring child labour, forced labour and human trafficking* - "
        "From Research to Action MOOC (International Labour Organization, with the International "
        "Organization for Migration; funded by the United States Department of Labor), "
        "licensed under CC BY 4.0. State whether you changed the material.",
        "",
        "**Code** in the notebooks: MIT licence.",
        "",
        "**Data** remain under the terms stated by each publisher; cite the source given in "
        "`datasets/datapackage.json`:",
        "",
        *data_terms,
        "",
    ]), encoding="utf-8")


def write_lms(layout: Layout, exp: Export, book_url: str) -> Path:
    from course.kit.lms import Assignment, ModuleItems, Page, write_cartridge

    modules = []
    for m in exp.modules:
        md = _read(layout, m)
        objectives = _section(md, "objective", "outcome")
        body = "".join(f"<p>{line}</p>" for line in objectives.splitlines()[1:] if line.strip())
        assignments = []
        if m in exp.exercises:
            ex = read_exercise(layout.exercises / f"{m}.md")
            assignments.append(Assignment(
                m, ex.title, ex.total_points,
                exp.out / "book" / "exercises" / f"{m}.ipynb",
                "<p>Open the attached notebook in Jupyter, complete it, run the self-check cell "
                "and submit the .ipynb file.</p>"))
        modules.append(ModuleItems(
            title=_title(md),
            pages=[Page(f"{_title(md)}: overview", f"<h1>{_title(md)}</h1>{body}")],
            links=[("Read the module in the course book", f"{book_url.rstrip('/')}/modules/{m}/index.html")],
            assignments=assignments))
    return write_cartridge(exp.out / "lms" / "course.imscc",
                           "From Research to Action: selected modules",
                           "Course text CC BY 4.0; code MIT; data under the publishers' terms.",
                           modules)


def export(layout: Layout, spec: str, out: Path, *, hub_url: str = "https://hub.example.edu",
           repo_url: str = "https://github.com/your-org/rta-course-release", branch: str = "main",
           book_url: str = "https://rta-mooc.github.io/rta-mooc", log: Log = print) -> Export:
    modules = resolve_modules(layout, spec)
    if out.exists() and any(out.iterdir()):
        raise ExportError(f"{out} exists and is not empty (nothing is overwritten)",
                          fix="choose a new or empty folder for --out")
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
        write_docs(layout, exp, hub_url, repo_url, branch)
        write_lms(layout, exp, book_url)
    except Exception:
        shutil.rmtree(out)  # never leave a half-written kit behind
        raise
    log(f"export: done -> {out}")
    return exp
