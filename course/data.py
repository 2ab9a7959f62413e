"""The course's research data library: tidy tables, typed, each carrying its citation.

    >>> from course import data
    >>> df = data.load("mse_overlap")
    >>> df.attrs["citation"]

Tables live in `datasets/` (described by `datasets/datapackage.json`); an installed package
carries a copy in `course/_datasets/`. Nothing is downloaded: everything works offline.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

DESCRIPTOR = "datapackage.json"


class DataError(Exception):
    """The data library cannot serve a request; the message says what to do."""


class UnknownDatasetError(DataError, KeyError):
    """No table of that name. Also a KeyError, so `except KeyError` works."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0])


class MissingDataFileError(DataError, FileNotFoundError):
    """The descriptor lists a table whose CSV is not there."""

    def __str__(self) -> str:
        return str(self.args[0])


def data_dir() -> Path:
    """Folder holding datapackage.json: the installed copy, else the repository's datasets/."""
    here = Path(__file__).resolve().parent
    candidates = [here / "_datasets", here.parent / "datasets"]
    for d in candidates:
        if (d / DESCRIPTOR).is_file():
            return d
    raise DataError(
        "the course datasets are missing (looked for "
        + " and ".join(str(d / DESCRIPTOR) for d in candidates)
        + "); reinstall the course package, or in a clone of the repository restore them with "
        "`git checkout -- datasets/`"
    )


@cache
def _package(directory: Path) -> dict[str, Any]:
    return json.loads((directory / DESCRIPTOR).read_text(encoding="utf-8"))


def package() -> dict[str, Any]:
    """The whole Data Package descriptor (a copy: changing it changes nothing)."""
    return copy.deepcopy(_package(data_dir()))


def _resources() -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in _package(data_dir())["resources"]}


def names() -> list[str]:
    """Every table in the library, sorted."""
    return sorted(_resources())


def _resource(name: str) -> dict[str, Any]:
    resources = _resources()
    if name in resources:
        return resources[name]
    close = difflib.get_close_matches(str(name), resources, n=5, cutoff=0.4)
    if not close:  # fall back to shared prefixes/substrings, e.g. "ctdc" or "ilab"
        close = [n for n in resources if str(name).lower() in n or n.startswith(str(name)[:4])]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownDatasetError(
        f"no dataset named {name!r}{hint} (all names: course.data.names() or `rta data list`)"
    )


def info(name: str) -> dict[str, Any]:
    """The table's metadata: title, description, sources, licences, schema, rows, years, ..."""
    meta = copy.deepcopy(_resource(name))
    meta["file"] = str(data_dir() / meta["path"])
    return meta


def licence(name: str) -> str:
    """The licence or terms of use, as stated by the publisher."""
    return "; ".join(lic.get("title") or lic.get("name", "") for lic in _resource(name)["licenses"])


def cite(name: str) -> str:
    """How to cite the table: the original publication(s), then this library."""
    return _resource(name)["citation"]


def _source(meta: dict[str, Any]) -> str:
    parts = []
    for s in meta["sources"]:
        bits = [s.get("publisher"), s["title"], s.get("edition"), s.get("table"), s.get("path")]
        parts.append(". ".join(b for b in bits if b))
    return " | ".join(parts)


def _typed(col: pd.Series, field: dict[str, Any]) -> pd.Series:
    """Convert one text column to the dtype its schema field declares."""
    kind = field["type"]
    has_na = bool(col.isna().any())
    if kind == "integer":
        return pd.to_numeric(col).astype("Int64" if has_na else "int64")
    if kind == "number":
        return pd.to_numeric(col).astype("float64")
    if kind == "boolean":
        values = col.map({"true": True, "false": False})
        if values.isna().sum() != col.isna().sum():
            raise DataError(f"column {field['name']!r}: booleans must be 'true' or 'false'")
        return values.astype("boolean" if has_na else "bool")
    enum = field.get("constraints", {}).get("enum")
    if enum:  # a closed set of codes: keep the publisher's order as the category order
        return col.astype(pd.CategoricalDtype(categories=enum))
    return col.astype("str")


def load(name: str) -> pd.DataFrame:
    """A table as a typed DataFrame; `df.attrs` carries its citation, source and licence.

    Integers are int64 (Int64 if the column has missing values), numbers float64 (NaN for a
    missing or suppressed value; see the table's `suppressed` column where it has one),
    booleans bool, coded columns (a fixed set of values) category, other text str.
    """
    meta = _resource(name)
    directory = data_dir()
    path = directory / meta["path"]
    if not path.is_file():
        raise MissingDataFileError(
            f"{path} is missing although {directory / DESCRIPTOR} lists it: reinstall the course "
            f"package, or in the repository run `git checkout -- datasets/{meta['path']}` "
            f"(or rebuild it: python datasets/build/{name}.py)"
        )
    raw = path.read_bytes()
    expected = meta.get("hash", "").removeprefix("sha256:")
    if expected and hashlib.sha256(raw).hexdigest() != expected:
        warnings.warn(f"{path} differs from the checksum in {DESCRIPTOR}: the file has been "
                      "edited or rebuilt without `python datasets/build/package.py`",
                      stacklevel=2)
    fields = meta["schema"]["fields"]
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    df = pd.DataFrame({f["name"]: _typed(df[f["name"]], f) for f in fields})
    df.attrs.update(
        name=name,
        title=meta["title"],
        citation=meta["citation"],
        source=_source(meta),
        licence=licence(name),
        years=meta.get("years", ""),
        synthetic=bool(meta.get("synthetic", False)),
    )
    return df
