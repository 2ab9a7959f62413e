"""LTI 1.3 for the teaching hub: launch from an LMS onto JupyterHub, grades back over AGS.

- `config`: the one file a university fills in (platform registration + the tool's key);
- `hub`: the JupyterHub authenticator (ltiauthenticator's LTI13Authenticator, plus course
  roles -> hub groups, launch records, replay refusal, the tool's JWKS) and its settings;
- `ags`: `rta grades --lti`: the nbgrader gradebook's scores posted to the platform's line
  items, idempotently (a ledger), with bounded retries, reporting what was not posted.

Identity: the hub username is derived from the platform's `sub` (or a custom claim) by
`config.hub_username`; every launch records username -> sub (and the course's AGS endpoint)
in the launch file, which the passback reads. See grading/LTI.md.
"""
