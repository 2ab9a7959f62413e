"""The rta grading engine: nbgrader-identical scores, fast, sandboxed, for a MOOC-sized class.

    intake.py     read, repair and sanitize a submission against the source (template.py)
    zygote.py     pre-warmed worker: forks one sandboxed child per notebook
    sandbox.py    namespaces, resource limits, scrubbed environment, unprivileged uid
    runner.py     the child: runs the cells in shell.py, streams outputs over channel.py
    cheats.py     static and run-time detection of tampering with the grader
    scoring.py    nbgrader's post-processing and scoring rule
    gradebook.py  the single writer to nbgrader's gradebook (sqlite or PostgreSQL)
    local.py / dask_backend.py   where the zygotes run
    engine.py     the batch: jobs out, results into the gradebook, outcomes back
    report.py / feedback.py      grades CSV, summary, per-student HTML feedback
"""
