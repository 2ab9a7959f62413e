"""Values crossing from the student's process to the judge as plain data, never as pickles.

`Encoder.encode` (in the student's process) turns an allowlisted value into a JSON-able
node plus byte buffers (NumPy arrays as `.npy` bytes written with allow_pickle=False);
`rebuild.Decoder` (in the judge) rebuilds it from those alone, checking every node, and
never imports or calls anything a node names except fixed constructors. The allowlist:

    None, bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset, range
    NumPy arrays (no object dtype unless every element is allowlisted) and NumPy scalars
    pandas Series, DataFrame, Index, RangeIndex, MultiIndex, Categorical columns, NA/NaT,
      Timestamp, Timedelta
    statsmodels results: a read-only snapshot of their data attributes (ResultsSnapshot)
    matplotlib figures: rebuilt with their axes' titles, labels, texts, legends (snapshots.py)
    modules: by name (the judge imports its own copy); callables: a handle for a proxy
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from typing import Any

from .snapshots import figure_texts

MAX_DEPTH = 60  # deeper values (or a cycle) get a clear reason, never a RecursionError
MAX_ITEMS = 5_000_000  # elements of one value, counted over every container in it


class Uncheckable(Exception):  # noqa: N818  (a reason shown to the instructor, not a bug)
    """A value outside the allowlist (or too deep); str() is the reason."""


class Malformed(Exception):  # noqa: N818
    """A node that the encoder could not have produced: the student's process lied."""



# statsmodels results: the data attributes tests read, computed in the student's process
RESULT_ATTRS = (
    "params",
    "bse",
    "pvalues",
    "tvalues",
    "fittedvalues",
    "resid_response",
    "resid_deviance",
    "resid_pearson",
    "aic",
    "bic",
    "llf",
    "deviance",
    "null_deviance",
    "pearson_chi2",
    "df_model",
    "df_resid",
    "nobs",
    "scale",
    "converged",
    "rsquared",
    "rsquared_adj",
    "mu",
)
PANDAS_EXT = {
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "UInt8",
    "UInt16",
    "UInt32",
    "UInt64",
    "Float32",
    "Float64",
    "boolean",
    "string",
    "str",
}


def type_name(value: Any) -> str:
    cls = type(value)
    mod = getattr(cls, "__module__", "?")
    return cls.__qualname__ if mod == "builtins" else f"{mod}.{cls.__qualname__}"


class Encoder:
    """Runs in the student's process (its output is untrusted by construction)."""

    def __init__(self, handle: Callable[[Any], int]) -> None:
        self.buffers: list[bytes] = []
        self.handle = handle  # registers a callable, returns its id for the proxy
        self.items = 0

    def encode(self, value: Any, depth: int = 0) -> Any:  # noqa: C901,PLR0911,PLR0912
        if depth > MAX_DEPTH:
            raise Uncheckable(f"nested more than {MAX_DEPTH} levels deep")
        self.items += 1
        if self.items > MAX_ITEMS:
            raise Uncheckable(f"more than {MAX_ITEMS:,} elements")
        t = type(value)
        if value is None or t is bool or t is str:
            return value if t is not str else ["s", value]
        if t is int:
            if value.bit_length() > 14_000:  # str() refuses beyond 4,300 digits (CVE-2020-10735)
                raise Uncheckable("an integer of more than 4,000 digits")
            return ["i", str(value)]
        if t is float:
            return ["f", repr(value)]
        if t is complex:
            return ["c", repr(value.real), repr(value.imag)]
        if t is bytes:
            return ["y", self._buf(value)]
        if t in (list, tuple, set, frozenset):
            tag = {list: "l", tuple: "t", set: "set", frozenset: "fs"}[t]  # type: ignore[index]
            return [tag, [self.encode(v, depth + 1) for v in value]]
        if t is dict:
            return ["d", [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]]
        if t is range:
            return ["r", value.start, value.stop, value.step]
        mod = getattr(t, "__module__", "") or ""
        if mod.startswith("numpy"):
            return self._numpy(value, depth)
        if mod.startswith("pandas"):
            return self._pandas(value, depth)
        if mod.startswith("statsmodels") and hasattr(value, "params") and hasattr(value, "model"):
            if not _library_class(t):
                raise Uncheckable(f"of type {mod}.{t.__qualname__}, not a class of statsmodels")
            return self._results(value, depth)
        if mod.startswith("matplotlib.figure") and t.__name__ == "Figure":
            return ["fig", figure_texts(value)]
        if t.__name__ == "module" and isinstance(getattr(value, "__name__", None), str):
            return ["m", value.__name__]
        if callable(value) and not isinstance(value, type):
            return ["fn", self.handle(value), str(getattr(value, "__name__", "function"))]
        raise Uncheckable(f"of type {type_name(value)}")

    def _buf(self, data: bytes) -> int:
        self.buffers.append(data)
        return len(self.buffers) - 1

    def _array(self, arr: Any, depth: int) -> Any:
        import numpy as np

        arr = np.asarray(arr)
        if arr.dtype.hasobject:
            if arr.dtype != object:
                raise Uncheckable(f"a NumPy array of dtype {arr.dtype}")
            return ["ao", list(arr.shape), [self.encode(v, depth + 1) for v in arr.ravel().tolist()]]
        self.items += arr.size
        if self.items > MAX_ITEMS:
            raise Uncheckable(f"more than {MAX_ITEMS:,} elements")
        f = io.BytesIO()
        np.save(f, arr, allow_pickle=False)
        return ["a", self._buf(f.getvalue())]

    def _numpy(self, value: Any, depth: int) -> Any:
        import numpy as np

        if type(value) is np.ndarray:
            return self._array(value, depth)
        if isinstance(value, np.generic) and not isinstance(value, np.object_):
            return ["g", self._array(np.asarray(value), depth)]
        raise Uncheckable(f"of type {type_name(value)}")

    def _pandas(self, value: Any, depth: int) -> Any:  # noqa: PLR0911
        import pandas as pd

        t = type(value)
        if t is pd.DataFrame:
            cols = [self._values(value.iloc[:, j], depth) for j in range(value.shape[1])]
            return ["F", self._index(value.columns, depth), self._index(value.index, depth), cols]
        if t is pd.Series:
            return [
                "S",
                self._values(value, depth),
                self._index(value.index, depth),
                self.encode(value.name, depth + 1),
            ]
        if isinstance(value, pd.Index):
            return self._index(value, depth)
        if value is pd.NA:
            return ["NA"]
        if value is pd.NaT:
            return ["NaT"]
        if t is pd.Timestamp:
            return ["ts", value.isoformat(), None if value.tz is None else str(value.tz)]
        if t is pd.Timedelta:
            return ["td", int(value.value)]
        raise Uncheckable(f"of type {type_name(value)}")

    def _values(self, s: Any, depth: int) -> Any:
        """A column's values with their dtype: NumPy, categorical or a pandas extension dtype."""
        import pandas as pd

        dtype = s.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            cat = s.array
            return [
                "cat",
                self._index(cat.categories, depth),
                self._array(cat.codes, depth),
                bool(cat.ordered),
            ]
        if str(dtype) in PANDAS_EXT:
            items = [None if v is pd.NA else v for v in s.array.to_numpy(dtype=object).tolist()]
            return ["ext", str(dtype), [self.encode(v, depth + 1) for v in items]]
        arr = s.to_numpy() if hasattr(s, "to_numpy") else s
        if getattr(arr, "dtype", None) is not None and arr.dtype.kind in "mM" and getattr(dtype, "tz", None):
            raise Uncheckable(f"a column with dtype {dtype}")
        return self._array(arr, depth)

    def _index(self, idx: Any, depth: int) -> Any:
        import pandas as pd

        name = self.encode(idx.name, depth + 1) if not isinstance(idx, pd.MultiIndex) else None
        if type(idx) is pd.RangeIndex:
            return ["RI", idx.start, idx.stop, idx.step, name]
        if type(idx) is pd.MultiIndex:
            return [
                "MI",
                [self._index(lv, depth + 1) for lv in idx.levels],
                [self._array(c, depth) for c in idx.codes],
                [self.encode(n, depth + 1) for n in idx.names],
            ]
        return ["I", self._values(idx, depth), name]

    def _results(self, value: Any, depth: int) -> Any:
        attrs = {}
        for a in RESULT_ATTRS:
            try:
                v = getattr(value, a)
            except Exception:  # noqa: S112  (an attribute this model does not compute)
                continue
            if callable(v):
                continue
            try:
                attrs[a] = self.encode(v, depth + 1)
            except Uncheckable:
                continue
        with contextlib.suppress(Exception):  # a model without confidence intervals
            attrs["conf_int"] = self.encode(value.conf_int(), depth + 1)
        return ["sm", type_name(value), attrs]


def _library_class(t: type) -> bool:
    """The class is what its module, a file of the Python installation, names (not a class of
    the notebook's that set its own `__module__`)."""
    import sys

    from .sandbox import in_python_installation

    module = sys.modules.get(getattr(t, "__module__", "") or "")
    owner: Any = module
    for part in getattr(t, "__qualname__", "").split("."):
        owner = getattr(owner, part, None)
    return owner is t and in_python_installation(getattr(module, "__file__", None) or "/nonexistent")
