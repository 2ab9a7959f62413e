"""gems_2021_sources: how the 2021 Global Estimates of Modern Slavery were built, in numbers.

Survey coverage, reference period and the change since the 2016 estimates, as published by the
ILO, Walk Free and IOM (2022). Entered by hand; only figures marked V in
../shared/reference/domain.md (sections 2.4, 3.5 and 4.2).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None  # typed from the publication

REPORT = ("ILO, Walk Free and IOM (2022), Global Estimates of Modern Slavery: Forced Labour and "
          "Forced Marriage, Geneva")

# (item, value, unit, where it was read, note)
ROWS = [
    ("forced_labour_survey_countries", 68, "countries",
     "walkfree.org, Global Estimates of Modern Slavery project page",
     "national surveys with a forced-labour module, run in the Gallup World Poll"),
    ("forced_labour_survey_respondents", 77914, "respondents",
     "walkfree.org, Global Estimates of Modern Slavery project page",
     "respondents to the forced-labour module"),
    ("reference_period_first_year", 2017, "year", "ctdatacollaborative.org, GEMS 2022 story",
     "cases in a five-year reference period"),
    ("reference_period_last_year", 2021, "year", "ctdatacollaborative.org, GEMS 2022 story",
     "the estimate is a stock on any given day in 2021"),
    ("forced_labour_change_since_2016", 2.7, "million people",
     "ilo.org WCMS_854733 (report summary)", "the whole increase was in the private economy"),
    ("forced_labour_per_1000_2016", 3.4, "per 1,000 people",
     "ilo.org WCMS_854733 (report summary)", "3.5 per 1,000 in 2021"),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["item", "value", "unit", "read_in", "note"])
    df["status"] = "V"
    df["source"] = REPORT
    return df


RESOURCE = {
    "name": "gems_2021_sources",
    "title": "Global Estimates of Modern Slavery 2021: survey coverage, reference period, change "
             "since 2016",
    "description": (
        "Facts about how the 2021 Global Estimates of Modern Slavery (ILO, Walk Free, IOM; "
        "published September 2022) were built: the number of countries and respondents in the "
        "national surveys with a forced-labour module, the five-year reference period, and the "
        "change in forced labour since the 2016 estimates. One row per item; `value` in the "
        "`unit` given; `read_in` names the page where the figure was checked."
    ),
    "years": "2017-2021",
    "modules": [4],
    "sources": [
        {"title": "Global Estimates of Modern Slavery: Forced Labour and Forced Marriage",
         "publisher": "International Labour Organization (ILO), Walk Free, International "
                      "Organization for Migration (IOM)",
         "edition": "Geneva, 12 September 2022 (2021 estimates)",
         "table": "methodology summary (survey coverage, reference period) and key findings "
                  "(change since 2016)",
         "path": "https://www.ilo.org/global/topics/forced-labour/publications/"
                 "WCMS_854733/lang--en/index.htm"},
    ],
    "licenses": [{"name": "other-at",
                  "title": "Published statistics quoted as facts with attribution; the report "
                           "is under the ILO's publication terms (not checked further)"}],
    "derivation": (
        "Typed by hand in datasets/build/gems_2021_sources.py from the figures marked V in "
        "../shared/reference/domain.md, sections 2.4, 3.5 and 4.2."
    ),
    "citation": (
        "International Labour Organization (ILO), Walk Free and International Organization for "
        "Migration (IOM) (2022), Global Estimates of Modern Slavery: Forced Labour and Forced "
        "Marriage, Geneva. Compiled in: From Research to Action course, "
        "datasets/gems_2021_sources.csv."
    ),
    "schema": {
        "fields": [
            {"name": "item", "type": "string", "title": "What the figure is",
             "constraints": {"required": True}},
            {"name": "value", "type": "number", "title": "Value, in `unit`",
             "constraints": {"required": True}},
            {"name": "unit", "type": "string", "title": "Unit", "constraints": {"required": True}},
            {"name": "read_in", "type": "string", "title": "Where the figure was checked",
             "constraints": {"required": True}},
            {"name": "note", "type": "string", "title": "Context"},
            {"name": "status", "type": "string", "title": "V: verified (domain reference)",
             "constraints": {"required": True, "enum": ["V"]}},
            {"name": "source", "type": "string", "title": "Publication",
             "constraints": {"required": True}},
        ],
        "primaryKey": ["item"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
