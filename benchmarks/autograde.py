"""Benchmark: stock `nbgrader autograde` vs `rta autograde --workers N` on the same submissions.

    .venv/bin/python benchmarks/autograde.py                 # toy exercise, 40 submissions
    .venv/bin/python benchmarks/autograde.py --exercise m06_mse -n 40
    .venv/bin/python benchmarks/autograde.py --exercise m06_mse --at b74bb66   # as it was then

Builds a throw-away course (release with stock nbgrader), makes N submissions in a realistic
mix (correct, partly correct, wrong, blank, tampered test cell, invalid JSON), copies the
course directory twice and grades one copy with stock nbgrader (one serial call, as an
instructor would run it) and the other with rta (the CLI, as a subprocess). Asserts that
every submission stock could grade has identical gradebook rows and autograded notebooks,
that stock's failures are recorded with a reason by rta, and prints both throughputs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course.authoring.release import release, tool_env  # noqa: E402
from course.grader.compare import diff_courses  # noqa: E402
from course.paths import Layout  # noqa: E402

MIX = ["correct", "partly", "wrong", "correct", "blank", "correct", "wrong", "partly", "broken",
       "correct", "tampered", "partly", "correct", "wrong", "blank", "correct", "partly", "wrong",
       "correct", "broken"]


def make_course(tmp: Path, exercise: str, at: str | None = None) -> tuple[Layout, str]:
    root = tmp / "course"
    for d in ("exercises", "modules", "datasets"):
        (root / d).mkdir(parents=True)
    (root / "_toc.yml").write_text("format: jb-book\nroot: modules/index\n")
    if exercise == "toy":
        shutil.copy(ROOT / "tests" / "fixtures" / "toy.md", root / "exercises" / "toy.md")
        shutil.copy(ROOT / "tests" / "fixtures" / "toy_numbers.csv", root / "datasets")
    else:
        target = root / "exercises" / f"{exercise}.md"
        if at:  # the exercise as it was at an earlier commit (its content sets the work per notebook)
            target.write_bytes(subprocess.run(["git", "show", f"{at}:exercises/{exercise}.md"], cwd=ROOT,
                                              check=True, capture_output=True).stdout)
        else:
            shutil.copy(ROOT / "exercises" / f"{exercise}.md", target)
        for f in (ROOT / "datasets").iterdir():
            if f.is_file():
                shutil.copy(f, root / "datasets")
    layout = Layout(root)
    release(layout, [exercise])
    return layout, exercise


def _answers(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]


def variant(kind: str, source: nbformat.NotebookNode, rel: nbformat.NotebookNode, i: int) -> str:
    if kind == "broken":
        return nbformat.writes(source)[: 200 + i]  # a truncated upload: not valid JSON
    if kind == "blank":
        return nbformat.writes(rel)
    nb = nbformat.from_dict(rel)
    sol = {c.metadata.nbgrader["grade_id"]: c.source for c in _answers(source)}
    answers = _answers(nb)
    for k, cell in enumerate(answers):
        gid = cell.metadata.nbgrader["grade_id"]
        if kind in ("correct", "tampered") or (kind == "partly" and k % 2 == i % 2):
            cell.source = sol[gid]
        elif kind == "wrong":  # a plausible slip: every integer literal off by one
            plus_one = lambda m: str(int(m.group(1)) + 1)  # noqa: E731
            cell.source = re.sub(r"(?<![\w.])(\d+)(?![\w.])", plus_one, sol[gid])
    if kind == "tampered":  # edits a visible test to pass trivially: stock and rta restore it
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata.nbgrader.get("solution"):
                cell.source = "assert True"
                break
    return nbformat.writes(nb)


def make_submissions(layout: Layout, exercise: str, n: int) -> dict[str, str]:
    g = layout.grading
    source = nbformat.read(g / "source" / exercise / f"{exercise}.ipynb", as_version=4)
    rel = nbformat.read(g / "release" / exercise / f"{exercise}.ipynb", as_version=4)
    kinds = {}
    for i in range(n):
        kind = MIX[i % len(MIX)]
        student = f"s{i:04d}_{kind}"
        target = g / "submitted" / student / exercise
        shutil.copytree(g / "release" / exercise, target)
        (target / f"{exercise}.ipynb").write_text(variant(kind, source, rel, i), encoding="utf-8")
        kinds[student] = kind
    return kinds


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - t0, proc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--exercise", default="toy", help="toy (the test fixture) or an exercise id (m06_mse)")
    ap.add_argument("-n", type=int, default=40, help="number of submissions")
    ap.add_argument("--at", metavar="REV", help="grade the exercise as it was at this git commit")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the temporary course directories")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="rta-bench-"))
    try:
        layout, ex = make_course(tmp, args.exercise, args.at)
        kinds = make_submissions(layout, ex, args.n)
        stock_dir, rta_dir = tmp / "stock", tmp / "rta"
        shutil.copytree(layout.grading, stock_dir)
        shutil.copytree(layout.grading, rta_dir)
        # a quarter of the class, graded separately: (full - quarter) is the marginal cost of
        # the other three quarters, free of start-up (the throughput a large class sees)
        k = max(1, args.n // 4)
        small = sorted(kinds)[:k]
        for d in ("stock_small", "rta_small"):
            shutil.copytree(layout.grading, tmp / d, ignore=lambda p, names: [
                n for n in names if Path(p).name == "submitted" and n not in small])
        env = tool_env()
        rta = str(Path(sys.executable).parent / "rta")

        def run_stock(d: Path) -> float:
            return timed([sys.executable, "-m", "nbgrader", "autograde", ex, "--force"], d, env)[0]

        def run_rta(d: Path) -> float:
            t, q = timed([rta, "autograde", ex, "--workers", str(args.workers), "--course-dir", str(d)],
                         layout.root, {**env, "RTA_ROOT": str(layout.root)})
            if q.returncode != 0:
                print(q.stdout[-3000:], q.stderr[-3000:])
                raise SystemExit("rta autograde failed")
            return t

        t_stock, t_rta = run_stock(stock_dir), run_rta(rta_dir)
        t_stock_k, t_rta_k = run_stock(tmp / "stock_small"), run_rta(tmp / "rta_small")
        graded_by_stock = [s for s in kinds if (stock_dir / "autograded" / s / ex / f"{ex}.ipynb").exists()]
        failed_by_stock = sorted(set(kinds) - set(graded_by_stock))
        diffs = diff_courses(stock_dir, rta_dir, ex, graded_by_stock)
        csv_text = (rta_dir / f"grades_{ex}.csv").read_text()
        unexplained = [s for s in failed_by_stock if f"{s},," not in csv_text or "failed:" not in csv_text]
        n = len(kinds)
        mix = ", ".join(f"{kind} {list(kinds.values()).count(kind)}" for kind in dict.fromkeys(MIX))
        m_stock, m_rta = (n - k) / (t_stock - t_stock_k), (n - k) / max(t_rta - t_rta_k, 1e-9)
        at = f" at {args.at}" if args.at else ""
        print(f"exercise {ex}{at}: {n} submissions ({mix}); {os.cpu_count()} CPUs")
        print(f"{'':28}{'wall s':>8}{'s/submission':>14}{'subm./s':>9}{'marginal subm./s':>18}")
        for label, t, m in (("stock nbgrader autograde", t_stock, m_stock),
                            (f"rta autograde --workers {args.workers}", t_rta, m_rta)):
            print(f"{label:28}{t:8.1f}{t / n:14.3f}{n / t:9.2f}{m:18.2f}")
        print(f"speed-up end to end ({n} submissions, start-up included): {t_stock / t_rta:.1f}x")
        print(f"speed-up in throughput (marginal, start-up excluded: {n} minus {k} submissions): "
              f"{m_rta / m_stock:.1f}x")
        print(f"identical grades and autograded notebooks for the {len(graded_by_stock)} submissions stock "
              f"graded: {'yes' if not diffs else 'NO'}; stock failed {len(failed_by_stock)}, rta recorded "
              f"a reason for {len(failed_by_stock) - len(unexplained)}")
        for d in diffs[:20]:
            print("  diff:", d[:400])
        assert not diffs, "grades differ from stock nbgrader"
        assert not unexplained, f"no recorded reason for {unexplained}"
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
