"""The Python environment students' and instructors' servers run from: `.venv/userpy`.

The project's venv may be built on an interpreter other users cannot read (pyenv under
/root, for instance): every single-user server runs as its own Unix user. This builds a
second, tiny venv on a world-readable interpreter of the same Python version (the venv's own
base interpreter when others can read it, else /usr/bin/python3.X) that imports everything
from the project's venv (its site-packages is a link to the venv's, so editable installs and
the venv's .pth files work, and the grader's sandbox trusts it as the interpreter's library),
shares its share/ and etc/ (JupyterLab, nbgrader's extensions
and their enablement), and has the venv's commands (jupyterhub-singleuser, jupyter-*,
nbgrader, rta) with their first line pointing at the readable interpreter.

    python -m course.hub.userenv .venv     (run by `make hub-deps`; idempotent)
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

from course.errors import UserError

NAME = "userpy"


def others_can_use(path: Path) -> bool:
    """Every parent lets others through, the file itself is readable (and executable)."""
    try:
        real = path.resolve()
        if not real.stat().st_mode & stat.S_IROTH:
            return False
        return all(p.stat().st_mode & stat.S_IXOTH for p in real.parents)
    except OSError:
        return False


def readable_interpreter(venv: Path) -> Path:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    base = Path(sys._base_executable if hasattr(sys, "_base_executable") else sys.executable)
    stdlib = Path(sysconfig.get_paths()["stdlib"]) / "os.py"
    candidates = [base] if others_can_use(base) and others_can_use(stdlib) else []
    candidates += [Path(f"/usr/bin/python{version}"), Path(f"/usr/local/bin/python{version}")]
    for c in candidates:
        if c.exists() and others_can_use(c):
            return c
    raise UserError(f"no Python {version} that other users can run: the venv's interpreter "
                    f"({base}) is not readable by them", path=venv,
                    fix=f"install Python {version} system-wide (apt-get install python{version}) or "
                        "build the venv from a world-readable Python (make PYTHON=/usr/bin/python3)")


def build(venv: Path) -> Path:
    venv = venv.resolve()
    target = venv / NAME
    python = readable_interpreter(venv)
    if not (target / "bin" / "python3").exists():
        subprocess.run([str(python), "-m", "venv", "--without-pip", str(target)], check=True)
    purelib = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    own = target / "lib" / purelib.parent.name / "site-packages"
    if not own.is_symlink():  # the venv's own site-packages: its .pth files run, and the
        shutil.rmtree(own)    # grader's sandbox trusts it as this interpreter's library
        own.symlink_to(purelib)
    for name in ("share", "etc"):
        link = target / name
        if link.is_symlink() or link.exists():
            if link.is_symlink():
                continue
            shutil.rmtree(link)
        link.symlink_to(Path("..") / name)
    shebang = f"#!{target / 'bin' / 'python3'}\n"
    for script in sorted((venv / "bin").iterdir()):
        if not script.is_file() or script.is_symlink():
            continue
        try:
            text = script.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if not text.startswith(f"#!{venv / 'bin' / 'python'}"):
            continue
        dest = target / "bin" / script.name
        if dest.exists() and not dest.is_symlink() and script.name.startswith("python"):
            continue
        dest.write_text(shebang + text.split("\n", 1)[1], encoding="utf-8")
        os.chmod(dest, 0o755)
    return target


if __name__ == "__main__":
    print(f"==> servers' Python environment: {build(Path(sys.argv[1] if len(sys.argv) > 1 else '.venv'))}")
