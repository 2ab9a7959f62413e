"""The hub's settings in one place: `HubConfig` -> jupyterhub_config.py, the two nbgrader
configs, and the same settings as The Littlest JupyterHub and Zero to JupyterHub snippets.

Nothing here touches the system (see `course.hub.provision` for that); every function returns
text, so the instructor guide (grading/HUB.md) is checked against the same renderings.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from course.errors import UserError

COURSE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.]{0,39}$")
USER_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
PAM_AUTH = ["c.JupyterHub.authenticator_class = 'pam'"]


class HubConfigError(UserError):
    """A setting that cannot work: names it and the fix."""


def instructor_group(course: str) -> str:
    """nbgrader's JupyterHubAuthPlugin: members of formgrade-<course> teach it."""
    return f"formgrade-{course}"


def student_group(course: str) -> str:
    """nbgrader's JupyterHubAuthPlugin: members of nbgrader-<course> take it."""
    return f"nbgrader-{course}"


@dataclass
class HubConfig:
    """Everything `rta hub` needs to know about one course on one hub."""

    course: str  # the nbgrader course id (exchange folder, group names)
    instructors: list[str]  # Unix (or authenticator) user names
    students: list[str]
    state: Path  # the hub's own folder: configs, database, cookie secret, logs
    course_dir: Path | None = None  # default: ~<first instructor>/<course>
    exchange: Path = Path("/srv/nbgrader/exchange")
    ip: str = "127.0.0.1"  # where the proxy listens for browsers
    port: int = 8000
    hub_port: int = 8081  # the hub's own API (loopback)
    proxy_api_port: int = 8001  # configurable-http-proxy's REST API (loopback)
    others: list[str] = field(default_factory=list)  # may log in, take no part in the course
    venv: Path = field(default_factory=lambda: Path(sys.prefix))
    # Lines of Python appended to jupyterhub_config.py that choose the authenticator. The default
    # is PAM (real Unix users); course.lti replaces them with its LTI 1.3 authenticator.
    authenticator_lines: list[str] = field(default_factory=lambda: list(PAM_AUTH))
    spawner_timeout: int = 120  # seconds a single-user server may take to start

    def __post_init__(self) -> None:
        self.state = Path(self.state)
        self.exchange = Path(self.exchange)
        self.venv = Path(self.venv)
        if self.course_dir is not None:
            self.course_dir = Path(self.course_dir)

    # -- derived paths ------------------------------------------------------------------------
    @property
    def proxy(self) -> Path:
        return self.venv / "node" / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def user_bin(self) -> Path:
        """Commands of the users' servers (a Python they can read: course.hub.userenv)."""
        return self.venv / "userpy" / "bin"

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/hub/api"

    @property
    def config_file(self) -> Path:
        return self.state / "jupyterhub_config.py"

    @property
    def token_file(self) -> Path:
        """The admin service's API token (root-only): `rta hub` and the tests use the REST API."""
        return self.state / "admin_token"

    @property
    def jupyter_all(self) -> Path:
        """JUPYTER_CONFIG_PATH entry of every single-user server (the exchange settings)."""
        return self.state / "jupyter" / "all"

    @property
    def jupyter_instructors(self) -> Path:
        """Put first on JUPYTER_CONFIG_PATH for members of formgrade-<course>."""
        return self.state / "jupyter" / "instructors"

    def resolved_course_dir(self) -> Path:
        if self.course_dir is not None:
            return self.course_dir
        import pwd

        try:
            home = Path(pwd.getpwnam(self.instructors[0]).pw_dir)
        except KeyError:
            raise HubConfigError(f"instructor '{self.instructors[0]}' is not a user on this machine",
                                 fix=f"create the account (useradd -m {self.instructors[0]}) or "
                                     "give --course-dir") from None
        return home / self.course

    # -- checks -------------------------------------------------------------------------------
    def validate(self) -> None:
        if not COURSE_ID.match(self.course):
            raise HubConfigError(f"course id '{self.course}' is not usable by nbgrader's exchange",
                                 fix="use letters, digits, '_' or '.', e.g. --course rta101")
        if not self.instructors:
            raise HubConfigError("no instructor given", fix="name one, e.g. --instructor alice")
        everyone = self.instructors + self.students + self.others
        for name in everyone:
            if not USER_NAME.match(name):
                raise HubConfigError(f"user name '{name}' is not a valid Unix user name",
                                     fix="use lower-case letters, digits, '_' or '-'")
        both = sorted(set(self.instructors) & set(self.students))
        if both:
            raise HubConfigError(f"{', '.join(both)} both teach and take the course",
                                 fix="give each user one role in a course")
        ports = {"--port": self.port, "--hub-port": self.hub_port, "--proxy-api-port": self.proxy_api_port}
        if len(set(ports.values())) != 3:
            raise HubConfigError(f"ports clash: {ports}", fix="give three different ports")

    # -- persistence ---------------------------------------------------------------------------
    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in data.items()}, indent=2)

    @classmethod
    def load(cls, state: Path) -> HubConfig:
        path = Path(state) / "hub.json"
        if not path.exists():
            raise HubConfigError("not a hub state folder (no hub.json)", path=state,
                                 fix="run `rta hub setup ... --state DIR` first")
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def server_environment(cfg: HubConfig, instructor: bool) -> dict[str, str]:
    """What a single-user server (and so a JupyterLab terminal) of a course member gets."""
    config_path = [str(cfg.jupyter_all)]
    env = {"PATH": f"{cfg.user_bin}:/usr/local/bin:/usr/bin:/bin", "RTA_COURSE": cfg.course}
    if instructor:
        config_path.insert(0, str(cfg.jupyter_instructors))
        env["RTA_COURSE_DIR"] = str(cfg.resolved_course_dir())
    env["JUPYTER_CONFIG_PATH"] = ":".join(config_path)
    return env


# -- nbgrader ----------------------------------------------------------------------------------
def nbgrader_config_all(cfg: HubConfig) -> str:
    """Every user: the filesystem exchange, one folder per course, course access from the hub's
    groups (nbgrader's documented multiple-courses set-up)."""
    return "\n".join([
        "# Written by `rta hub setup` (course.hub.config): every user of the hub.",
        "from nbgrader.auth import JupyterHubAuthPlugin",
        "c = get_config()  # noqa: F821",
        f"c.Exchange.root = {str(cfg.exchange)!r}",
        "c.Exchange.path_includes_course = True",
        "c.Authenticator.plugin_class = JupyterHubAuthPlugin",
        "",
    ])


def nbgrader_config_instructors(cfg: HubConfig) -> str:
    """Members of formgrade-<course>: the course and where its directory is."""
    return "\n".join([
        "# Written by `rta hub setup` (course.hub.config): instructors of the course.",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {cfg.course!r}",
        f"c.CourseDirectory.root = {str(cfg.resolved_course_dir())!r}",
        "",
    ])


# -- JupyterHub --------------------------------------------------------------------------------
SERVER_TOKEN_SCOPES = [
    "users:activity!user", "access:servers!server",
    # nbgrader's JupyterHubAuthPlugin reads the user's groups to list their courses
    "read:users:name!user", "read:users:groups!user",
]
ADMIN_SCOPES = ["admin:users", "admin:servers", "tokens", "admin:groups", "list:users",
                "read:users", "access:servers"]


def _hub_lines(cfg: HubConfig) -> list[str]:
    """Where the hub, its proxy and its database live (all on loopback but the bind URL)."""
    return [
        f"c.JupyterHub.bind_url = {cfg.url!r}",
        "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {cfg.hub_port}",
        f"c.ConfigurableHTTPProxy.command = [{str(cfg.proxy)!r}]",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{cfg.proxy_api_port}'",
        f"c.ConfigurableHTTPProxy.pid_file = {str(cfg.state / 'jupyterhub-proxy.pid')!r}",
        f"c.JupyterHub.db_url = {'sqlite:///' + str(cfg.state / 'jupyterhub.sqlite')!r}",
        f"c.JupyterHub.cookie_secret_file = {str(cfg.state / 'jupyterhub_cookie_secret')!r}",
        "c.JupyterHub.cleanup_servers = True  # stopping the hub stops the users' servers",
    ]


def _group_lines(cfg: HubConfig) -> list[str]:
    """The course groups, as nbgrader's JupyterHubAuthPlugin reads them, and who may log in."""
    everyone = sorted(set(cfg.instructors + cfg.students + cfg.others))
    return [
        "# Course groups, as nbgrader's JupyterHubAuthPlugin reads them.",
        "c.JupyterHub.load_groups = {",
        f"    {instructor_group(cfg.course)!r}: {{'users': {sorted(cfg.instructors)!r}}},",
        f"    {student_group(cfg.course)!r}: {{'users': {sorted(cfg.students)!r}}},",
        "}",
        "c.Authenticator.allowed_users = {" + ", ".join(repr(u) for u in everyone) + "}",
        "c.Authenticator.admin_users = set()",
    ]


def _spawner_lines(cfg: HubConfig) -> list[str]:
    """Real Unix users' JupyterLab; instructors get the course's config first on their path."""
    return [
        "# Real Unix users, JupyterLab (nbgrader's Assignments tab, Validate, formgrader).",
        "c.JupyterHub.spawner_class = 'localprocess'",
        f"c.Spawner.cmd = [{str(cfg.user_bin / 'jupyterhub-singleuser')!r}]",
        "c.Spawner.default_url = '/lab'",
        f"c.Spawner.start_timeout = {cfg.spawner_timeout}",
        f"c.Spawner.http_timeout = {cfg.spawner_timeout}",
        f"c.Spawner.server_token_scopes = {SERVER_TOKEN_SCOPES!r}",
        "",
        "",
        "def _is_instructor(spawner):",
        "    return any(g.name == 'formgrade-' + COURSE for g in spawner.user.groups)",
        "",
        "",
        "def _env(key):",
        "    def value(spawner):",
        "        return (INSTRUCTOR_ENV if _is_instructor(spawner) else STUDENT_ENV).get(key, '')",
        "    return value",
        "",
        "",
        "c.Spawner.environment = {key: _env(key) for key in INSTRUCTOR_ENV}",
    ]


def _service_lines(cfg: HubConfig) -> list[str]:
    """The admin service: `rta hub` and the tests drive the hub through the REST API with it."""
    return [
        "# The admin service: `rta hub` and the tests drive the hub through the REST API with it.",
        f"with open({str(cfg.token_file)!r}) as _fh:",
        "    c.JupyterHub.services = [{'name': 'rta-admin', 'api_token': _fh.read().strip()}]",
        f"c.JupyterHub.load_roles = [{{'name': 'rta-admin', 'scopes': {ADMIN_SCOPES!r}, "
        "'services': ['rta-admin']}]",
    ]


def jupyterhub_config(cfg: HubConfig) -> str:
    """jupyterhub_config.py for this course (self-contained: no import of the course package)."""
    header = [
        "# Written by `rta hub setup` from hub.json (course.hub.config.HubConfig); edit hub.json",
        "# and re-run setup rather than this file.",
        "c = get_config()  # noqa: F821",
        f"COURSE = {cfg.course!r}",
        f"INSTRUCTOR_ENV = {server_environment(cfg, instructor=True)!r}",
        f"STUDENT_ENV = {server_environment(cfg, instructor=False)!r}",
    ]
    auth = ["# Authenticator (HubConfig.authenticator_lines; course.lti replaces PAM here).",
            *cfg.authenticator_lines]
    parts = [header, _hub_lines(cfg), _group_lines(cfg), _spawner_lines(cfg), _service_lines(cfg), auth]
    return "\n\n".join("\n".join(part) for part in parts) + "\n"


# -- the same settings for the two standard distributions --------------------------------------
def tljh_snippet(cfg: HubConfig) -> str:
    """The Littlest JupyterHub: users are Unix users named jupyter-<name>; the extra config goes
    to /opt/tljh/config/jupyterhub_config.d/rta.py, the nbgrader configs to /etc/jupyter."""
    return "\n".join([
        "# /opt/tljh/config/jupyterhub_config.d/rta.py   (then: sudo tljh-config reload hub)",
        "c.JupyterHub.load_groups = {",
        f"    {instructor_group(cfg.course)!r}: {{'users': {sorted(cfg.instructors)!r}}},",
        f"    {student_group(cfg.course)!r}: {{'users': {sorted(cfg.students)!r}}},",
        "}",
        f"c.Spawner.server_token_scopes = {SERVER_TOKEN_SCOPES!r}",
        "c.Spawner.default_url = '/lab'",
        "",
        "# /etc/jupyter/nbgrader_config.py   (every user)",
        *nbgrader_config_all(cfg).splitlines()[1:],
        "# ~jupyter-<instructor>/.jupyter/nbgrader_config.py   (each instructor)",
        *nbgrader_config_instructors(cfg).splitlines()[1:],
    ])


def z2jh_values(cfg: HubConfig) -> str:
    """Zero to JupyterHub (Helm values): the exchange is a ReadWriteMany volume mounted in every
    user pod; the same groups, scopes and nbgrader configs."""
    all_cfg = "\n".join("          " + ln if ln else "" for ln in nbgrader_config_all(cfg).splitlines()[1:])
    return "\n".join([
        "# values.yaml   (helm upgrade --install hub jupyterhub/jupyterhub -f values.yaml)",
        "hub:",
        "  config:",
        "    JupyterHub:",
        "      load_groups:",
        f"        {instructor_group(cfg.course)}: {{users: [{', '.join(sorted(cfg.instructors))}]}}",
        f"        {student_group(cfg.course)}: {{users: [{', '.join(sorted(cfg.students))}]}}",
        "    Spawner:",
        f"      server_token_scopes: [{', '.join(SERVER_TOKEN_SCOPES)}]",
        "singleuser:",
        "  defaultUrl: /lab",
        "  storage:",
        "    extraVolumes:",
        "      - name: nbgrader-exchange",
        "        persistentVolumeClaim: {claimName: nbgrader-exchange}   # ReadWriteMany",
        "    extraVolumeMounts:",
        "      - name: nbgrader-exchange",
        f"        mountPath: {cfg.exchange}",
        "  extraFiles:",
        "    nbgrader-config:",
        "      mountPath: /etc/jupyter/nbgrader_config.py",
        "      stringData: |",
        all_cfg,
    ])


def example() -> HubConfig:
    """The configuration the guide's snippets are rendered from."""
    return HubConfig(course="rta101", instructors=["alice"], students=["bob", "carol"],
                     state=Path("/srv/rta-hub"), course_dir=Path("/home/alice/rta101"),
                     venv=Path("/opt/rta/.venv"))

