"""Page weight of the built book, measured in Chromium, against the stock theme in the same run.

For every page: the first load (everything the page requests with an empty cache, bytes
uncompressed) and the next-page cost in one visit (the bytes that cross the network when a
reader who has already opened another page opens this one; served as a static host serves,
with `Cache-Control: max-age=600`). The stock figure is one module (m06) built by plain
`jupyter-book build` with no slimming, measured the same way.

    .venv/bin/python benchmarks/page_weight.py [BOOK_HTML_DIR] [--no-stock]

Targets (issue 11): first load <= 250 KB on every page; next page median <= 60 KB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course.book.webcheck import browser, html_pages, load, serve, transferred  # noqa: E402

FIRST_KB, NEXT_KB = 250, 60


def measure(html: Path, pages: list[Path]) -> tuple[dict[str, float], dict[str, float], dict[str, str]]:
    first: dict[str, float] = {}
    warm: dict[str, float] = {}
    largest: dict[str, str] = {}
    with serve(html, max_age=600) as base, browser() as b:
        for page in pages:
            rel = page.relative_to(html).as_posix()
            ctx = b.new_context()  # an empty cache for each first load: a shared one served
            r = load(ctx, base + rel)  # some pages' assets from memory, unmeasured (0 KB)
            ctx.close()
            first[rel] = r.bytes_local / 1024
            top = sorted(r.assets.items(), key=lambda kv: -kv[1])[:3]
            largest[rel] = ", ".join(f"{Path(p).name} {s / 1024:.0f}" for p, s in top)
        ctx = b.new_context()  # one reader's visit: start page, then every page in book order
        tab = ctx.new_page()
        tab.goto(base + "index.html", wait_until="networkidle")
        for page in pages:
            rel = page.relative_to(html).as_posix()
            warm[rel] = transferred(tab, base + rel) / 1024
        ctx.close()
    return first, warm, largest


def stock_build(work: Path) -> Path:
    """Module 6 as a small book built by stock Jupyter Book: the theme as shipped."""
    from course.authoring.release import release
    from course.book.minibook import prepare_preview
    from course.book.pipeline import run_jupyter_book, student_pages
    from course.paths import Layout

    layout = Layout(ROOT)
    book = prepare_preview(layout, "m06_mse")
    dest = Layout(work / "stock")
    shutil.copytree(book.root, dest.root, symlinks=True, ignore=shutil.ignore_patterns("_build"))
    student_pages(dest, release(layout, ["m06_mse"], course_dir=work / "course"))
    status = run_jupyter_book(dest, log=lambda line: None)
    if status != 0:
        sys.exit(f"stock build failed; see {dest.build / 'logs' / 'book.log'}")
    return dest.build / "html"


def summary(name: str, first: dict[str, float], warm: dict[str, float]) -> tuple[float, float]:
    f, w = list(first.values()), list(warm.values())
    print(f"{name}: first load median {statistics.median(f):.0f} KB (max {max(f):.0f}); "
          f"next page median {statistics.median(w):.0f} KB (max {max(w):.0f}), {len(f)} pages")
    return statistics.median(f), statistics.median(w)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("html", nargs="?", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--no-stock", action="store_true", help="skip the stock-theme comparison")
    args = ap.parse_args()
    if not (args.html / "index.html").exists():
        print(f"no built book at {args.html}: run `make book` first", file=sys.stderr)
        return 2
    pages = html_pages(args.html)
    first, warm, largest = measure(args.html, pages)
    print(f"{'page':58} {'first KB':>9} {'next KB':>8}  largest assets (KB)")
    for rel in first:
        flag = "  OVER" if first[rel] > FIRST_KB else ""
        print(f"{rel:58} {first[rel]:9.0f} {warm[rel]:8.0f}  {largest[rel]}{flag}")
    print()
    f_med, w_med = summary("this book", first, warm)
    over = sum(v > FIRST_KB for v in first.values())
    print(f"targets: first load <= {FIRST_KB} KB on every page ({over} over), next page median "
          f"<= {NEXT_KB} KB ({'met' if w_med <= NEXT_KB else 'NOT met'})")
    if not args.no_stock:
        with tempfile.TemporaryDirectory() as tmp:
            stock_html = stock_build(Path(tmp))
            s_pages = [p for p in html_pages(stock_html) if "m06_mse" in p.parts]
            s_first, s_warm, _ = measure(stock_html, s_pages)
            ours = {k: v for k, v in first.items() if "/m06_mse/" in k}
            ours_w = {k: v for k, v in warm.items() if "/m06_mse/" in k}
            sf, sw = summary("stock theme, module 6", s_first, s_warm)
            of, ow = summary("this book, module 6", ours, ours_w)
            print(f"ratio this book / stock, module 6: first load {of / sf:.2f}, next page {ow / sw:.2f}")
    return 1 if over or w_med > NEXT_KB else 0


if __name__ == "__main__":
    raise SystemExit(main())
