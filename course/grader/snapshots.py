"""What crosses of objects that are not plain data: statsmodels results and matplotlib figures.

Both are rebuilt in the judge from plain values only: a results object as a read-only
snapshot of its data attributes, a figure as a real matplotlib Figure with the same axes'
titles, labels, texts and legend entries (what tests of a chart read)."""

from __future__ import annotations

from typing import Any


def figure_texts(fig: Any) -> dict[str, Any]:
    sup = getattr(fig, "_suptitle", None)

    def texts(obj: Any) -> list[str]:
        return [str(t.get_text()) for t in getattr(obj, "texts", []) if t is not sup]

    return {
        "suptitle": None if sup is None else str(sup.get_text()),
        "texts": texts(fig),
        "axes": [
            {
                "title": str(a.get_title()),
                "xlabel": str(a.get_xlabel()),
                "ylabel": str(a.get_ylabel()),
                "texts": texts(a),
                # a legend's entries (None: no legend)
                "legend": None
                if a.get_legend() is None
                else [str(t.get_text()) for t in a.get_legend().get_texts()],
            }
            for a in fig.axes
        ],
    }


class ResultsSnapshot:
    """What crosses of a statsmodels results object: its data attributes, read-only."""

    def __init__(self, kind: str, attrs: dict[str, Any]) -> None:
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_attrs", attrs)

    def __getattr__(self, name: str) -> Any:
        attrs = object.__getattribute__(self, "_attrs")
        if name in attrs and name != "conf_int":
            return attrs[name]
        if name == "conf_int" and "conf_int" in attrs:
            ci = attrs["conf_int"]
            return lambda alpha=0.05: ci if alpha == 0.05 else _no_method(name)
        raise AttributeError(
            f"{object.__getattribute__(self, '_kind')} snapshot has no attribute {name!r} "
            "(the grader copies only the fitted results' data attributes)"
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a statsmodels results snapshot is read-only")

    def __repr__(self) -> str:
        return f"<{object.__getattribute__(self, '_kind')} snapshot>"


def _no_method(name: str) -> Any:
    raise AttributeError(f"{name} with another alpha is not available on a results snapshot")


def _texts(v: Any) -> list[str]:
    if not isinstance(v, list) or len(v) > 500 or not all(isinstance(t, str) for t in v):
        raise ValueError("figure texts")
    return v


def figure(spec: Any) -> Any:
    """A real Figure (not registered with pyplot) with the given axes' strings; ValueError if
    the description is not one values.py could have written."""
    from matplotlib.figure import Figure

    axes = spec.get("axes") if isinstance(spec, dict) else None
    if not isinstance(axes, list) or len(axes) > 50 or not all(isinstance(a, dict) for a in axes):
        raise ValueError("figure axes")
    fig = Figure()
    for k, a in enumerate(axes):
        ax = fig.add_subplot(len(axes), 1, k + 1)
        labels = [a.get(key, "") for key in ("title", "xlabel", "ylabel")]
        if not all(isinstance(x, str) for x in labels):
            raise ValueError("figure labels")
        ax.set_title(labels[0])
        ax.set_xlabel(labels[1])
        ax.set_ylabel(labels[2])
        for t in _texts(a.get("texts", [])):
            ax.text(0, 0, t)
        if a.get("legend") is not None:
            from matplotlib.lines import Line2D

            ax.legend(handles=[Line2D([], [], label=t) for t in _texts(a["legend"])])
    sup = spec.get("suptitle")
    if sup is not None:
        fig.suptitle(_texts([sup])[0])
    for t in _texts(spec.get("texts", [])):
        fig.text(0, 0, t)
    return fig
