"""`rta hub ...`: stand up JupyterHub for one course from a kit made by `rta export`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True, soft_wrap=True)
hub_app = typer.Typer(
    help="A teaching hub from a course kit: JupyterHub, JupyterLab with nbgrader, the exchange. "
    "Guide: grading/HUB.md.", no_args_is_help=True)


def _names(value: str) -> list[str]:
    return [n.strip() for n in value.split(",") if n.strip()]


@hub_app.command("setup")
def setup_cmd(
    kit: Annotated[Path, typer.Option(help="The kit `rta export` wrote (or its course/ folder)")],
    course: Annotated[str, typer.Option(help="Course id, e.g. rta101")],
    instructor: Annotated[str, typer.Option(help="Instructors' user names, comma-separated; the "
                                            "first owns the course directory")],
    students: Annotated[str, typer.Option(help="Students' user names, comma-separated")] = "",
    others: Annotated[str, typer.Option(help="Users who may log in but take no part in the "
                                        "course, comma-separated")] = "",
    state: Annotated[Path, typer.Option(help="The hub's own folder")] = Path("/srv/rta-hub"),
    course_dir: Annotated[Path | None, typer.Option(help="Course directory (default "
                                                    "~INSTRUCTOR/COURSE)")] = None,
    exchange: Annotated[Path, typer.Option(help="nbgrader exchange root")] = Path("/srv/nbgrader/exchange"),
    ip: Annotated[str, typer.Option(help="Address browsers connect to")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port browsers connect to")] = 8000,
    hub_port: Annotated[int, typer.Option(help="The hub's internal API port")] = 8081,
    proxy_api_port: Annotated[int, typer.Option(help="The proxy's internal API port")] = 8001,
    lti: Annotated[Path | None, typer.Option("--lti", help="LTI 1.3 configuration file: users "
                                             "launch from the LMS instead of PAM (grading/LTI.md)")] = None,
) -> None:
    """Write the hub's configuration, the course directory and the exchange (as root)."""
    from .config import HubConfig
    from .provision import setup

    cfg = HubConfig(course=course, instructors=_names(instructor), students=_names(students),
                    others=_names(others), state=state.resolve(),
                    course_dir=course_dir.resolve() if course_dir else None,
                    exchange=exchange.resolve(), ip=ip, port=port, hub_port=hub_port,
                    proxy_api_port=proxy_api_port)
    if lti is not None:  # checked before anything on the machine changes
        from course.lti.hub import hub_authenticator_lines

        cfg.authenticator_lines = hub_authenticator_lines(lti.resolve(), course)
    setup(cfg, kit.resolve(), log=lambda line: console.print(line, highlight=False))
    console.print(f"[green]hub ready[/green]: course {course}, {len(cfg.students)} student(s); "
                  f"`rta hub start --state {cfg.state}` serves it at {cfg.url}", highlight=False)


@hub_app.command("start")
def start_cmd(
    state: Annotated[Path, typer.Option(help="The folder `rta hub setup` wrote")] = Path("/srv/rta-hub"),
) -> None:
    """Run JupyterHub and its proxy in the foreground (Ctrl-C or SIGTERM stops everything)."""
    from .provision import start

    start(state.resolve())


@hub_app.command("release-feedback")
def release_feedback_cmd(
    assignment: Annotated[str, typer.Argument(help="Assignment id")],
    course_dir: Annotated[Path, typer.Option(help="nbgrader course directory")] = Path("."),
) -> None:
    """Put `rta feedback`'s pages in the exchange, where students fetch them (as the instructor)."""
    from .provision import release_feedback

    n = release_feedback(course_dir.resolve(), assignment)
    console.print(f"[green]feedback released[/green]: {n} page(s) for {assignment}")
