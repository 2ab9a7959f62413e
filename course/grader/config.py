"""The nbgrader configuration stock `nbgrader autograde` would use for a course directory."""

from __future__ import annotations

import os
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader


def load_nbgrader_config(course_dir: Path) -> Config:
    """nbgrader_config.py from the Jupyter config path, then the course directory (wins)."""
    from jupyter_core.paths import jupyter_config_path

    cfg = Config()
    for d in [*reversed(jupyter_config_path()), str(course_dir)]:
        path = os.path.join(d, "nbgrader_config.py")
        if os.path.isfile(path):
            loader = PyFileConfigLoader("nbgrader_config.py", path=d)
            cfg.merge(loader.load_config())
    cfg.CourseDirectory.root = str(course_dir)
    return cfg


def db_url(course_dir: Path, cfg: Config, override: str | None = None) -> str:
    if override:
        return override
    url = cfg.CourseDirectory.get("db_url")
    return url if isinstance(url, str) and url else f"sqlite:///{course_dir / 'gradebook.db'}"


def cell_timeout(cfg: Config, default: float = 30.0) -> float:
    t = cfg.Execute.get("timeout")
    return float(t) if isinstance(t, int | float) and t > 0 else default
