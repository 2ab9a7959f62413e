"""`rta hub`: a teaching hub for one course, from a kit made by `rta export`.

JupyterHub 6 with its configurable-http-proxy (npm, `make hub-deps` installs it into
.venv/node), real Unix users with PAM and LocalProcessSpawner, JupyterLab with nbgrader's
Assignments tab, Validate button and formgrader, and nbgrader's filesystem exchange set up as
nbgrader documents for several courses on one hub: `Exchange.path_includes_course`, the
`JupyterHubAuthPlugin`, JupyterHub groups `formgrade-<course>` (instructors) and
`nbgrader-<course>` (students). The course directory belongs to the first instructor, who runs
`nbgrader release_assignment`, `collect`, `rta autograde`, `rta feedback` and
`rta hub release-feedback` in a JupyterLab terminal. The guide is grading/HUB.md.

API (small on purpose; course.lti plugs in here):

    from course.hub import HubConfig, setup, start, jupyterhub_config
    cfg = HubConfig(course="rta101", instructors=["alice"], students=["bob"],
                    state=Path("/srv/rta-hub"))
    cfg.authenticator_lines = [...]   # Python lines that choose the authenticator; default
                                      # PAM. An LTI authenticator sets its class and settings
                                      # here and may add users to the two course groups
                                      # (instructor_group(course), student_group(course)) at
                                      # login; `_is_instructor` in the config reads groups.
    setup(cfg, kit)                   # root: course dir, exchange, state folder (idempotent)
    start(cfg.state)                  # root: exec JupyterHub in the foreground
    Hub(cfg).user("bob")              # the REST API with the admin service token

HubConfig is saved as <state>/hub.json; `HubConfig.load(state)` reads it back. Everything
rendered (jupyterhub_config.py, nbgrader configs, the TLJH and Z2JH snippets in the guide)
comes from course.hub.config, so the guide cannot drift from what the hub runs.
"""

from .api import Hub, HubAPIError
from .config import (
    HubConfig,
    HubConfigError,
    instructor_group,
    jupyterhub_config,
    server_environment,
    student_group,
)
from .provision import release_feedback, setup, start

__all__ = ["Hub", "HubAPIError", "HubConfig", "HubConfigError", "instructor_group",
           "jupyterhub_config", "release_feedback", "server_environment", "setup", "start",
           "student_group"]
