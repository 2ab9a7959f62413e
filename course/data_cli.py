"""`rta data ...`: list and describe the course's datasets."""

from __future__ import annotations

import typer

data_app = typer.Typer(help="The course's research data library (datasets/).", no_args_is_help=True)
