"""The rta grading engine: nbgrader-identical scores, fast, sandboxed, for a MOOC-sized class.

    intake.py      read, repair and sanitize a submission against the source (template.py)
    zygote.py      the pre-warmed process: imports once, grades job after job
    notebook.py    one notebook: intake, the run, nbgrader's post-processing and scoring
    supervisor.py  forks the student's process and the judge, wall clock, deaths, events
    forkserver.py  a copy of the warm zygote made before any job: students' processes come from it
    student.py     the student's process: runs answer and read-only cells, answers requests
    judge.py       runs the test cells where student code never ran (link.py: its channel)
    values.py / rebuild.py / snapshots.py   what crosses: plain data only, rebuilt by the judge
    wire.py / channel.py / outputs.py        framed messages, events, checked outputs
    sandbox.py     namespaces, resource limits, one capped tmpfs, unprivileged uid
    cheats.py      static and run-time detection of tampering (codes.py: what a flag means)
    scoring.py     nbgrader's post-processing and scoring rule
    gradebook.py   the single writer to nbgrader's gradebook (sqlite or PostgreSQL), all or nothing
    local.py / dask_backend.py / client.py   where the zygotes run
    engine.py      the batch: jobs out, results into the gradebook, outcomes back
    report.py / feedback.py   grades CSV, summary, per-student HTML feedback
"""
