"""`rta publish OUT`: the tree a static host serves holds every launch and download target of
every page, on the branch the launch buttons name; bad input is refused with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from course.book.publish import missing, publish, targets
from course.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(name="book")]
runner = CliRunner()


def test_every_launch_and_download_target_is_published(layout, built_book, tmp_path) -> None:
    out = tmp_path / "site"
    assert publish(layout, out, branch="gh-pages") == []
    assert (out / "index.html").exists() and (out / ".nojekyll").exists()
    assert (out / ".binder" / "requirements.txt").exists()  # Binder builds from the same branch
    assert (out / "offline" / "rta-mooc-site.zip").exists()
    found = targets(out)
    launch = [t for t in found if t.branch is not None]
    exercises = [p.stem for p in layout.exercise_sources()]
    for ex in exercises:  # Binder and Colab on every exercise page, retargeted to gh-pages
        hits = [t for t in launch if t.path == f"_generated/exercises/{ex}.ipynb"]
        assert {"mybinder.org" in t.href for t in hits} == {True, False}, ex
        assert (out / "_generated" / "exercises" / f"{ex}.ipynb").exists()
    assert {t.branch for t in launch} == {"gh-pages"}
    assert any(t.path.endswith(".zip") for t in found) and any(t.path.endswith(".md") for t in found)
    # and the check can fail: a notebook that is not there is reported with the page
    (out / "_generated" / "exercises" / f"{exercises[0]}.ipynb").unlink()
    problems = missing(out, "gh-pages")
    assert problems and all(exercises[0] in p for p in problems)
    assert missing(out, "main")  # launch links that name another branch are reported too


def test_publish_refuses_a_folder_it_did_not_write(layout, built_book, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(layout.root))
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    result = runner.invoke(app, ["publish", str(out)])
    assert result.exit_code == 1
    assert "not an earlier `rta publish` output" in result.output and "fix:" in result.output
    assert "Traceback" not in result.output
    assert (out / "thesis.tex").read_text() == "precious"  # nothing lost


def test_publish_before_any_build_says_what_to_run(mini_course, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    result = runner.invoke(app, ["publish", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no built book" in result.output and "make book" in result.output
    assert "Traceback" not in result.output
