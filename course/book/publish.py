"""`rta publish OUT`: exactly what a static host serves, as the content of one Git branch.

Binder and Colab open a notebook from a path in a Git repository, not from the web site, so
the published tree is both: the slimmed site at its root (with the offline zip and PDF), and
what the launch buttons open - the generated student notebooks at `_generated/exercises/`, the
chapters' MyST sources, and the package, data and `.binder/` that Binder installs - on the
branch the launch buttons name. Push OUT to that branch (the workflow in `.github/workflows/book.yml`
does) and the site, its downloads and every launch button work.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from course.errors import UserError
from course.paths import Layout

DEFAULT_BRANCH = "gh-pages"
# What a launched notebook needs on the branch: the chapter sources, the package, the data.
LAUNCH_SOURCES = (".binder", "modules", "course", "datasets", "pyproject.toml", "README.md", "LICENSE")
_LAUNCH = re.compile(r'href="(https://(?:mybinder\.org|colab\.research\.google\.com)[^"]+)"')
_LOCAL = re.compile(r'href="([^"#?:]+\.(?:ipynb|md|zip|pdf))"')


@dataclass(frozen=True)
class Target:
    page: str  # the site page that links to it
    href: str
    path: str  # where it must be in the published tree
    branch: str | None = None  # the branch a launch link names


def launch_target(href: str) -> tuple[str, str] | None:
    """(branch, repository path) of a Binder or Colab launch link."""
    url = unquote(href).replace("&amp;", "&")
    m = re.search(r"colab\.research\.google\.com/github/[^/]+/[^/]+/blob/([^/]+)/([^&\"?]+)", url)
    if m:
        return m.group(1), m.group(2)
    m = re.search(r"mybinder\.org/v2/gh/[^/]+/[^/]+/([^?]+)\?.*?urlpath=(?:lab/)?tree/([^&\"]+)", url)
    if m:
        return m.group(1), m.group(2)
    return None


def targets(site: Path) -> list[Target]:
    """Every launch and download target of every page under `site`."""
    out = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site)
        if rel.parts[0] in ("_static", "_sources"):
            continue
        text = page.read_text(encoding="utf-8")
        for href in _LAUNCH.findall(text):
            t = launch_target(href)
            if t:
                out.append(Target(rel.as_posix(), href, t[1], t[0]))
        for href in _LOCAL.findall(text):
            path = (rel.parent / unquote(href)).as_posix()
            out.append(Target(rel.as_posix(), href, str(Path(path)).replace("\\", "/")))
    return out


def _normalise(path: str) -> str:
    parts: list[str] = []
    for p in path.split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p not in ("", "."):
            parts.append(p)
    return "/".join(parts)


def missing(out: Path, branch: str) -> list[str]:
    """Targets that the published tree does not hold, each with the page that links to it."""
    problems = []
    for t in targets(out):
        path = _normalise(t.path)
        if t.branch is not None and t.branch != branch:
            problems.append(f"{t.page}: {t.href} opens branch '{t.branch}', not '{branch}'")
        elif not (out / path).exists():
            problems.append(f"{t.page}: {t.href} -> {path} is not in {out}")
    return problems


def _retarget(site: Path, source_branch: str, branch: str) -> int:
    """Point the launch buttons at the published branch, where the notebooks are."""
    if source_branch == branch:
        return 0
    changed = 0
    colab = f"/blob/{source_branch}/"
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = re.sub(r'(href="https://colab\.research\.google\.com/github/[^/"]+/[^/"]+)'
                     + re.escape(colab), rf"\1/blob/{branch}/", text)
        new = re.sub(r'(href="https://mybinder\.org/v2/gh/[^/"]+/[^/"]+/)' + re.escape(source_branch)
                     + r"\?", rf"\g<1>{branch}?", new)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def publish(layout: Layout, out: Path, branch: str = DEFAULT_BRANCH) -> list[str]:
    """Assemble the published tree in `out` (emptied first if it is an earlier publish).
    Returns the launch or download targets still missing (empty when all is well)."""
    import yaml

    html = layout.build / "html"
    if not (html / "index.html").exists():
        raise UserError(f"no built book in {html}", fix="run `make book` (or `rta build`) first")
    if out.exists() and any(out.iterdir()) and not (out / ".rta-publish").exists():
        raise UserError(f"{out} exists and is not an earlier `rta publish` output",
                        fix="choose an empty or new folder")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(html, out, ignore=shutil.ignore_patterns(".buildinfo", "*.map"))
    notebooks = layout.generated / "exercises"
    # beside the site's own pages for them (_generated/exercises/*.html)
    shutil.copytree(notebooks, out / "_generated" / "exercises", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.zip"))
    # Binder opens a chapter's MyST source and builds its environment from the same branch
    # (.binder/requirements.txt installs this package with the data library).
    for rel in LAUNCH_SOURCES:
        src = layout.root / rel
        if src.is_dir():
            shutil.copytree(src, out / rel, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "build"))
        elif src.is_file():
            shutil.copy2(src, out / rel)
    cfg = yaml.safe_load((layout.root / "_config.yml").read_text(encoding="utf-8")) or {}
    _retarget(out, str((cfg.get("repository") or {}).get("branch", "main")), branch)
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve _static/ and _images/ as they are
    (out / ".rta-publish").write_text(f"branch: {branch}\n")
    return missing(out, branch)
