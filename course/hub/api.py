"""A small client of JupyterHub's REST API (the admin service token from the hub's state)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from course.errors import UserError

from .config import HubConfig


class HubAPIError(UserError):
    """The hub answered with an error, or did not answer."""


class Hub:
    def __init__(self, cfg: HubConfig, token: str | None = None) -> None:
        self.cfg = cfg
        self.token = token or cfg.token_file.read_text(encoding="utf-8").strip()

    def request(self, method: str, path: str, body: dict[str, Any] | None = None,
                timeout: float = 30) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.cfg.api_url + path, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                text = resp.read().decode()
        except urllib.error.HTTPError as exc:
            raise HubAPIError(f"{method} {path}: HTTP {exc.code} {exc.read().decode()[:300]}",
                              fix="see the hub's log") from None
        return json.loads(text) if text.strip() else None

    def wait_up(self, timeout: float = 60, alive: Any = None) -> None:
        """Until /hub/api answers (alive() returning False means the hub died)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if alive is not None and not alive():
                raise HubAPIError("the hub exited while starting", fix="see the hub's log")
            try:
                with urllib.request.urlopen(self.cfg.api_url, timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise HubAPIError(f"the hub did not answer at {self.cfg.api_url} in {timeout:.0f} s",
                          fix="see the hub's log")

    def user(self, name: str) -> dict[str, Any]:
        reply: dict[str, Any] = self.request("GET", f"/users/{name}")
        return reply

    def token_for(self, name: str, scopes: list[str], note: str = "rta hub") -> str:
        """An API token of user `name` (what their server's JUPYTERHUB_API_TOKEN can do)."""
        reply = self.request("POST", f"/users/{name}/tokens",
                             {"scopes": scopes, "note": note, "expires_in": 3600})
        return str(reply["token"])

    def stop_server(self, name: str) -> None:
        self.request("DELETE", f"/users/{name}/server")
