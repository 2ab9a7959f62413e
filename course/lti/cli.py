"""The `rta grades --lti` command body (kept here so course/cli stays a thin layer)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from course.errors import UserError


def grades_lti(config: Path, course_dir: Path, db: str | None, console: Console) -> None:
    """Post the gradebook to the LMS; list what was not posted and fail if anything was not."""
    from course.lti.ags import ledger_path, passback
    from course.lti.config import load_config

    cfg = load_config(config)
    db_url = db or f"sqlite:///{course_dir / 'gradebook.db'}"
    if db is None and not (course_dir / "gradebook.db").exists():
        raise UserError(f"no gradebook at {course_dir / 'gradebook.db'}",
                        fix="run `rta autograde ASSIGNMENT` first, or pass --db URL")
    outcomes = passback(cfg, db_url, course_dir)
    counts = Counter(o.status for o in outcomes)
    failed = [o for o in outcomes if o.status == "not posted"]
    if failed:
        table = Table("student", "assignment", "score", "why not posted", title="not posted")
        for o in failed:
            table.add_row(o.student, o.assignment, f"{o.score:g} / {o.max_score:g}", o.reason)
        Console(stderr=True, width=160).print(table)
    console.print(f"LTI passback to {cfg.issuer}: [green]{counts['posted']} posted[/green], "
                  f"{counts['unchanged']} already on the LMS, {counts['no submission']} without a "
                  f"submission, [red]{len(failed)} not posted[/red] (ledger: {ledger_path(cfg, course_dir)})")
    if failed:
        raise UserError(f"{len(failed)} score(s) not posted",
                        fix="correct what the table says and run the same command again: only "
                            "the scores not yet on the LMS are sent")
