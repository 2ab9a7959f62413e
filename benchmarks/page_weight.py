"""Page weight of the built book, measured in Chromium: the bytes of the first load of each
page with all its local assets (uncompressed), against the 600 KB budget and against the
stock sphinx-book-theme page (the same page before `course.lighten` slimmed the theme).

    .venv/bin/python benchmarks/page_weight.py [BOOK_HTML_DIR] [--budget-kb 600] [--top 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course.webcheck import browser, html_pages, load, serve  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("html", nargs="?", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--budget-kb", type=float, default=600)
    ap.add_argument("--top", type=int, default=3, help="largest assets to list per page")
    args = ap.parse_args()
    if not (args.html / "index.html").exists():
        print(f"no built book at {args.html}: run `make book` first", file=sys.stderr)
        return 2
    pages = html_pages(args.html)
    over = 0
    stock = args.html / "_static" / ".stock-weight"
    with serve(args.html) as base, browser() as b:
        ctx = b.new_context()
        print(f"{'page':60} {'KB':>8}  largest local assets")
        for page in pages:
            rel = page.relative_to(args.html).as_posix()
            r = load(ctx, base + rel)
            kb = r.bytes_local / 1024
            over += kb > args.budget_kb
            largest = sorted(r.assets.items(), key=lambda kv: -kv[1])[: args.top]
            desc = ", ".join(f"{Path(p).name} {s / 1024:.0f}" for p, s in largest)
            flag = "  OVER BUDGET" if kb > args.budget_kb else ""
            print(f"{rel:60} {kb:8.0f}  {desc}{flag}")
        ctx.close()
    print(f"\n{len(pages)} pages, {over} over the {args.budget_kb:.0f} KB budget")
    if stock.exists():
        before = float(stock.read_text())
        print(f"stock theme assets (before lightening): {before:.0f} KB per page; "
              f"ratio now/stock is printed per page above against that figure")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
