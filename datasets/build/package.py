"""Assemble datasets/datapackage.json from every build script's RESOURCE and its CSV.

Deterministic: resources in name order, keys in a fixed order, bytes and sha256 of the
committed CSVs, no timestamps. Run after any build script:

    python datasets/build/package.py          # write datapackage.json
    python datasets/build/package.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BUILD, DATASETS  # noqa: E402

DESCRIPTOR = DATASETS / "datapackage.json"
NOT_SCRIPTS = {"package.py"}  # and helper modules, whose names start with "_"

PACKAGE = {
    "name": "rta-research-data-library",
    "title": "From Research to Action: research data library",
    "description": (
        "Tidy tables on child labour, forced labour and human trafficking used in the From "
        "Research to Action MOOC. Each table is derived by a script in datasets/build/ from the "
        "publisher's file, or typed from the cited publication table, and cites its source. "
        "Licences are those of the original publishers, as stated; the project's own code is MIT."
    ),
    "homepage": "https://rtaproject.org/",
    "licenses": [{"name": "MIT", "title": "Build scripts and table layout (the data keep the "
                  "terms of their publishers; see each resource)",
                  "path": "https://opensource.org/licenses/MIT"}],
    "keywords": ["child labour", "forced labour", "human trafficking", "modern slavery",
                 "SDG 8.7", "SDG 16.2"],
}

# Resource keys in output order; anything else in RESOURCE is an error (typos get caught).
KEYS = ["name", "path", "title", "description", "format", "mediatype", "encoding", "bytes",
        "hash", "rows", "years", "modules", "synthetic", "sources", "licenses", "derivation",
        "citation", "schema"]


def scripts() -> list[Path]:
    return sorted(p for p in BUILD.glob("*.py")
                  if p.name not in NOT_SCRIPTS and not p.name.startswith("_"))


def load_script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"rta_build_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if module.RESOURCE["name"] != path.stem:
        raise ValueError(f"{path.name}: RESOURCE name {module.RESOURCE['name']!r} != file name")
    return module


def resource(meta: dict) -> dict:
    unknown = set(meta) - set(KEYS)
    if unknown:
        raise ValueError(f"{meta['name']}: unknown RESOURCE keys {sorted(unknown)}")
    csv = DATASETS / f"{meta['name']}.csv"
    if not csv.exists():
        raise FileNotFoundError(f"{csv} missing: run datasets/build/{meta['name']}.py first")
    data = csv.read_bytes()
    out = dict(meta)
    out.update(path=csv.name, format="csv", mediatype="text/csv", encoding="utf-8",
               bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest(),
               rows=data.count(b"\n") - 1)
    return {k: out[k] for k in KEYS if k in out}


def descriptor() -> str:
    resources = [resource(load_script(p).RESOURCE) for p in scripts()]
    pkg = {**PACKAGE, "resources": sorted(resources, key=lambda r: r["name"])}
    return json.dumps(pkg, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check it is up to date")
    args = parser.parse_args()
    text = descriptor()
    if args.check:
        if not DESCRIPTOR.exists() or DESCRIPTOR.read_text(encoding="utf-8") != text:
            sys.exit(f"{DESCRIPTOR} is out of date: run python datasets/build/package.py")
        print(f"{DESCRIPTOR} is up to date")
        return
    DESCRIPTOR.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {DESCRIPTOR}")


if __name__ == "__main__":
    main()
