"""The judge's side of values.py: values rebuilt from nodes and buffers, every node checked.

Nothing here imports or calls anything a node names except the fixed constructors below
(NumPy's .npy reader with allow_pickle=False, pandas' constructors, `snapshots`); a node the
encoder could not have written is `Malformed`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

from .snapshots import ResultsSnapshot, figure
from .values import MAX_DEPTH, PANDAS_EXT, Malformed


class Decoder:
    """Runs in the judge: rebuilds values from nodes and buffers, checking everything."""

    def __init__(
        self, buffers: list[bytes], function: Callable[[int, str], Any], module: Callable[[str], Any]
    ) -> None:
        self.buffers = buffers
        self.function = function  # handle -> a proxy calling into the student's process
        self.module = module  # name -> the judge's own module (or raises Uncheckable)

    def decode(self, node: Any, depth: int = 0) -> Any:  # noqa: C901,PLR0911,PLR0912
        if depth > MAX_DEPTH + 8:
            raise Malformed("nested too deeply")
        if node is None or isinstance(node, bool):
            return node
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise Malformed(f"bad node {str(node)[:40]}")
        tag, args = node[0], node[1:]
        if tag == "s":
            return _str(args[0])
        if tag == "i":
            return int(_str(args[0]))
        if tag == "f":
            return float(_str(args[0]))
        if tag == "c":
            return complex(float(_str(args[0])), float(_str(args[1])))
        if tag == "y":
            return bytes(self._buf(args[0]))
        if tag in ("l", "t", "set", "fs"):
            items = [self.decode(v, depth + 1) for v in _list(args[0])]
            return {"l": list, "t": tuple, "set": set, "fs": frozenset}[tag](items)
        if tag == "d":
            return {
                self.decode(_list(kv)[0], depth + 1): self.decode(_list(kv)[1], depth + 1)
                for kv in _list(args[0])
            }
        if tag == "r":
            return range(_int(args[0]), _int(args[1]), _int(args[2]))
        if tag in ("a", "ao"):
            return self._array(node, depth)
        if tag == "g":
            return self._array(args[0], depth)[()]
        if tag in ("F", "S", "I", "RI", "MI", "NA", "NaT", "ts", "td"):
            return self._pandas(tag, args, depth)
        if tag == "sm":
            attrs = args[1] if isinstance(args[1], dict) else {}
            return ResultsSnapshot(
                _str(args[0]), {str(k): self.decode(v, depth + 1) for k, v in attrs.items()}
            )
        if tag == "fig":
            return figure(args[0])
        if tag == "m":
            return self.module(_str(args[0]))
        if tag == "fn":
            return self.function(_int(args[0]), _str(args[1]))
        raise Malformed(f"unknown node {tag!r}")

    def _buf(self, i: Any) -> bytes:
        i = _int(i)
        if not 0 <= i < len(self.buffers):
            raise Malformed("buffer index out of range")
        return bytes(self.buffers[i])

    def _array(self, node: Any, depth: int) -> Any:
        import numpy as np

        if not isinstance(node, list) or not node:
            raise Malformed("bad array")
        if node[0] == "ao":
            shape = tuple(_int(d) for d in _list(node[1]))
            items = [self.decode(v, depth + 1) for v in _list(node[2])]
            if math.prod(shape) != len(items):
                raise Malformed("object array shape")
            arr = np.empty(len(items), dtype=object)
            for k, v in enumerate(items):  # one by one: NumPy would unpack tuples
                arr[k] = v
            return arr.reshape(shape)
        if node[0] != "a":
            raise Malformed("bad array")
        arr = np.load(io.BytesIO(self._buf(node[1])), allow_pickle=False)
        if arr.dtype.hasobject:
            raise Malformed("object array in .npy")
        return arr

    def _values(self, node: Any, depth: int) -> Any:
        import pandas as pd

        node = _list(node)
        if node and node[0] == "cat":
            cats = self._pandas(node[1][0], node[1][1:], depth + 1)
            return pd.Categorical.from_codes(
                self._array(node[2], depth), categories=cats, ordered=bool(node[3])
            )
        if node and node[0] == "ext":
            dtype = _str(node[1])
            if dtype not in PANDAS_EXT:
                raise Malformed(f"dtype {dtype}")
            return pd.array([self.decode(v, depth + 1) for v in _list(node[2])], dtype=dtype)
        return self._array(node, depth)

    def _pandas(self, tag: str, args: list[Any], depth: int) -> Any:  # noqa: PLR0911
        import pandas as pd

        if tag == "NA":
            return pd.NA
        if tag == "NaT":
            return pd.NaT
        if tag == "ts":
            return pd.Timestamp(_str(args[0]), tz=None if args[1] is None else _str(args[1]))
        if tag == "td":
            return pd.Timedelta(_int(args[0]))
        if tag == "RI":
            return pd.RangeIndex(
                _int(args[0]), _int(args[1]), _int(args[2]), name=self.decode(args[3], depth + 1)
            )
        if tag == "MI":
            levels = [self.decode(lv, depth + 1) for lv in _list(args[0])]
            codes = [self._array(c, depth) for c in _list(args[1])]
            return pd.MultiIndex(
                levels=levels, codes=codes, names=[self.decode(n, depth + 1) for n in _list(args[2])]
            )
        if tag == "I":
            values = self._values(args[0], depth)
            return pd.Index(values, name=self.decode(args[1], depth + 1), copy=False, dtype=_keep(values))
        index = self.decode(_list(args[1]), depth + 1)
        if not isinstance(index, pd.Index):
            raise Malformed("index")
        if tag == "S":
            values = self._values(args[0], depth)
            return pd.Series(
                values, index=index, name=self.decode(args[2], depth + 1), copy=False, dtype=_keep(values)
            )
        columns = self.decode(_list(args[0]), depth + 1)
        cols = [self._values(c, depth) for c in _list(args[2])]
        if not isinstance(columns, pd.Index) or len(columns) != len(cols):
            raise Malformed("columns")
        df = (
            pd.DataFrame(
                {j: pd.Series(c, index=index, copy=False, dtype=_keep(c)) for j, c in enumerate(cols)},
                index=index,
                copy=False,
            )
            if cols
            else pd.DataFrame(index=index)
        )
        df.columns = columns
        return df


def np_object() -> Any:
    import numpy as np

    return np.dtype(object)


def _keep(values: Any) -> Any:
    """object for an object array: pandas would otherwise infer "str" from one of strings."""
    numpy_object = type(values).__module__ == "numpy" and getattr(values, "dtype", None) == np_object()
    return object if numpy_object else None


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise Malformed("expected a string")
    return v


def _int(v: Any) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise Malformed("expected an integer")
    return v


def _list(v: Any) -> list[Any]:
    if not isinstance(v, list):
        raise Malformed("expected a list")
    return v
