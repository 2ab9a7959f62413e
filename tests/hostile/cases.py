# ruff: noqa: E501  (a table of cases: one case per line reads best)
"""A corpus of broken and hostile submissions to the toy exercise, each with its expected outcome.

Every case is built from the student release by `build(release, ctx)`, which returns the
file to submit (text or bytes). `expect` is what `rta autograde` must record:
  status   "failed" (no score, a reason), "flagged" (zero points, manual review), "graded", or
           "attack" (graded or flagged, never more than `score`: what its honest part earns)
  score    the autograded score when graded (toy: q1 = 3 points, q2 = 2 points)
  shown    substrings that must appear in the autograded notebook's outputs
  text     substrings that must appear in the outcome's reasons/problems/flags/notes
  absent   substrings that must not appear in the autograded notebook
  tree     optional: changes the submission folder after the notebook is written (links,
           special files, timestamps), for attacks on the coordinator rather than the kernel
A correct q1 is `mean = float(numbers.mean())`; a correct q2 doubles its argument. Each
hostile case attacks through q1 and answers q2 correctly, so "graded, score 2" means the
batch went on and the attack earned nothing.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.grader.rootfs import root_paths

Q1 = "mean = float(numbers.mean())"
Q2 = "def double(v):\n    return 2 * v\n"
WRONG = "mean = -1.0"  # 0 points for q1, honestly
# the hidden test's text, built at run time so that the attack's own source never matches
SPY = ("import sys\nfound = []\ndef spy(*a, **k):\n    import gc\n    needle = 'abs(mean ' + '- 2.5)'\n"
       "    for o in getattr(gc, 'get_' + 'objects')():\n"
       "        if isinstance(o, (str, bytes, dict, list)) and needle in str(o)[:100_000]:\n            found.append(type(o).__name__)\n"
       "    f = sys._getframe().f_back\n    while f:\n        found.extend('frame' for c in f.f_code.co_consts if needle in str(c))\n"
       "        found.extend('locals' for v in list(f.f_locals.values()) if needle in str(v)[:100_000])\n"
       "        f = f.f_back\n"
       "ev = getattr(get_ipython(), 'eve' + 'nts')\ngetattr(ev, 'regi' + 'ster')('pre_run_cell', spy)\n"
       "getattr(ev, 'regi' + 'ster')('post_run_cell', lambda *a: print('SPIED: ' + ' '.join(found)[:200]) if found else None)\n"
       "spy()\n")
PROC_SPY = ("import os\nfound = []\nfor p in os.listdir('/proc'):\n    if p.isdigit() and int(p) != os.getpid():\n"
            "        for part in ('environ', 'cmdline', 'mem'):\n            try:\n"
            "                with open(f'/proc/{p}/{part}', 'rb') as f:\n                    data = f.read(1 << 20)\n"
            "            except OSError:\n                continue\n"
            "            if b'BEGIN ' + b'HIDDEN' in data:\n                found.append(p)\n"
            "if found:\n    print('SPIED: in', found)\n")
WRITE_SHARED = ("for d in ('/run/lock', '/var/lock', '/var/tmp', '/dev/shm', '/dev/mqueue'):\n    try:\n"
                "        with open(d + '/rta-hostile-' + str(__import__('os').getpid()), 'w') as f:\n            f.write('x')\n"
                "        print('WROTE' if d in ('/run/lock', '/var/lock', '/var/tmp') else 'private', d)\n"
                "    except OSError as e:\n        print('blocked', d, e.strerror)\n")
SECRET = "RTA_HOSTILE_SECRET"
HOST_SECRET = "RTA-HOST-FILE-CONTENT"  # in a host file outside the course; must never be read
# in a world-readable file of the host outside the course, /tmp and the homes (the repository's
# test-artifacts/): only the sandbox's own root keeps it out of reach
PUBLIC_SECRET = "RTA-WORLD-READABLE-HOST-FILE"
PUBLIC_FILE = Path(__file__).resolve().parents[2] / "test-artifacts" / "hostile-public.txt"
READ_HOST = ("import os\nfor p in (" + repr(str(PUBLIC_FILE)) + ", '/etc/passwd', '/etc/hostname', '/proc/1/cmdline'):\n"
             "    try:\n        with open(p, 'rb') as f:\n            print('READ', p, f.read(200))\n"
             "    except OSError as e:\n        print('blocked', p, e.strerror)\n")
# what the sandbox's root may hold at its top: its own folders and the first part of each path
# it binds from the host (where the checkout lives varies: /work, /check/work, a home)
ROOT_TOP = sorted({"dev", "etc", "proc", "tmp", "bin", "sbin", "lib", "lib64",
                   *(Path(p).parts[1] for p in root_paths())})
LIST_HOST = ("import os\nprint('EXTRA', sorted(set(os.listdir('/')) - set(" + repr(ROOT_TOP) + ")))\n"
             "print('OTHERS', [p for p in os.listdir('/proc') if p.isdigit() and int(p) != os.getpid()])\n")


@dataclass
class Ctx:
    course_dir: Path

    @property
    def host_file(self) -> Path:
        """A file outside the course (think /etc/shadow): the test writes HOST_SECRET in it."""
        return self.course_dir.parent / "host-secret.txt"


@dataclass
class Case:
    name: str
    build: Callable[[dict[str, Any], Ctx], str | bytes]
    status: str
    score: float | None = None
    text: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    tree: Callable[[Path, Ctx], None] | None = None
    shown: list[str] = field(default_factory=list)


def _gid(cell: dict[str, Any]) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def solved(release: dict[str, Any], q1: str = Q1, q2: str = Q2) -> dict[str, Any]:
    nb = copy.deepcopy(release)
    for cell in nb["cells"]:
        if _gid(cell) == "q1":
            cell["source"] = q1
        elif _gid(cell) == "q2":
            cell["source"] = q2
    return nb


def dump(nb: dict[str, Any]) -> str:
    return json.dumps(nb, indent=1)


def full(release: dict[str, Any], ctx: Ctx) -> str:
    """The honest, fully correct notebook (5 points)."""
    return dump(solved(release))


def attack(code: str) -> Callable[[dict[str, Any], Ctx], str]:
    return lambda rel, ctx: dump(solved(rel, q1=code))


def attack_ctx(make: Callable[[Ctx], str]) -> Callable[[dict[str, Any], Ctx], str]:
    return lambda rel, ctx: dump(solved(rel, q1=make(ctx)))


def edit(fn: Callable[[dict[str, Any]], None], base: Callable[[dict[str, Any]], dict[str, Any]] = solved
         ) -> Callable[[dict[str, Any], Ctx], str]:
    def build(rel: dict[str, Any], ctx: Ctx) -> str:
        nb = base(rel)
        fn(nb)
        return dump(nb)
    return build


def _cell(nb: dict[str, Any], gid: str) -> dict[str, Any]:
    return next(c for c in nb["cells"] if _gid(c) == gid)


def _delete(gid: str) -> Callable[[dict[str, Any]], None]:
    return lambda nb: nb["cells"].remove(_cell(nb, gid))


def _duplicate(gid: str, first_source: str) -> Callable[[dict[str, Any]], None]:
    def fn(nb: dict[str, Any]) -> None:
        c = _cell(nb, gid)
        twin = copy.deepcopy(c)
        twin["source"] = first_source
        twin["id"] = "twin" + c.get("id", "x")[:20]
        nb["cells"].insert(nb["cells"].index(c), twin)
    return fn


def _retype(gid: str) -> Callable[[dict[str, Any]], None]:
    def fn(nb: dict[str, Any]) -> None:
        c = _cell(nb, gid)
        c["cell_type"] = "markdown"
        c.pop("outputs", None)
        c.pop("execution_count", None)
    return fn


def _tamper_tests(nb: dict[str, Any]) -> None:
    for c in nb["cells"]:
        nbg = c.get("metadata", {}).get("nbgrader", {})
        if nbg.get("grade") and not nbg.get("solution"):
            c["source"] = "pass"


def _points(nb: dict[str, Any]) -> None:
    _cell(nb, "q2_tests")["metadata"]["nbgrader"]["points"] = 100


def _strip_metadata(nb: dict[str, Any]) -> None:
    for c in nb["cells"]:
        c["metadata"] = {}


def _corrupt_metadata(nb: dict[str, Any]) -> None:
    _cell(nb, "q1")["metadata"]["nbgrader"] = "garbage"


def _same_ids(nb: dict[str, Any]) -> None:
    for c in nb["cells"]:
        c["id"] = "same"


def _off_schema(nb: dict[str, Any]) -> None:
    """Parts grading never reads, off the nbformat schema (an editor's bug, a hand edit)."""
    md = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    md["attachments"] = {"plot.png": {"image/png": 5}}
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": 3}]
    code["metadata"]["tags"] = "not-a-list"
    nb["metadata"]["language_info"] = {"name": 3}


def _setup_cell(nb: dict[str, Any]) -> None:
    setup = next(c for c in nb["cells"] if c["cell_type"] == "code" and "read_csv" in "".join(c["source"]))
    nb["cells"].remove(setup)


def _no_version(nb: dict[str, Any]) -> None:
    del nb["nbformat"]
    del nb["nbformat_minor"]


def _future(nb: dict[str, Any]) -> None:
    nb["nbformat"] = 5


CASES: list[Case] = [
    # unreadable files: a reason, no score, the batch goes on
    Case("invalid_json", lambda rel, ctx: "{ this is not json", "failed", text=["not valid JSON"]),
    Case("truncated_json", lambda rel, ctx: dump(solved(rel))[:500], "failed", text=["not valid JSON"]),
    Case("empty_file", lambda rel, ctx: "", "failed", text=["empty"]),
    Case("not_utf8", lambda rel, ctx: b"\xff\xfe\x00\x01garbage", "failed", text=["UTF-8"]),
    Case("json_not_notebook", lambda rel, ctx: "[1, 2, 3]", "failed", text=["not a Jupyter notebook"]),
    Case("future_nbformat", edit(_future), "failed", text=["unsupported notebook format version 5"]),
    Case("too_large", lambda rel, ctx: dump(solved(rel)) + " " * (21 * 1024 ** 2), "failed",
         text=["larger than 20 MB"]),
    # repairable structure: graded, with a note of what was repaired
    Case("missing_nbformat_version", edit(_no_version), "graded", 5, ["nbformat version missing"]),
    Case("deleted_test_cell", edit(_delete("q1_tests")), "graded", 5, ["test cell q1_tests was deleted"]),
    Case("deleted_answer_cell", edit(_delete("q1")), "graded", 2, ["answer cell q1 was deleted"]),
    Case("deleted_setup_cell", edit(_setup_cell), "graded", 5, ["read-only cell", "was deleted"]),
    Case("duplicated_answer_cell", edit(_duplicate("q2", "def double(v):\n    return 3 * v\n")), "graded", 5,
         ["q2 appears 2 times"]),
    Case("duplicated_test_cell", edit(_duplicate("q1_tests", "pass")), "graded", 5,
         ["q1_tests appears 2 times"]),
    Case("retyped_test_cell", edit(_retype("q1_tests")), "graded", 5, ["changed to markdown"]),
    Case("retyped_answer_cell", edit(_retype("q2")), "graded", 5, ["q2 was changed to markdown"]),
    Case("tampered_test_cells", edit(_tamper_tests, lambda rel: solved(rel, q1="mean = -1.0",
                                                                        q2="def double(v):\n    return v\n")),
         "graded", 0, ["was edited; restored from the source"]),
    Case("tampered_points", edit(_points), "graded", 5, ["points changed to 100"]),
    Case("stripped_metadata", edit(_strip_metadata), "graded", None, ["was deleted; restored"]),
    Case("corrupted_metadata", edit(_corrupt_metadata), "graded", None, ["nbgrader metadata is not an object"]),
    Case("duplicate_cell_ids", edit(_same_ids), "graded", 5, ["cell id(s) were duplicated"]),
    # stock nbgrader warns and grades these: so does rta, with what it removed named
    Case("off_schema_parts", edit(_off_schema), "graded", 5,
         ["malformed attachments; removed", "malformed outputs; cleared", "metadata 'tags' did not follow",
          "metadata 'language_info' did not follow"]),
    Case("unicode_garbage", attack("mean = '\u202e\u0000\U0001f600\ufffd' * 3\n# \u0645\u0631\u062d\u0628\u0627"),
         "graded", 2),
    Case("syntax_error", attack("mean = = 3"), "graded", 2),
    # a shallow limit keeps IPython's (slow) formatting of a deep traceback well inside the timeout
    Case("runaway_recursion", attack("import sys\nsys.setrecursionlimit(150)\ndef f(n):\n    return f(n + 1)\nf(0)"),
         "graded", 2),
    # resource abuse: limits hold, the notebook is scored on what ran
    Case("infinite_loop", attack("while True:\n    pass"), "graded", 2, ["timed out in cell"]),
    Case("sleep_beyond_timeout", attack("import time\ntime.sleep(10 ** 6)"), "graded", 2, ["timed out in cell"]),
    Case("ignores_interrupt", attack("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                     "while True:\n    pass"), "graded", 0, ["timed out", "killed"]),
    Case("memory_bomb", attack("x = bytearray(64 * 1024 ** 3)"), "graded", 2, ["memory limit"]),
    Case("memory_creep", attack("x = []\nwhile True:\n    x.append(bytearray(50_000_000))"), "graded", 2,
         ["memory limit"]),
    Case("fork_bomb", attack("import os\nwhile True:\n    os.fork()"), "flagged", 0, ["forks"]),
    Case("huge_file", attack("with open('big.bin', 'wb') as f:\n    f.write(b'0' * 200_000_000)\n" + Q1),
         "graded", 2),
    Case("huge_output", attack("for i in range(200_000):\n    print('x' * 100)\n" + Q1), "graded", 5,
         ["truncated"]),
    # tampering with the grader: flagged, no points
    Case("sys_exit", attack("import sys\nsys.exit(0)"), "flagged", 0, ["exits the kernel"]),
    Case("os_exit", attack(Q1 + "\nimport os\nos._exit(0)"), "flagged", 0, ["exits or kills the kernel"]),
    Case("kernel_kill", attack(Q1 + "\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)"), "flagged", 0,
         ["exits or kills the kernel"]),
    Case("exit_builtin", attack(Q1 + "\nexit()"), "flagged", 0, ["exit"]),
    Case("override_builtins", attack("__builtins__.isinstance = lambda *a: True\nmean = 'x'"), "flagged", 0,
         ["builtins"]),
    Case("builtins_module", attack("import builtins\nbuiltins.abs = lambda x: 0\nmean = 99.0"), "flagged", 0,
         ["builtins"]),
    Case("rebind_assertion_error", attack("AssertionError = Warning\nmean = 99.0"), "flagged", 0,
         ["AssertionError"]),
    Case("shadow_test_helper", attack("isinstance = lambda *a: True\nabs = lambda x: 0\nmean = 99.0"),
         "flagged", 0, ["rebinds the builtin 'abs'"]),
    Case("always_true_eq", attack("class Anything(float):\n    def __eq__(self, other):\n        return True\n"
                                  "mean = Anything(0)"), "flagged", 0, ["__eq__"]),
    Case("hidden_always_true_eq", attack("E = '__e' + 'q__'\nF = type('F', (float,), {E: lambda s, o: True})\n"
                                         "mean = F(0.0)"), "flagged", 0, ["compares equal to anything"]),
    Case("patch_showtraceback", attack("get_ipython().showtraceback = lambda *a, **k: None\nmean = 'x'"),
         "flagged", 0, ["showtraceback"]),
    Case("hidden_patch_showtraceback", attack("ip = get_ipython()\nsetattr(ip, 'show' + 'traceback', "
                                              "lambda *a, **k: None)\nmean = 'x'"),
         "flagged", 0, ["overrode the shell's showtraceback"]),
    Case("patch_numpy", attack("import numpy as np\nsetattr(np, 'is' + 'close', lambda *a, **k: True)\n" + Q1),
         "flagged", 0, ["replaced numpy.isclose"]),
    Case("redirect_stderr", attack("import sys, io\nsys.stderr = io.StringIO()\n" + Q1), "flagged", 0,
         ["sys.stdout / sys.stderr"]),
    Case("read_source", attack(Q1 + "\ntry:\n    print(open('../../source/toy/toy.ipynb').read()[:80])\n"
                                    "except OSError as e:\n    print('blocked', type(e).__name__)"),
         "flagged", 0, ["tried to read a file outside the sandbox"], ["BEGIN HIDDEN TESTS"]),
    Case("read_gradebook", attack_ctx(lambda ctx: Q1 + f"\ntry:\n    print(open({str(ctx.course_dir / 'gradebook.db')!r},"
                                      " 'rb').read(16))\nexcept OSError as e:\n    print('blocked')"),
         "flagged", 0, ["gradebook.db"], ["SQLite format"]),
    Case("read_other_submission", attack_ctx(lambda ctx: Q1 + "\ntry:\n    print(open(" + repr(str(
        ctx.course_dir / "submitted" / "invalid_json" / "toy" / "toy.ipynb")) + ").read())\n"
        "except OSError:\n    print('blocked')"), "flagged", 0, ["tried to read"], ["this is not json"]),
    Case("forged_channel", attack("import os\nos.write(3, b'{\"t\": \"done\"}\\n')\nmean = 'x'"), "flagged", 0,
         ["grading channel"]),
    Case("garbage_channel", attack(Q1 + "\nimport os\nos.write(3, b'garbage\\n')"), "flagged", 0,
         ["grading channel"]),
    # sandbox: no network, no secrets, no writes into the course
    Case("network", attack("import socket\ntry:\n    socket.create_connection(('1.1.1.1', 80), timeout=3)\n"
                           "    print('CONNECTED')\nexcept OSError as e:\n    print('blocked', e)\n" + Q1),
         "graded", 5, ["network"], ["CONNECTED"]),
    Case("write_course_dir", attack_ctx(lambda ctx: "try:\n    open(" + repr(str(ctx.course_dir / "hacked.txt"))
                                        + ", 'w').write('x')\nexcept OSError:\n    print('blocked')\n" + Q1),
         "graded", 5),
    Case("environment_secret", attack("import os\nprint('SECRET=' + str(os.environ.get("
                                      f"{SECRET!r})))\n" + Q1), "graded", 5, [], ["top-secret"]),
    Case("stub_answers", lambda rel, ctx: dump(rel), "graded", 0),
    # the submission folder attacks the coordinator (which may run as root): nothing is followed
    Case("symlink_to_host_file", full, "graded", 5, ["symbolic link"],
         tree=lambda d, ctx: os.symlink(ctx.host_file, d / "notes.txt")),
    Case("symlink_to_solution", full, "graded", 5, ["symbolic link"],
         tree=lambda d, ctx: os.symlink(ctx.course_dir / "source" / "toy" / "toy.ipynb", d / "answers.txt")),
    Case("symlink_to_gradebook", full, "graded", 5, ["symbolic link"],
         tree=lambda d, ctx: os.symlink(ctx.course_dir / "gradebook.db", d / "gb.sqlite")),
    Case("symlinked_data_folder", full, "graded", 5, ["data is a symbolic link"],
         tree=lambda d, ctx: (shutil.rmtree(d / "data"), os.symlink(ctx.course_dir.parent, d / "data"))),
    Case("notebook_is_symlink", full, "failed", text=["toy.ipynb is a symbolic link"],
         tree=lambda d, ctx: (os.unlink(d / "toy.ipynb"),
                              os.symlink(ctx.course_dir / "source" / "toy" / "toy.ipynb", d / "toy.ipynb"))),
    Case("student_folder_is_symlink", full, "failed", text=["is a link or cannot be opened"],
         tree=lambda d, ctx: (shutil.rmtree(d.parent),
                              os.symlink(ctx.course_dir / "submitted" / "control_full", d.parent))),
    Case("hard_link_to_host_file", full, "graded", 5, ["hard links"],
         tree=lambda d, ctx: os.link(ctx.host_file, d / "copy.txt")),
    Case("fifo_in_submission", full, "graded", 5, ["FIFO"], tree=lambda d, ctx: os.mkfifo(d / "pipe")),
    Case("deep_folders", full, "graded", 5, ["nested more than"],
         tree=lambda d, ctx: (d / "/".join(["x"] * 40)).mkdir(parents=True)),
    Case("malformed_timestamp", full, "graded", 5, ["timestamp.txt is malformed"],
         tree=lambda d, ctx: (d / "timestamp.txt").write_text("yesterday-ish, roughly")),
    Case("control_full", full, "graded", 5),
] + [
    # the judge: tests run in another process, so tampering with this one earns nothing. Each
    # attack answers q1 with -1.0 (0 points honestly) and q2 correctly (2 points)
    Case("input_transformer", attack("get_ipython().input_transformers_post.append(\n"
                                     "    lambda lines: [l.replace('assert', 'assert True or') for l in lines])\n" + WRONG),
         "attack", 2),
    Case("ast_transformer", attack("import ast\nclass T(ast.NodeTransformer):\n    def visit_Assert(self, node):\n"
                                   "        return ast.Pass()\nget_ipython().ast_transformers.append(T())\n" + WRONG),
         "attack", 2),
    Case("custom_exc_getattr", attack("getattr(get_ipython(), 'set_' + 'custom_exc')((AssertionError, TypeError),\n"
                                      "    lambda *a, **k: None)\n" + WRONG), "attack", 2),
    Case("private_transform_cell", attack("C = type(get_ipython())\nreal = C.transform_cell\n"
                                          "setattr(C, 'transform' + '_cell', lambda self, c: 'pass\\n' if 'assert' in c "
                                          "else real(self, c))\n" + WRONG), "attack", 2),
    Case("private_run_ast_nodes", attack("ip = get_ipython()\nasync def quiet(*a, **k):\n    return False\n"
                                         "setattr(ip, 'run_ast' + '_nodes', quiet)\n" + WRONG), "attack", 2),
    Case("shell_compiler", attack("ip = get_ipython()\nreal = ip.compile.ast_parse\n"
                                  "ip.compile.ast_parse = lambda src, *a, **k: real('pass' if 'assert' in src else src, *a, **k)\n"
                                  + WRONG), "attack", 2),
    Case("forged_reply_frame", attack("from course.grader import wire\n"
                                      "wire.send(3, {'op': 'cell', 'seq': 10 ** 6, 'i': 3, 'outputs': []})\n" + WRONG),
         "attack", 2),
    Case("forged_recorder", attack("import gc\nfor o in getattr(gc, 'get_' + 'objects')():\n"
                                   "    if type(o).__name__ == 'Recorder':\n        o.cells.clear()\n" + WRONG), "attack", 2),
    Case("swallowed_system_exit", lambda rel, ctx: dump(solved(rel, q2="def double(v):\n    raise SystemExit(0)\n")),
         "graded", 3),
    Case("swallowed_bdb_quit", lambda rel, ctx: dump(solved(rel, q2="import bdb\ndef double(v):\n    raise bdb.BdbQuit()\n")),
         "graded", 3),
    Case("replaced_builtins_ns", attack("import types\nb = types.ModuleType('b')\nb.__dict__.update(vars(__import__('buil' + 'tins')))\n"
                                        "b.isinstance = lambda *a: True\nb.abs = lambda x: 0\n"
                                        "globals()['__buil' + 'tins__'] = b\n" + WRONG), "attack", 2),
    Case("proxy_objects", attack("class Anything:\n    def __getattr__(self, n):\n        return lambda *a, **k: True\n"
                                 "np = pd = sm = Anything()\nmean = Anything()"), "attack", 2,
         ["`mean` is of type __main__.Anything, which the grader cannot check"]),
    Case("float_subclass", attack("class F(float):\n    pass\nmean = F(-1.0)"), "graded", 2, ["which the grader cannot check"]),
    Case("patched_helpers", attack("import math, operator\nsetattr(__import__('buil' + 'tins'), 'ab' + 's', lambda x: 0)\n"
                                   "operator.gt = lambda a, b: True\nmath.isclose = lambda *a, **k: True\n" + WRONG),
         "attack", 2),
    Case("spy_from_event_callback", attack(SPY + WRONG), "attack", 2, [], ["SPIED:"]),
    Case("spy_other_processes", attack(PROC_SPY + WRONG), "attack", 2, [], ["SPIED:"]),
    Case("scratch_inode_bomb", attack("import os\nos.makedirs('bomb', exist_ok=True)\nfor i in range(200_000):\n    try:\n"
                                      "        open(f'bomb/{i}', 'w').close()\n    except OSError as e:\n"
                                      "        print('stopped at', 'many' if i > 1000 else i, e.strerror)\n        break\n" + Q1),
         "graded", 5, shown=["stopped at many"]),
    Case("scratch_size_bomb", attack("for i in range(40):\n    try:\n        with open(f'big{i}.bin', 'wb') as f:\n"
                                     "            f.write(b'0' * 50_000_000)\n    except OSError as e:\n"
                                     "        print('stopped after', i, 'files:', e.strerror)\n        break\n" + Q1),
         "graded", 5, shown=["No space left on device"]),
    Case("display_bomb", attack("from IPython.display import display\nfor i in range(400):\n"
                                "    display({'text/plain': 'x' * 50_000, 'text/html': '<b>' + 'y' * 50_000 + '</b>'}, raw=True)\n"
                                + Q1), "graded", 5, ["truncated"]),
    Case("write_run_lock", attack(WRITE_SHARED + Q1), "graded", 5, [], ["WROTE"], shown=["blocked /run/lock"]),
    # values that name modules: the judge imports only what it has or what the Python installation holds
    Case("module_value_outside_python", attack("import types\nmean = types.ModuleType('tests.hostile.cases')"),
         "graded", 2, ["which the grader cannot import"]),
    Case("module_value_main_exits", attack("import types\nmean = types.ModuleType('unittest.__main__')"),
         "graded", 2, ["which the grader cannot import"]),
    Case("huge_int_value", attack("mean = 10 ** 5000"), "graded", 2, ["more than 4,000 digits"]),
    Case("statsmodels_lookalike", attack("class R:\n    pass\nR.__module__ = 'statsmodels.fake'\nmean = R()\n"
                                         "mean.params, mean.model = [2.5], None"),
         "graded", 2, ["not a class of statsmodels"]),
    Case("many_magics_cell", attack("%pwd\n" * 150 + Q1), "graded", 5),  # the grader does not re-transform it
    Case("file_where_data_folder_is", full, "graded", 5,
         tree=lambda d, ctx: (shutil.rmtree(d / "data"), (d / "data").write_text("not a folder"))),
    # the sandbox's own root: no host file outside the Python installation exists there
    Case("read_world_readable_host_files", attack(READ_HOST + Q1), "flagged", 0, ["tried to read a file outside"],
         [PUBLIC_SECRET, "READ"],
         shown=["blocked " + str(PUBLIC_FILE), "blocked /etc/passwd", "blocked /proc/1/cmdline"]),
    Case("list_host_root_and_processes", attack(LIST_HOST + Q1), "graded", 5,
         shown=["EXTRA []", "OTHERS []"]),
    Case("deep_value", attack("mean = -1.0\nfor _ in range(100_000):\n    mean = [mean]"), "graded", 2, ["nested more than"]),
    Case("deep_json", lambda rel, ctx: "[" * 200_000 + "]" * 200_000, "failed", text=["nested"]),
    Case("uncheckable_return", lambda rel, ctx: dump(solved(rel, q2="def double(v):\n    class R(int):\n        pass\n"
                                                                   "    return R(2 * v)\n")),
         "graded", 3, ["double() returned", "which the grader cannot check"]),
    Case("lone_surrogate_output", attack(Q1 + "\nprint('\\ud800 printed')"), "graded", 5, shown=["printed"]),
    # honest controls through the proxy: printing is fine, a warning on stderr fails the test as in nbgrader
    Case("control_prints_in_function", lambda rel, ctx: dump(solved(rel, q2="def double(v):\n    print('doubling', v)\n"
                                                                          "    return 2 * v\n")), "graded", 5,
         shown=["doubling 21"]),
    Case("control_warns_in_function", lambda rel, ctx: dump(solved(rel, q2="import warnings\ndef double(v):\n"
                                                                         "    warnings.warn('careful')\n    return 2 * v\n")),
         "graded", 3, shown=["careful"]),
    Case("control_wrong_q2", lambda rel, ctx: dump(solved(rel, q2="def double(v):\n    return v ** 2\n")), "graded", 3),
    Case("control_error_in_function", lambda rel, ctx: dump(solved(rel, q2="def double(v):\n    return {}[v]\n")),
         "graded", 3, shown=["KeyError"]),
]
