"""An IPython shell that records each cell's outputs as ipykernel + nbclient would store them.

Stock nbgrader runs every submission in a fresh ipykernel and nbclient turns the kernel's
iopub messages into nbformat outputs. Here the same IPython machinery runs in-process (in a
forked child) and this module reproduces that translation: stream buffers flushed stdout
first then stderr before any display or error (ipykernel's OutStream), `execute_result` from
the display hook, `display_data` / `update_display_data` / `clear_output` from the display
publisher (nbclient's display-id bookkeeping), and `error` from `_showtraceback`.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any

from ipykernel import jsonutil
from ipykernel.compiler import XCachingCompiler
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Type

_json_clean: Any = jsonutil.json_clean  # ipykernel's helpers have no annotations
_encode_images: Any = jsonutil.encode_images


def json_clean(obj: Any) -> Any:
    return _json_clean(obj)


def encode_images(obj: Any) -> Any:
    return _encode_images(obj)


TRUNCATED = "\n... output truncated by rta (output limit reached) ...\n"


class Recorder:
    """Outputs of the cell being executed, plus display ids seen across the notebook."""

    def __init__(self, max_chars: int = 10_000_000) -> None:
        self.cells: dict[int, list[dict[str, Any]]] = {}
        self.current = -1
        self.buffers: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.dropped: dict[str, bool] = {"stdout": False, "stderr": False}
        self.clear_pending = False
        self.display_ids: dict[str, list[tuple[int, int]]] = {}
        self.budget = max_chars
        self.truncated = False

    @property
    def outputs(self) -> list[dict[str, Any]]:
        return self.cells.setdefault(self.current, [])

    def start(self, cell_index: int) -> None:
        self.current = cell_index
        self.cells[cell_index] = []
        self.clear_pending = False

    def write(self, name: str, text: str) -> None:
        if len(text) > self.budget:
            # never drop a stream entirely: stderr output alone decides a test cell's score
            self.buffers[name].append(text[: max(self.budget, 0)])
            self.budget = 0
            self.dropped[name] = self.truncated = True
            return
        self.budget -= len(text)
        self.buffers[name].append(text)

    def flush(self, name: str | None = None) -> None:
        for n in (name,) if name else ("stdout", "stderr"):
            if self.buffers[n] or self.dropped[n]:
                text = "".join(self.buffers[n]) + (TRUNCATED if self.dropped[n] else "")
                self.buffers[n], self.dropped[n] = [], False
                self.add({"output_type": "stream", "name": n, "text": text})

    def add(self, out: dict[str, Any], display_id: str | None = None) -> None:
        if self.clear_pending:
            self.clear_now()
        if out["output_type"] != "stream":
            # every output kind counts against the limit (a display() bomb as much as print)
            size = _size(out)
            if size > self.budget:
                out = _shrunk(out)
                self.truncated = True
                size = _size(out)
            self.budget = max(self.budget - size, 0)
        if display_id:
            self.display_ids.setdefault(display_id, []).append((self.current, len(self.outputs)))
        self.outputs.append(out)

    def update_display(self, display_id: str, data: dict[str, Any], metadata: dict[str, Any]) -> None:
        for cell, idx in self.display_ids.get(display_id, []):
            outs = self.cells.get(cell, [])
            if idx < len(outs) and outs[idx]["output_type"] in ("display_data", "execute_result"):
                outs[idx]["data"], outs[idx]["metadata"] = data, metadata

    def clear(self, wait: bool) -> None:
        if wait:
            self.clear_pending = True
        else:
            self.clear_now()

    def clear_now(self) -> None:
        self.cells[self.current] = []
        self.clear_pending = False
        for refs in self.display_ids.values():
            refs[:] = [r for r in refs if r[0] != self.current]


def _size(out: dict[str, Any]) -> int:
    import json

    try:
        return len(json.dumps(out))
    except (TypeError, ValueError, RecursionError):
        return 10_000


def _shrunk(out: dict[str, Any]) -> dict[str, Any]:
    if "data" in out:
        text = out["data"].get("text/plain", "")
        text = "".join(text) if isinstance(text, list) else str(text)
        out = {**out, "data": {"text/plain": text[:1_000] + TRUNCATED}, "metadata": {}}
    elif out.get("output_type") == "error":
        out = {**out, "traceback": [str(t)[:10_000] for t in out.get("traceback", [])[:100]]}
    return out


class CaptureStream(io.TextIOBase):
    """sys.stdout / sys.stderr: text is buffered until a flush, as in ipykernel's OutStream."""

    def __init__(self, name: str, recorder: Recorder) -> None:
        super().__init__()
        self.name_ = name
        self.recorder = recorder

    @property
    def name(self) -> str:
        return f"<{self.name_}>"

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "UTF-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        self.recorder.write(self.name_, s)
        return len(s)

    def flush(self) -> None:
        self.recorder.flush(self.name_)


class RecordingDisplayHook(DisplayHook):
    """execute_result outputs, built as ipykernel's ZMQShellDisplayHook builds them."""

    recorder: Recorder | None = None
    pending: dict[str, Any] | None = None

    def start_displayhook(self) -> None:
        self.pending = {"data": {}, "metadata": {}}

    def write_output_prompt(self) -> None:
        if self.pending is not None:
            self.pending["execution_count"] = self.prompt_count

    def write_format_data(self, format_dict: Any, md_dict: Any = None) -> None:
        if self.pending is not None:
            self.pending["data"] = json_clean(encode_images(format_dict))
            self.pending["metadata"] = md_dict

    def finish_displayhook(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        if self.pending and self.pending["data"] and self.recorder is not None:
            self.recorder.add({"output_type": "execute_result",
                               "execution_count": self.pending.get("execution_count"),
                               "data": self.pending["data"],
                               "metadata": self.pending["metadata"] or {}})
        self.pending = None


class RecordingDisplayPublisher(DisplayPublisher):
    """display_data / update_display_data / clear_output, as nbclient stores them."""

    recorder: Recorder | None = None

    def publish(self, data: Any, metadata: Any = None, source: Any = None, *, transient: Any = None,
                update: bool = False, **kwargs: Any) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        validate: Any = self._validate_data
        validate(data, metadata)
        if self.recorder is None:
            return
        content = json_clean({"data": encode_images(data), "metadata": metadata or {}})
        display_id = (transient or {}).get("display_id")
        if update:
            if display_id:
                self.recorder.update_display(display_id, content["data"], content["metadata"])
            return
        if display_id:
            self.recorder.update_display(display_id, content["data"], content["metadata"])
        self.recorder.add({"output_type": "display_data", **content}, display_id)

    def clear_output(self, wait: bool = False) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        if self.recorder is not None:
            self.recorder.clear(wait)


class ZMQGradingShell(InteractiveShell):
    """InteractiveShell wired to a Recorder; tracebacks become nbformat `error` outputs.

    The "ZMQ" in the name is load-bearing: pandas (and tqdm, ...) decide they print to a
    notebook front end, not a terminal, when the shell's type name contains "zmq", as
    ipykernel's ZMQInteractiveShell's does. Under another name, or without a `kernel`, wide
    DataFrames are cut to the terminal width ("...") and the autograded notebook differs from
    stock nbgrader's."""

    displayhook_class = Type(RecordingDisplayHook)
    display_pub_class = Type(RecordingDisplayPublisher)
    compiler_class = Type(XCachingCompiler)
    recorder: Recorder | None = None
    # ipykernel's shell has a kernel; pandas asks `hasattr(get_ipython(), "kernel")` when it is
    # imported to choose its defaults (display.max_columns 20 in a kernel, 0 in a terminal)
    kernel: Any = None

    def attach(self, recorder: Recorder) -> None:
        self.recorder = recorder
        hook: Any = self.displayhook
        pub: Any = self.display_pub
        hook.recorder = pub.recorder = recorder

    def init_environment(self) -> None:
        import os

        # ipykernel's ZMQInteractiveShell.init_environment, so tools print the same way
        os.environ.update({"TERM": "xterm-color", "CLICOLOR": "1", "FORCE_COLOR": "1",
                           "CLICOLOR_FORCE": "1", "PAGER": "cat", "GIT_PAGER": "cat"})

    def _showtraceback(self, etype: Any, evalue: Any, stb: Any) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        stb = splice_student_frames(stb, getattr(evalue, "_rta_tb", None))
        if self.recorder is not None:
            self.recorder.add(json_clean({"output_type": "error", "ename": str(etype.__name__),
                                          "evalue": str(evalue), "traceback": stb}))
        self._last_traceback = stb

    def ask_exit(self) -> None:
        self.exit_now = True

    def enable_gui(self, gui: str | None = None) -> None:
        """`%matplotlib inline` (and `%gui` off): nothing to start, as in ipykernel, whose inline
        loop is none. A grading kernel has no display, so a GUI event loop is refused with a
        message rather than IPython's NotImplementedError."""
        if gui not in (None, "inline"):
            from IPython.core.error import UsageError

            raise UsageError(f"the {gui!r} GUI event loop is not available while grading: "
                             "use %matplotlib inline")
        self.active_eventloop = gui


def splice_student_frames(stb: list[str], student: list[str] | None) -> list[str]:
    """A test's traceback through a proxied student function (judge.py): the judge's frames up
    to the call, then the frames the student's process formatted for its exception, so the
    text reads as it would had the function run in the test's own kernel."""
    if not student:
        return stb
    here = os.path.dirname(os.path.abspath(__file__)) + os.sep

    def own(entry: str) -> bool:  # a frame of the grader's proxy, or IPython's note of hidden ones
        return here in entry or "skipping hidden" in entry

    heads = [k for k, s in enumerate(student) if "Traceback (most recent call last)" in s]
    tail = [s for s in (student[heads[-1] + 1:] if heads else student[-1:]) if not own(s)]
    return [*[s for s in stb[:-1] if not own(s)], *tail]


def language_info() -> dict[str, Any]:
    """What ipykernel reports in kernel_info (nbclient copies it into the notebook metadata)."""
    return {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
            "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3", "version": sys.version.split()[0]}


def make_shell() -> ZMQGradingShell:
    from traitlets.config import Config

    cfg = Config()
    cfg.HistoryManager.enabled = False  # no sqlite and no saving thread: the shell is forked
    return ZMQGradingShell.instance(config=cfg)
