"""The `rta` command: author, build, release and grade the From Research to Action MOOC."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from course.errors import ToolError, UserError
from course.paths import Layout

console = Console(stderr=True, soft_wrap=True)


def report(exc: UserError) -> None:
    """The one way an error reaches the user: what, where, the fix, and a failing tool's log."""
    from rich.markup import escape  # messages may quote "[section]" or paths: not markup

    loc = exc.location()
    console.print(f"[red]error[/red] {escape(loc + ': ' if loc else '')}{escape(exc.message)}",
                  highlight=False)
    if isinstance(exc, ToolError) and exc.log_tail.strip():
        console.print("  [dim]the tool printed (last lines):[/dim]")
        for line in exc.log_tail.strip().splitlines()[-15:]:
            console.print(f"    {line}", markup=False, highlight=False)
    if exc.fix:
        console.print(f"  [bold]fix:[/bold] {escape(exc.fix)}", highlight=False)


class _Commands(TyperGroup):
    """Every command's user and tool errors end here: printed by `report`, exit status 1."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except UserError as exc:
            report(exc)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Commands,
    help="Author, build, release and grade the From Research to Action MOOC.\n\n"
    "Flow: exercises/*.md -> `rta release` (nbgrader source + student release under grading/)"
    " -> students submit -> `rta autograde` -> `rta feedback`; `rta build` makes the book.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# nbgrader 0.9's gradebook API trips SQLAlchemy 2.1 deprecation notices on every call; they
# say nothing to an instructor and bury the grading summary.
warnings.filterwarnings("ignore", message=r".*(not in session|User-placed attribute).*")

from course.cli.data import data_app  # noqa: E402  (sub-command groups live in their own modules)

app.add_typer(data_app, name="data")
from course.hub.cli import hub_app  # noqa: E402

app.add_typer(hub_app, name="hub")


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[item]}"), TimeElapsedColumn(), console=console)


@app.command()
def check() -> None:
    """Lint the course sources: exercise syntax, grade ids, points, leaks, module pages, toc."""
    from course.authoring.lint import check_course

    layout = Layout.here()
    errors = check_course(layout)
    n_ex = len(layout.exercise_sources())
    if errors:
        for e in errors:  # every error, not only the first
            report(e)
        console.print(f"[red]{len(errors)} authoring error(s)[/red] in {n_ex} exercise(s)")
        raise typer.Exit(1)
    console.print(f"[green]ok[/green]: {n_ex} exercise(s) and the module pages pass every check")


@app.command("release")
def release_cmd(
    exercises: Annotated[list[str] | None, typer.Argument(help="Exercise ids (default: all)")] = None,
    course_dir: Annotated[Path | None, typer.Option(help="nbgrader course directory")] = None,
    solutions: Annotated[bool, typer.Option(help="Also write instructor solution notebooks")] = True,
) -> None:
    """Write nbgrader source notebooks and make the student release with stock nbgrader."""
    from course.authoring.release import release, write_solution

    layout = Layout.here()
    course_dir = (course_dir or layout.grading).resolve()
    names = list(exercises or [])
    total = len(names) or len(layout.exercise_sources())
    with _progress() as bar:
        task = bar.add_task("releasing", total=total, item="")

        def step(name: str) -> None:
            bar.update(task, advance=1, item=name)

        released = release(layout, names, course_dir, progress=step)
        sol = [write_solution(r, course_dir) for r in released] if solutions else []
    table = Table("exercise", "points", "student release", "solution")
    for i, r in enumerate(released):
        table.add_row(r.exercise.id, f"{r.exercise.total_points:g}",
                      str(r.release.relative_to(course_dir.parent)),
                      str(sol[i].relative_to(course_dir.parent)) if sol else "-")
    Console().print(table)


@app.command()
def autograde(
    assignment: Annotated[str, typer.Argument(help="Assignment id, e.g. m06_mse")],
    course_dir: Annotated[Path | None, typer.Option(help="nbgrader course directory")] = None,
    workers: Annotated[int, typer.Option(help="Submissions graded at once on this machine")] = 2,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (tcp://host:8786): "
                                                  "grade on that cluster instead")] = None,
    db: Annotated[str | None, typer.Option(help="nbgrader database URL (default: sqlite in the course "
                                           "directory), e.g. postgresql+psycopg2://user@host/db")] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds per cell (default: nbgrader's "
                                                  "Execute.timeout)")] = None,
    memory: Annotated[str, typer.Option(help="Memory per submission, e.g. 2GiB or 512MiB")] = "2GiB",
    cpu_time: Annotated[int, typer.Option(help="CPU seconds per notebook")] = 300,
) -> None:
    """Grade every submission in grading/submitted/*/ASSIGNMENT, in parallel and sandboxed.

    Records exactly what stock `nbgrader autograde` records in the gradebook and autograded/;
    broken or tampering submissions get a reason or a flag instead of stopping the batch.
    Writes grades_ASSIGNMENT.csv in the course directory.
    """
    from course.grader.engine import autograde as grade_all
    from course.grader.engine import submissions
    from course.grader.imports import light_imports
    from course.grader.report import summary, write_grades_csv
    from course.grader.sandbox import Limits, parse_size

    light_imports()
    layout = Layout.here()
    course_dir = (course_dir or layout.grading).resolve()
    students = submissions(course_dir, assignment)
    if not students:
        raise UserError(f"no submissions in {course_dir}/submitted/*/{assignment}/",
                        fix="collect submissions into submitted/<student_id>/<assignment>/"
                            "<assignment>.ipynb")
    try:
        limits = Limits(memory=parse_size(memory), cpu_seconds=cpu_time)
    except ValueError as exc:
        raise UserError(str(exc), fix="give --memory as e.g. 2GiB or 512MiB") from None
    with _progress() as bar:  # a GradingError (a UserError) is printed by the command group
        task = bar.add_task("autograding", total=len(students), item="")
        outcomes = grade_all(course_dir, assignment, workers=workers, scheduler=scheduler, db=db,
                             limits=limits, timeout=timeout, students=students,
                             progress=lambda o: bar.update(task, advance=1, item=o.student))
    shown = outcomes if len(outcomes) <= 50 else [o for o in outcomes if o.failed or o.flags or o.problems]
    table = Table("student", "score", "status")
    for o in shown:
        score = "-" if o.score is None else f"{o.score:g} / {o.max_score:g}"
        table.add_row(o.student, score, o.status)
    Console().print(table)
    out = course_dir / f"grades_{assignment}.csv"
    write_grades_csv(outcomes, out)
    s = summary(outcomes)
    console.print(f"[bold]{s['total']}[/bold] submissions: [green]{s['graded']} graded[/green], "
                  f"[red]{s['failed']} failed[/red], [yellow]{s['flagged']} flagged for review[/yellow], "
                  f"{s['with problems']} graded with problems (timeouts, limits)")
    for reason, n in s["failure reasons"].items():  # type: ignore[attr-defined]  # summary: dict[str, object]
        console.print(f"  failed x{n}: {reason}")
    console.print(f"grades written to {out}")


@app.command()
def feedback(
    assignment: Annotated[str, typer.Argument(help="Assignment id, e.g. m06_mse")],
    course_dir: Annotated[Path | None, typer.Option(help="nbgrader course directory")] = None,
    db: Annotated[str | None, typer.Option(help="nbgrader database URL")] = None,
) -> None:
    """Write feedback/<student>/ASSIGNMENT/<notebook>.html: each visible test's result and message,
    never the source of hidden tests."""
    from course.grader.config import db_url, load_nbgrader_config
    from course.grader.feedback import write_feedback

    layout = Layout.here()
    course_dir = (course_dir or layout.grading).resolve()
    url = db_url(course_dir, load_nbgrader_config(course_dir), db)
    try:
        pages = write_feedback(course_dir, assignment, url)
    except Exception as exc:  # no gradebook or unknown assignment: say which
        raise UserError(f"cannot write feedback for {assignment}: {exc}",
                        fix=f"run `rta autograde {assignment}` first") from None
    console.print(f"[green]feedback written[/green]: {len(pages)} page(s) under {course_dir / 'feedback'}")


@app.command()
def build(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print Sphinx's whole log")] = False,
) -> None:
    """Build the executed HTML book into _build/html (warnings are errors), then the offline
    edition. Only what changed since the last build is redone."""
    from course.book.pipeline import LOG_FILE, Step
    from course.book.pipeline import build as build_book

    layout = Layout.here()
    lines: list[str] = []

    def show(line: str) -> None:  # problems in full (or every line with --verbose)
        lines.append(line)
        console.print(line, markup=False, highlight=False)

    with _progress() as bar:
        task = bar.add_task("student pages", total=None, item="")

        def step(s: Step) -> None:
            bar.update(task, description=s.phase, item=s.item, completed=s.done, total=s.total)

        status = build_book(layout, log=show, progress=step, verbose=verbose)
    index = layout.build / "html" / "index.html"
    if status != 0 or not index.exists():
        console.print(f"[red]book build failed[/red] (exit {status}): the problems are above; "
                      f"the whole log is {layout.build / LOG_FILE}")
        raise typer.Exit(status or 1)
    console.print(f"[green]book built[/green]: {index} (log: {layout.build / LOG_FILE})")


@app.command()
def publish(
    out: Annotated[Path, typer.Argument(help="Folder to write (its content becomes the Pages branch)")],
    branch: Annotated[str, typer.Option(help="Branch the site is served from; the launch buttons "
                                        "open notebooks there")] = "gh-pages",
) -> None:
    """Assemble what a static host serves from the built book: the site, the offline zip and
    PDF, and the student notebooks where the Binder and Colab buttons look for them."""
    from course.book.publish import publish as publish_site

    layout = Layout.here()
    problems = publish_site(layout, out.resolve(), branch)
    if problems:
        for p in problems:
            console.print(f"[red]missing[/red] {p}", highlight=False)
        raise UserError(f"{len(problems)} launch or download target(s) would be broken",
                        path=out, fix="rebuild the book (`make book`) and publish again")
    console.print(f"[green]published[/green]: {out} - push it to the '{branch}' branch "
                  "(.github/workflows/book.yml does this on every push to main)")


@app.command()
def preview(module: Annotated[str, typer.Argument(help="Module id, e.g. m06_mse")]) -> None:
    """Build one module (pages + its exercise's student page) as a small book, fast."""
    from course.book.pipeline import preview as preview_module

    layout = Layout.here()
    try:
        status, index = preview_module(
            layout, module, log=lambda line: console.print(line, markup=False, highlight=False))
    except ValueError as exc:  # an unknown module
        raise UserError(str(exc), fix="give a module folder name, e.g. `rta preview m06_mse`") from None
    if status != 0:
        console.print(f"[red]preview failed[/red] (exit {status}): the problems are above; the "
                      f"whole log is {layout.build / 'preview' / module / '_build' / 'logs' / 'book.log'}")
        raise typer.Exit(status)
    console.print(f"[green]preview built[/green]: {index}")


@app.command()
def prove(
    exercises: Annotated[list[str] | None, typer.Argument(help="Exercise ids (default: all)")] = None,
) -> None:
    """Grade each exercise's solution, blank release and stubbed answers with real nbgrader."""
    import tempfile

    from course.authoring.prove import prove as prove_exercise

    layout = Layout.here()
    names = list(exercises or [p.stem for p in layout.exercise_sources()])
    table = Table("exercise", "solution", "blank", "each answer stubbed", "verdict")
    failed = False
    with tempfile.TemporaryDirectory() as tmp, _progress() as bar:
        task = bar.add_task("proving", total=len(names), item="")
        for name in names:
            bar.update(task, item=name)
            proof = prove_exercise(layout, name, Path(tmp))
            sol, blank = proof.auto_total("solution"), proof.auto_total("blank")
            stubs = {s: proof.auto_total(s) for s in proof.scores if s.startswith("wrong_q")}
            ok = proof.verdict()
            failed |= not ok
            table.add_row(name, f"{sol:g}/{proof.auto_max:g}", f"{blank:g}",
                          ", ".join(f"{s.removeprefix('wrong_')}: {v:g}" for s, v in stubs.items()),
                          "[green]ok[/green]" if ok else "[red]FAIL[/red]")
            bar.advance(task)
    Console().print(table)
    if failed:
        raise typer.Exit(1)


@app.command("export")
def export_cmd(
    modules: Annotated[str, typer.Option(help="Modules to export, e.g. 2,6 or m06_mse")],
    out: Annotated[Path, typer.Option(help="New (or empty) folder to write the kit into")],
    hub_url: Annotated[str, typer.Option(help="Your JupyterHub, for nbgitpuller links")] =
        "https://hub.example.edu",
    repo_url: Annotated[str, typer.Option(help="Repository students pull assignments from")] =
        "https://github.com/your-org/rta-course-release",
    book_url: Annotated[str, typer.Option(help="Where the course book is published")] =
        "https://rta-mooc.github.io/rta-mooc",
) -> None:
    """Export modules as a ready-to-run course: nbgrader course dir, mini book, data, LMS."""
    from course.kit.export import export

    layout = Layout.here()
    try:
        exp = export(layout, modules, out.resolve(), hub_url=hub_url, repo_url=repo_url,
                     book_url=book_url, log=lambda line: console.print(line))
    except ValueError as exc:  # an unknown module named by minibook
        raise UserError(str(exc), fix="run `rta export --help`; module ids are listed above") from None
    console.print(f"[green]exported[/green] modules {', '.join(exp.modules)}, assignments "
                  f"{', '.join(exp.exercises) or '-'}, datasets {', '.join(exp.datasets) or '-'}")


@app.command()
def grades(
    fmt: Annotated[str, typer.Option("--format", help="canvas or moodle")] = "canvas",
    course_dir: Annotated[Path | None, typer.Option(help="nbgrader course directory")] = None,
    db: Annotated[str | None, typer.Option(help="nbgrader database URL (default: sqlite in "
                                           "the course directory)")] = None,
    out: Annotated[Path | None, typer.Option(help="CSV to write")] = None,
    lti: Annotated[Path | None, typer.Option("--lti", help="LTI 1.3 configuration file: post the "
                                             "scores to the LMS over AGS instead (grading/LTI.md)")] = None,
) -> None:
    """Write all grades in Canvas's or Moodle's gradebook CSV import format, or post them to
    the LMS over LTI Assignment and Grade Services (--lti)."""
    from course.kit.grades import write_canvas_csv, write_moodle_csv

    if lti is not None:
        from course.lti.cli import grades_lti

        layout = Layout.here()
        grades_lti(lti, (course_dir or layout.grading).resolve(), db, console)
        return
    writers = {"canvas": write_canvas_csv, "moodle": write_moodle_csv}
    if fmt not in writers:
        raise UserError(f"unknown format '{fmt}'", fix="use --format canvas or --format moodle")
    layout = Layout.here()
    course_dir = (course_dir or layout.grading).resolve()
    db_url = db or f"sqlite:///{course_dir / 'gradebook.db'}"
    if db is None and not (course_dir / "gradebook.db").exists():
        raise UserError(f"no gradebook at {course_dir / 'gradebook.db'}",
                        fix="run `rta autograde ASSIGNMENT` first, or pass --db URL")
    target = out or course_dir / f"grades_{fmt}.csv"
    writers[fmt](db_url, target)
    console.print(f"[green]grades written[/green]: {target}")
