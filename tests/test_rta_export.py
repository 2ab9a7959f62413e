"""`rta export`: a two-module course kit that works with stock nbgrader and Jupyter Book alone
(the `course` package is blocked from import) and a valid Common Cartridge."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from course.cli import app
from course.kit.cartridge import check_cartridge

from .conftest import submit
from .goldens import assert_golden, normalise, snapshot

KIT_GOLDEN = ("README.md", "LICENSE.md", "lms/nbgitpuller_links.md", "book/_config.yml", "book/_toc.yml",
              "book/export_index.md", "course/nbgrader_config.py", "course/source/header.ipynb")

pytestmark = pytest.mark.xdist_group("export")  # one kit for the module, not one per worker
runner = CliRunner()
BLOCKER = '''
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name == "course" or name.startswith("course."):
            raise ImportError("the rta course package is not available here")
sys.meta_path.insert(0, _Block())
'''


def _stock(cmd: list[str], cwd: Path, blocker: Path) -> subprocess.CompletedProcess[str]:
    """Run a stock tool with the course package made unimportable."""
    env = dict(os.environ, PYTHONPATH=str(blocker))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def kit(tmp_path_factory, layout) -> Path:
    out = tmp_path_factory.mktemp("kit") / "rta-kit"
    os.environ["RTA_ROOT"] = str(layout.root)
    result = runner.invoke(app, ["export", "--modules", "6,9", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_kit_contents(kit: Path, request: pytest.FixtureRequest) -> None:
    for rel in ("README.md", "INSTRUCTOR_GUIDE.md", "LICENSE.md", "course/nbgrader_config.py",
                "course/source/header.ipynb", "course/source/m06_mse/m06_mse.ipynb",
                "course/source/m06_mse/data/mse_overlap.csv", "instructor/solutions/m06_mse.ipynb",
                "datasets/datapackage.json", "datasets/mse_overlap.csv", "book/_config.yml",
                "book/_toc.yml", "lms/course.imscc", "lms/nbgitpuller_links.md"):
        assert (kit / rel).exists(), rel
    guide = (kit / "INSTRUCTOR_GUIDE.md").read_text()
    assert "Learning objectives" in guide and "For instructors" in guide
    assert "instructor/solutions/m06_mse.ipynb" in guide
    licence = (kit / "LICENSE.md").read_text()
    assert "CC BY 4.0" in licence and "mse_overlap" in licence
    assert "git-pull?repo=" in (kit / "README.md").read_text()
    # what the kit's templates and the course's _config.yml make, as reviewed (tests/golden/kit/);
    # the guide is left out: it quotes the modules' overview pages, which authors edit
    files = snapshot(kit, KIT_GOLDEN)
    with zipfile.ZipFile(kit / "lms" / "course.imscc") as zf:
        files["lms/course.imscc/imsmanifest.xml"] = normalise(zf.read("imsmanifest.xml").decode())
    assert_golden(request.config, "kit", files)


@pytest.mark.slow
def test_stock_tools_round_trip(kit: Path, tmp_path: Path, layout) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER)
    py = sys.executable
    course = kit / "course"
    _stock([py, "-m", "nbgrader", "generate_assignment", "m06_mse", "--create"], course, blocker)
    release = course / "release" / "m06_mse"
    assert "From Research to Action" in (release / "m06_mse.ipynb").read_text()  # header notebook
    for student, nb_path in (("ada", course / "source" / "m06_mse" / "m06_mse.ipynb"),
                             ("bo", release / "m06_mse.ipynb")):
        submit(course, student, nb_path, "m06_mse")
    _stock([py, "-m", "nbgrader", "autograde", "m06_mse", "--create"], course, blocker)
    _stock([py, "-m", "nbgrader", "generate_feedback", "m06_mse"], course, blocker)
    assert (course / "feedback" / "ada" / "m06_mse" / "m06_mse.html").exists()
    _stock([py, "-m", "nbgrader", "export"], course, blocker)
    with open(course / "grades.csv", newline="") as f:
        grades = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
    # the solution earns every autograded point of the exercise source (the `:points:` of its
    # tests cells; written answers are graded by hand), the release none
    source = (layout.exercises / "m06_mse.md").read_text(encoding="utf-8")
    auto = sum(float(p) for p in re.findall(r"^:points:\s*([0-9.]+)\s*$", source, re.M))
    assert auto > 0 and grades == {"ada": auto, "bo": 0.0}
    # the mini book builds with stock Jupyter Book, warnings as errors, no course package
    _stock([str(Path(py).parent / "jupyter-book"), "build", str(kit / "book"), "-W", "-n",
            "--keep-going"], kit, blocker)
    html = kit / "book" / "_build" / "html"
    assert (html / "modules" / "m06_mse" / "index.html").exists()
    chapter = (html / "modules" / "m06_mse" / "02_loglinear_models.html").read_text()
    assert "12,214" in chapter  # glued numbers survived the export


@pytest.mark.slow
def test_cartridge_passes_structural_checks(kit: Path, tmp_path: Path) -> None:
    cartridge = kit / "lms" / "course.imscc"
    assert check_cartridge(cartridge) == []
    with zipfile.ZipFile(cartridge) as zf:
        manifest = zf.read("imsmanifest.xml").decode()
        assert manifest.count("assignment_xmlv1p0") == 2 and "imswl_xmlv1p3" in manifest
        assert any(n.endswith("m06_mse.ipynb") for n in zf.namelist())
    # the checker catches a broken package: drop one referenced file
    broken = tmp_path / "broken.imscc"
    with zipfile.ZipFile(cartridge) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            if not item.filename.startswith("links/"):
                dst.writestr(item, src.read(item.filename))
    assert any("missing from the package" in p for p in check_cartridge(broken))


def test_bad_arguments(layout, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(layout.root))
    result = runner.invoke(app, ["export", "--modules", "6,42", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "unknown module '42'" in result.output and "m06_mse" in result.output
    assert "fix: choose from:" in result.output and "Traceback" not in result.output
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("instructor notes")
    result = runner.invoke(app, ["export", "--modules", "6", "--out", str(full)])
    assert result.exit_code == 1 and "not empty" in result.output
    assert (full / "keep.txt").read_text() == "instructor notes"
