"""Outputs as they enter the judge from the student's process: checked field by field.

Answer cells' outputs come from the student's process and are never trusted for scoring
(test cells' outputs are the judge's own); here they are only kept well-formed nbformat
and within the notebook's output budget, counted over every output kind (streams, display
data, execute results, errors) by its JSON size.
"""

from __future__ import annotations

import json
from typing import Any

from .shell import TRUNCATED

KINDS = {"stream", "display_data", "execute_result", "error"}


def _size(out: dict[str, Any]) -> int:
    try:
        return len(json.dumps(out))
    except (TypeError, ValueError, RecursionError):
        return 1 << 40


def _strs(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(s, str) for s in v)


def _valid(o: Any) -> bool:  # noqa: PLR0911
    if not isinstance(o, dict) or o.get("output_type") not in KINDS:
        return False
    kind = o["output_type"]
    if kind == "stream":
        return o.get("name") in ("stdout", "stderr") and isinstance(o.get("text"), str)
    if kind == "error":
        return (
            isinstance(o.get("ename"), str) and isinstance(o.get("evalue"), str) and _strs(o.get("traceback"))
        )
    data, meta = o.get("data"), o.get("metadata", {})
    if not isinstance(data, dict) or not isinstance(meta, dict) or not all(isinstance(k, str) for k in data):
        return False
    ec = o.get("execution_count")
    return kind == "display_data" or ec is None or (isinstance(ec, int) and not isinstance(ec, bool))


def _fields(o: dict[str, Any]) -> dict[str, Any]:
    keep = {
        "stream": ("output_type", "name", "text"),
        "error": ("output_type", "ename", "evalue", "traceback"),
        "display_data": ("output_type", "data", "metadata"),
        "execute_result": ("output_type", "execution_count", "data", "metadata"),
    }[o["output_type"]]
    out = {k: o[k] for k in keep if k in o}
    if "metadata" in keep:
        out.setdefault("metadata", {})
    return out


def clean_outputs(outputs: Any, budget: int) -> tuple[list[dict[str, Any]], int, str | None]:
    """(well-formed outputs within the budget, the budget left, what was wrong or None)."""
    if not isinstance(outputs, list):
        return [], budget, "outputs are not a list" if outputs is not None else None
    kept: list[dict[str, Any]] = []
    bad = None
    for o in outputs[:10_000]:
        if not _valid(o):
            bad = "malformed output"
            continue
        o = _fields(o)
        size = _size(o)
        if size > budget:
            if o["output_type"] == "stream":
                kept.append({**o, "text": o["text"][: max(budget, 0)] + TRUNCATED})
            elif o["output_type"] == "error":
                kept.append(o)  # an error decides nothing here but must stay visible
            elif budget > 0:  # one note for every display beyond the limit
                kept.append({"output_type": "stream", "name": "stdout", "text": TRUNCATED})
            budget = 0
            continue
        budget -= size
        kept.append(o)
    return kept, budget, bad


def uncheckable_output(reasons: list[str]) -> dict[str, Any]:
    """The error output of a test cell that could not run: a value it reads is not plain data."""
    why = "; ".join(reasons)
    return {
        "output_type": "error",
        "ename": "UncheckableValue",
        "evalue": why,
        "traceback": [f"\x1b[0;31mUncheckableValue\x1b[0m: {why}"],
    }
