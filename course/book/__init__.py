"""The book: student pages -> Jupyter Book -> slimming -> offline edition -> publishing.

pipeline (`rta build`, `rta preview`), lighten (slimmer pages), offline (zip and PDF),
minibook (one module or a subset as its own small book), webcheck (serve the site and
load it in Chromium), publish (`rta publish`).
"""
