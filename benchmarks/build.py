"""How long `rta build` takes: cold, rebuilt with nothing changed, after one chapter's prose
is edited, and after one exercise is edited — on a copy of the course (the working tree and
its caches are not touched), against stock `jupyter-book build` on the same tree in the same run.

    .venv/bin/python benchmarks/build.py [--keep DIR]

Targets (issue 11): no-change rebuild <= 15 s, one-chapter rebuild <= 30 s, and an exercise
edit regenerates only that exercise's release.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent


def copy_course(dest: Path) -> None:
    """The tracked files plus the working tree's edits (what `git ls-files` lists)."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def timed(cmd: list[str], cwd: Path) -> float:
    env = dict(os.environ, RTA_ROOT=str(cwd), PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return dt


def stamps(course: Path) -> dict[str, float]:
    d = course / "_build" / "nbgrader-course" / "release"
    return {p.parent.name: p.stat().st_mtime for p in d.glob("*/*.ipynb")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="rta-build-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    copy_course(work)
    rta = [str(BIN / "rta"), "build"]
    jb = [str(BIN / "jupyter-book"), "build", ".", "--path-output", ".", "-W", "-n", "--keep-going"]
    rows = []
    print(f"building a copy of the course in {work}", flush=True)
    rows.append(("cold build (empty cache)", timed(rta, work)))
    print(f"  {rows[-1][0]}: {rows[-1][1]:.1f} s", flush=True)
    rows.append(("rebuild, nothing changed", timed(rta, work)))
    print(f"  {rows[-1][0]}: {rows[-1][1]:.1f} s", flush=True)
    stock_nochange = timed(jb, work)
    print(f"  stock `jupyter-book build`, nothing changed: {stock_nochange:.1f} s", flush=True)
    # One chapter's prose: a sentence added to a reading page (its notebook runs again).
    chapter = sorted((work / "modules").glob("m06_*/02_*.md"))[0]
    chapter.write_text(chapter.read_text() + "\nOne more sentence of prose.\n")
    rows.append((f"rebuild after editing {chapter.relative_to(work)}", timed(rta, work)))
    print(f"  {rows[-1][0]}: {rows[-1][1]:.1f} s", flush=True)
    # One exercise: only its release is regenerated.
    before = stamps(work)
    exercise = work / "exercises" / "m06_mse.md"
    exercise.write_text(exercise.read_text() + "\nA last remark for students.\n")
    rows.append(("rebuild after editing exercises/m06_mse.md", timed(rta, work)))
    after = stamps(work)
    regenerated = sorted(k for k in after if after[k] != before.get(k))
    print(f"  {rows[-1][0]}: {rows[-1][1]:.1f} s; releases regenerated: {', '.join(regenerated)}")
    print("\nresult")
    for name, secs in rows:
        print(f"  {name:55} {secs:7.1f} s")
    print(f"  {'stock jupyter-book build, nothing changed':55} {stock_nochange:7.1f} s")
    print(f"  ratio rta no-change rebuild / stock no-change rebuild: {rows[1][1] / stock_nochange:.2f}")
    print(f"  targets: no-change <= 15 s ({'met' if rows[1][1] <= 15 else 'NOT met'}), "
          f"one chapter <= 30 s ({'met' if rows[2][1] <= 30 else 'NOT met'}), "
          f"exercise edit regenerates only m06_mse ({'met' if regenerated == ['m06_mse'] else 'NOT met'})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
