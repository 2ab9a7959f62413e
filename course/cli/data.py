"""`rta data ...`: list and describe the course's datasets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from course import data  # imports pandas: loaded by the commands that need it, not by `rta`

data_app = typer.Typer(help="The course's research data library (datasets/).", no_args_is_help=True)


def _modules(meta: dict) -> str:
    return ", ".join(str(m) for m in meta.get("modules", []))


def _fail(exc: data.DataError) -> None:
    Console(stderr=True).print(f"[red]error[/red] {exc}", markup=True, highlight=False)
    raise typer.Exit(1)


@data_app.command("list")
def list_cmd() -> None:
    """Every table: rows, years, licence and the modules that use it."""
    from course import data

    try:
        names = data.names()
        metas = [data.info(n) for n in names]
    except data.DataError as exc:
        _fail(exc)
    table = Table(title="rta data library")
    table.add_column("name", no_wrap=True)  # names are what users type next: never wrap them
    table.add_column("rows", justify="right")
    for col in ("years", "licence", "modules", "note"):
        table.add_column(col)
    for meta in metas:
        licence = "; ".join(lic.get("name", "terms not stated") for lic in meta["licenses"])
        table.add_row(meta["name"], f"{meta.get('rows', 0):,}", meta.get("years", ""), licence,
                      _modules(meta), "synthetic" if meta.get("synthetic") else "")
    Console().print(table)
    Console().print("details: rta data info NAME; in Python: course.data.load(NAME)")


@data_app.command("info")
def info_cmd(name: Annotated[str, typer.Argument(help="Table name, e.g. mse_overlap")]) -> None:
    """One table: description, sources, licence, how it was derived, and its columns."""
    from course import data

    try:
        meta = data.info(name)
    except data.DataError as exc:
        _fail(exc)
    out = Console()
    out.print(f"[bold]{meta['name']}[/bold]: {meta['title']}")
    if meta.get("synthetic"):
        out.print("[bold yellow]SYNTHETIC records[/bold yellow]: not real people; see description")
    out.print(meta["description"], highlight=False)
    out.print(f"\n[bold]rows[/bold] {meta.get('rows', 0):,}   [bold]years[/bold] "
              f"{meta.get('years', '')}   [bold]modules[/bold] {_modules(meta)}   "
              f"[bold]file[/bold] {meta['file']}", highlight=False)
    out.print("\n[bold]sources[/bold]")
    for s in meta["sources"]:
        bits = [s.get("publisher"), s["title"], s.get("edition"), s.get("table"), s.get("path")]
        out.print("  - " + ". ".join(b for b in bits if b), highlight=False)
    out.print("\n[bold]licence / terms as stated[/bold]")
    for lic in meta["licenses"]:
        bits = [lic.get("name"), lic.get("title"), lic.get("path")]
        out.print("  - " + ". ".join(b for b in bits if b), highlight=False)
    out.print(f"\n[bold]derivation[/bold] {meta['derivation']}", highlight=False)
    out.print(f"\n[bold]cite as[/bold] {meta['citation']}", highlight=False)
    schema = meta["schema"]
    cols = Table("column", "type", "description", title=f"primary key: "
                 f"{', '.join(schema['primaryKey'])}")
    for f in schema["fields"]:
        cols.add_row(f["name"], f["type"], f.get("title", ""))
    out.print(cols)
