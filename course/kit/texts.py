"""The kit's texts for instructors: README, instructor guide, licence and the nbgitpuller links.

Their wording lives in `template/*.md` (as Jupyter Book 1 keeps its book template), with
`${name}` slots; this module fills the slots from the course: its identity (`_config.yml`),
its modules' overview pages and exercises, the datasets' terms.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from string import Template
from urllib.parse import quote, urlencode

from course.authoring.exercise import read_exercise
from course.identity import CC_BY, course_identity
from course.paths import Layout

TEMPLATES = Path(__file__).parent / "template"


def render(name: str, **slots: str) -> str:
    """A template with every slot filled (a slot left empty is an error, not a blank)."""
    text = Template((TEMPLATES / name).read_text(encoding="utf-8")).substitute(slots)
    return text.rstrip("\n") + "\n"


def overview(layout: Layout, module: str) -> str:
    return (layout.modules / module / "index.md").read_text(encoding="utf-8")


def title(markdown: str) -> str:
    m = re.search(r"^# (.+)$", markdown, re.M)
    return m.group(1).strip() if m else ""


def section(markdown: str, *keywords: str) -> str:
    """The text of the first `##` section whose heading contains one of the keywords."""
    for part in re.split(r"^## ", markdown, flags=re.M)[1:]:
        if any(k in part.splitlines()[0].lower() for k in keywords):
            return "## " + part.strip()
    return ""


def gitpuller_link(hub_url: str, repo_url: str, branch: str, path: str) -> str:
    """One-click JupyterHub link (nbgitpuller): clone or update the repo, open the notebook."""
    repo_dir = repo_url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    query = urlencode({"repo": repo_url, "branch": branch,
                       "urlpath": f"lab/tree/{repo_dir}/{path}"}, quote_via=quote)
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def write_texts(layout: Layout, out: Path, modules: list[str], exercises: list[str],
                hub_url: str, repo_url: str, branch: str) -> None:
    ident = course_identity(layout)
    titles = {m: title(overview(layout, m)) for m in modules}
    points = {e: read_exercise(layout.exercises / f"{e}.md").total_points for e in exercises}
    links = {e: gitpuller_link(hub_url, repo_url, branch, f"release/{e}/{e}.ipynb") for e in exercises}
    listing = [f"- **{titles[m]}**" + (f" - graded assignment `{m}` ({points[m]:g} points)"
                                       if m in points else "") for m in modules]
    schedule = [f"- Week {i}: {titles[m]} - read before class, 90-minute session "
                "(see INSTRUCTOR_GUIDE.md), assignment due the following week."
                for i, m in enumerate(modules, start=1)]
    (out / "README.md").write_text(render(
        "README.md", title=ident.title, author=ident.author, modules="\n".join(listing),
        release_commands=" && ".join(f"nbgrader generate_assignment {e}" for e in exercises),
        schedule="\n".join(schedule), hub_url=hub_url, repo_url=repo_url, branch=branch,
        links="\n".join(f"- `{e}`: <{links[e]}>" for e in exercises)), encoding="utf-8")
    (out / "lms" / "nbgitpuller_links.md").write_text(render(
        "nbgitpuller_links.md", links="\n".join(f"- {e}: {links[e]}" for e in exercises)),
        encoding="utf-8")
    guide = "\n".join(_guide(layout, m, titles[m], points.get(m)) for m in modules)
    (out / "INSTRUCTOR_GUIDE.md").write_text(render("INSTRUCTOR_GUIDE.md", modules=guide), encoding="utf-8")
    (out / "LICENSE.md").write_text(render(
        "LICENSE.md", cc_by=CC_BY, attribution=ident.attribution,
        data_terms="\n".join(_data_terms(out / "datasets" / "datapackage.json"))), encoding="utf-8")


def _guide(layout: Layout, module: str, heading: str, points: float | None) -> str:
    md = overview(layout, module)
    parts = [f"## {heading}", ""]
    for keys in (("objective", "outcome"), ("before you start", "time"), ("instructor",)):
        found = section(md, *keys)
        if found:
            parts += [found.replace("## ", "### ", 1), ""]
    if points is not None:
        parts += [f"**Answer key:** `instructor/solutions/{module}.ipynb` (model answers for the "
                  f"written questions are in the same notebook). {points:g} points.", ""]
    return "\n".join(parts)


def _data_terms(datapackage: Path) -> list[str]:
    package = json.loads(datapackage.read_text(encoding="utf-8"))
    terms = []
    for r in package["resources"]:
        lic = r.get("licenses") or [{}]
        terms.append(f"- `{r['name']}`: {r.get('title', '')}. "
                     f"Terms: {lic[0].get('title') or lic[0].get('name') or 'see datapackage.json'}.")
    return terms
