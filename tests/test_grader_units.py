"""Small pure pieces of the grading engine."""

from __future__ import annotations

from pathlib import Path

from course.grader.channel import Receiver
from course.grader.cheats import static_flags
from course.grader.feedback import hidden_lines, visible_result
from course.grader.intake import strip_hidden_tests
from course.grader.sandbox import GiB, parse_size

TEST = "assert x > 0\n### BEGIN HIDDEN TESTS\nassert x == 3\n### END HIDDEN TESTS"


def test_parse_size() -> None:
    assert parse_size("2GiB") == 2 * GiB and parse_size("512MiB") == 512 * 1024 ** 2
    assert parse_size("1.5G") == int(1.5 * GiB) and parse_size("1000") == 1000


def test_hidden_tests_are_stripped_and_located() -> None:
    assert strip_hidden_tests(TEST) == "assert x > 0"
    assert hidden_lines(TEST) == {2, 3, 4}


def test_failure_message_never_quotes_a_hidden_line() -> None:
    tb = ["\x1b[32mCell In[4], line 3\x1b[39m", "assert x == 3"]
    cell = {"source": TEST, "outputs": [{"output_type": "error", "ename": "AssertionError", "evalue": "",
                                         "traceback": tb}]}
    assert visible_result(cell) == (False, "A hidden test failed.")
    cell["outputs"][0]["traceback"] = ["Cell In[4], line 1"]
    passed, msg = visible_result(cell)
    assert not passed and "assert x > 0" in msg


def test_static_flags_ordinary_code_passes() -> None:
    assert static_flags("mean = float(numbers.mean())\nprint(mean)") == []
    assert static_flags("sum = 3\nvalues = [1, 2]") == []
    assert static_flags("import os\nos._exit(0)")
    assert static_flags("float = lambda x: 2.5")


def test_channel_rejects_garbage() -> None:
    r = Receiver()
    msgs = r.feed(b'{"t": "start", "i": 1}\nnot json\n{"no": "type"}\n{"t": "do')
    assert msgs == [{"t": "start", "i": 1}] and r.garbage == 2
    assert r.feed(b'ne"}\n') == [{"t": "done"}]


def test_stream_split_points_do_not_count_as_differences() -> None:
    """ipykernel cuts a stream where its 0.2 s flush falls; the text is what is compared."""
    import json

    from course.grader.compare import normalise_notebook

    def nb(outputs):
        return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": outputs}]})

    one = [{"name": "stdout", "output_type": "stream", "text": ["PASS a\n", "PASS b\n"]}]
    two = [{"name": "stdout", "output_type": "stream", "text": ["PASS a\n"]},
           {"name": "stdout", "output_type": "stream", "text": ["PASS b\n"]}]
    other = [{"name": "stdout", "output_type": "stream", "text": ["PASS a\n"]},
             {"name": "stderr", "output_type": "stream", "text": ["PASS b\n"]}]
    assert normalise_notebook(nb(one)) == normalise_notebook(nb(two))
    assert normalise_notebook(nb(one)) != normalise_notebook(nb(other))
    assert normalise_notebook(nb(one)) != normalise_notebook(nb([{**one[0], "text": ["PASS a\n"]}]))


def _roundtrip(value: object) -> object:
    from course.grader.rebuild import Decoder
    from course.grader.values import Encoder

    enc = Encoder(lambda fn: 7)
    node = enc.encode(value)
    return Decoder(enc.buffers, lambda h, name: ("proxy", h, name), __import__).decode(node)


def test_values_cross_as_data() -> None:
    import numpy as np
    import pandas as pd

    df = pd.DataFrame({"a": [1, 2], "s": pd.Series(["x", 1], dtype=object),
                       "c": pd.Categorical(["u", "v"]), "n": pd.array([1, None], dtype="Int64")},
                      index=pd.Index([10, 20], name="k"))
    pd.testing.assert_frame_equal(_roundtrip(df), df)
    s = pd.Series([1.5, np.nan], index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)]), name="s")
    pd.testing.assert_series_equal(_roundtrip(s), s)
    for v in (1, 2 ** 100, 1.5, True, None, "é", b"x", (1, [2, {3: 4}]), {1, 2}, range(3), 1j):
        assert _roundtrip(v) == v and type(_roundtrip(v)) is type(v)
    assert type(_roundtrip(np.float64(2.5))) is np.float64
    assert _roundtrip(len) == ("proxy", 7, "len")  # a callable crosses as a handle for a proxy
    assert _roundtrip(np) is np  # a module by name: the judge's own copy


def test_values_outside_the_allowlist_have_a_reason() -> None:
    import pytest

    from course.grader.values import Uncheckable

    class F(float):
        pass

    deep: list[object] = []
    node = deep
    for _ in range(100):
        node.append([])
        node = node[0]  # type: ignore[assignment]
    for value, why in ((F(1.0), "of type"), (deep, "nested more than"), (object(), "of type object")):
        with pytest.raises(Uncheckable, match=why):
            _roundtrip(value)


def test_malformed_nodes_are_refused() -> None:
    import pytest

    from course.grader.rebuild import Decoder
    from course.grader.values import Malformed

    dec = Decoder([b"not npy"], lambda h, n: None, __import__)
    for node in (["zz"], ["i", 3], ["a", 5], {"x": 1}, ["l", "notalist"]):
        with pytest.raises(Malformed):
            dec.decode(node)


def test_free_names_of_a_test_cell() -> None:
    from course.grader.names import free_names, top_level_bindings

    src = ("_r = f(1)\nfor _x in (a, b):\n    assert isinstance(_x, float)\n"
           "def _g(t):\n    return [c * t for c in cols]\n")
    assert free_names(src) == ["a", "b", "cols", "f", "float", "isinstance"]
    assert top_level_bindings(src) == {"_r", "_x", "_g"}


def test_outputs_are_checked_and_counted() -> None:
    from course.grader.outputs import clean_outputs

    outs = [{"output_type": "stream", "name": "stdout", "text": "ok"}, {"output_type": "bogus"},
            {"output_type": "display_data", "data": {"text/plain": "x" * 500}, "metadata": {}}]
    kept, left, bad = clean_outputs(outs, 200)
    assert bad and [o["output_type"] for o in kept] == ["stream", "stream"] and left == 0


def test_lint_refuses_a_test_name_read_by_a_later_cell(tmp_path) -> None:
    from course.authoring.exercise import read_exercise
    from course.authoring.lint import check_exercise

    src = Path(__file__).parent / "fixtures" / "toy.md"
    text = src.read_text().replace("assert mean > 0", "assert mean > 0\n_limit = 1").replace(
        "    return 2 * v\n", "    return 2 * v * _limit\n")
    path = tmp_path / "toy.md"
    path.write_text(text)
    errors = check_exercise(read_exercise(path))
    assert any("_limit" in str(e) and "tests" in str(e) for e in errors), errors
    assert not [e for e in check_exercise(read_exercise(src)) if "tests run apart" in str(e)]


TRACEBACKS = """
import contextlib, io, json, sys
import numpy, pandas
from IPython.core.interactiveshell import InteractiveShell
sh = InteractiveShell.instance()
if sys.argv[1] == "fast":
    from course.grader.imports import fast_tracebacks
    fast_tracebacks()
cells = ["import pandas as pd\\ndf = pd.DataFrame({'a': [1]})\\ndf['b']",
         "def f(x):\\n    return x / 0\\nf(1)", "import numpy as np\\nnp.linalg.inv(np.zeros((2, 2)))",
         "assert 1 == 2, 'no'", "raise NotImplementedError()", "def f(x):\\n    return x / 0\\nf(1)"]
texts = []
for c in cells:
    with contextlib.redirect_stdout(io.StringIO()):
        e = sh.run_cell(c, store_history=True).error_in_exec
    texts.append(sh.InteractiveTB.structured_traceback(type(e), e, e.__traceback__))
print(json.dumps(texts))
"""


def test_fast_tracebacks_give_the_same_text() -> None:
    """The zygote's traceback shortcuts (course.grader.imports.fast_tracebacks) change the
    cost, never the text: pandas, NumPy and cell frames, highlighted, as IPython prints them."""
    import json
    import subprocess
    import sys

    from .conftest import ROOT

    def run(mode: str) -> list[list[str]]:
        out = subprocess.run([sys.executable, "-c", TRACEBACKS, mode], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
        return json.loads(out)

    slow, fast = run("slow"), run("fast")
    assert len(slow) == 6 and all(len(t) >= 3 for t in slow)  # real, highlighted tracebacks
    assert any("KeyError" in line for line in slow[0]) and any("\x1b[" in line for line in slow[0])
    assert fast == slow


LIGHT = """
import os, sys, tempfile, zipfile
from course.grader.imports import light_imports
light_imports()
import nbgrader.api, nbgrader.utils
assert "setuptools" not in sys.modules, "setuptools was imported"
d = tempfile.mkdtemp()
zipfile.ZipFile(os.path.join(d, "a.zip"), "w").writestr("x.txt", "unpacked")
nbgrader.utils.unpack_archive(os.path.join(d, "a.zip"), os.path.join(d, "out"))
print(open(os.path.join(d, "out", "x.txt")).read())
"""


def test_light_imports_skip_setuptools_until_an_archive_is_unpacked() -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    proc = subprocess.run([sys.executable, "-c", LIGHT], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "unpacked"
