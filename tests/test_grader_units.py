"""Small pure pieces of the grading engine."""

from __future__ import annotations

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
