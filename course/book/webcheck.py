"""Serve a built book on localhost and load its pages in Debian's Chromium (Playwright).

Shared by the browser tests and `benchmarks/page_weight.py`. Chromium is never downloaded by
a tool: we launch /usr/bin/chromium (installed by `.ci/system-deps`).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage

CHROMIUM = "/usr/bin/chromium"  # Debian's package; RTA_CHROMIUM names another Chromium or Chrome
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    max_age: int | None = None

    def log_message(self, *args: object) -> None:  # keep test output readable
        pass

    def end_headers(self) -> None:
        if self.max_age is not None:  # as a static host does (GitHub Pages: max-age=600)
            self.send_header("Cache-Control", f"max-age={self.max_age}")
        super().end_headers()


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that drops a connection (favicon, a closed page) is not an error here


@contextlib.contextmanager
def serve(root: Path, max_age: int | None = None) -> Iterator[str]:
    """A static HTTP server for `root` on a free loopback port; yields its base URL.
    `max_age` sends a Cache-Control header, so a visit's later pages reuse cached assets."""
    handler_cls = type("_Handler", (_Quiet,), {"max_age": max_age})
    handler = functools.partial(handler_cls, directory=str(root))
    with _Server(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()


def chromium_path() -> str:
    """The browser to drive: $RTA_CHROMIUM if set (e.g. Google Chrome on macOS), else Debian's."""
    return os.environ.get("RTA_CHROMIUM") or CHROMIUM


def chromium_available() -> bool:
    return shutil.which(chromium_path()) is not None


@contextlib.contextmanager
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class PageLoad:
    url: str
    bytes_local: int = 0
    bytes_external_requested: list[str] = field(default_factory=list)
    assets: dict[str, int] = field(default_factory=dict)  # local URL path -> bytes
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    audit: dict | None = None  # axe-core results, when an audit script was given


# Only violations are read: axe still runs every rule, but skips collecting the nodes of
# passed and inapplicable checks (a fifth of the audit's time over the book's 62 pages).
AXE_RUN = ("() => axe.run(document, {runOnly: {type: 'tag', values: "
           "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})")


def load(context, url: str, audit_script: str | None = None) -> PageLoad:
    """Load `url` in a fresh page; record every local response's size and every error, and
    run the accessibility audit (axe-core) when its script is given."""
    result = PageLoad(url)
    host = urlparse(url).netloc
    page = context.new_page()

    def on_response(resp) -> None:
        parsed = urlparse(resp.url)
        if parsed.netloc != host:
            return
        try:
            size = len(resp.body())
        except Exception:  # redirects and aborted requests have no body
            size = 0
        result.assets[parsed.path] = size
        if resp.status >= 400:
            result.failed.append(f"{resp.status} {parsed.path}")

    def on_request(req) -> None:
        parsed = urlparse(req.url)
        if parsed.scheme in ("http", "https") and parsed.netloc != host:
            result.bytes_external_requested.append(req.url)

    page.on("response", on_response)
    page.on("request", on_request)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            result.console_errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: result.console_errors.append(str(exc)))
    page.goto(url, wait_until="networkidle")
    result.bytes_local = sum(result.assets.values())
    if audit_script:
        # axe re-fetches stylesheets itself (css-orientation-lock) and resolves some paths
        # wrongly; what it requests is not what a reader's browser loads, so stop recording.
        page.remove_listener("response", on_response)
        page.remove_listener("request", on_request)
        errors = list(result.console_errors)
        page.add_script_tag(content=audit_script)
        result.audit = page.evaluate(AXE_RUN)
        result.console_errors = errors
    page.close()
    return result


def transferred(page, url: str) -> int:
    """Bytes that crossed the network to show `url` in `page`, which may hold earlier pages of
    the same visit: what the browser cache served is not counted (Chrome DevTools Protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, float] = {}
    cached: set[str] = set()
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    cdp.detach()
    return int(sum(v for k, v in sizes.items() if k not in cached))


def html_pages(root: Path) -> list[Path]:
    """The book's content pages (not Sphinx's search/genindex helpers)."""
    skip = {"search.html", "genindex.html", "py-modindex.html"}
    return sorted(p for p in root.rglob("*.html")
                  if p.name not in skip and "_static" not in p.parts and "reports" not in p.parts
                  and "_sources" not in p.parts)
