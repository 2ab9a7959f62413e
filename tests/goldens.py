"""Golden folders (as otter-grader keeps them): what the toy course's release, feedback and an
export kit look like, file by file, under tests/golden/<name>/.

A change to any of them must be read before it is accepted: `pytest --regen-golden` rewrites
the folders from what the code makes now, and `git diff tests/golden` shows what changed.
What differs between two runs of the same code (timestamps, temporary paths, ids nbgrader or
the kernel make up) is normalised before comparing, so a golden file changes only when the
output does.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
VOLATILE = [
    (re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(\s?[+-]\d\d:?\d\d|Z| UTC)?"), "<TIME>"),
    (re.compile(r"/(tmp|var/folders)/[^\s\"'<>)]*"), "<TMP>"),
    (re.compile(r"ipykernel_\d+"), "ipykernel_PID"),
    (re.compile(r"0x[0-9a-f]{6,16}"), "0xADDR"),
]


def normalise(text: str) -> str:
    for pattern, repl in VOLATILE:
        text = pattern.sub(repl, text)
    return text.rstrip("\n") + "\n"


def _notebook(text: str) -> str:
    """A notebook without what a run makes up (execution counts, cell ids nbgrader adds)."""
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        if "execution_count" in cell:
            cell["execution_count"] = None
        for out in cell.get("outputs", []):
            if "execution_count" in out:
                out["execution_count"] = None
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False)


def snapshot(folder: Path, include: tuple[str, ...] = ("**/*",)) -> dict[str, str]:
    """relative path -> normalised text, for the files of `folder` matching `include`
    (glob patterns relative to `folder`)."""
    out = {}
    for pattern in include:
        for f in sorted(folder.glob(pattern)):
            if f.is_file():
                text = f.read_text(encoding="utf-8")
                text = _notebook(text) if f.suffix == ".ipynb" else text
                out[f.relative_to(folder).as_posix()] = normalise(text)
    return out


def assert_golden(config: pytest.Config, name: str, files: dict[str, str]) -> None:
    """`files` (relative path -> text) are exactly tests/golden/<name>/ (or rewrite it with
    --regen-golden)."""
    folder = GOLDEN / name
    if config.getoption("--regen-golden"):
        shutil.rmtree(folder, ignore_errors=True)
        for rel, text in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
    assert folder.is_dir(), f"no golden folder {folder}: run pytest --regen-golden and review it"
    golden = {f.relative_to(folder).as_posix(): f.read_text(encoding="utf-8")
              for f in sorted(folder.rglob("*")) if f.is_file()}
    assert sorted(files) == sorted(golden), f"{name}: other files than the golden folder's"
    changed = [rel for rel in files if files[rel] != golden[rel]]
    assert not changed, (f"{name}: {', '.join(changed)} differ from tests/golden/{name}/; if the "
                         "change is meant, run pytest --regen-golden and review `git diff tests/golden`")
