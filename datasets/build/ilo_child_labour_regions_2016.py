"""ilo_child_labour_regions_2016: children in child labour by ILO region, 2016 round.

Entered by hand from the regional results of the ILO's 2016 global estimates (*Global
Estimates of Child Labour: Results and Trends, 2012-2016*, ILO 2017), figures marked V in
../shared/reference/domain.md section 4.1. The five regions are the ILO's and add up to the
world. Child populations are NOT published here: the course computes them (number /
prevalence), so they are status C.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None  # typed from the publication

REPORT = ("ILO (2017), Global Estimates of Child Labour: Results and Trends, 2012-2016, "
          "Geneva: International Labour Office")

# (region, children 5-17 in child labour (millions), prevalence %, where checked, note)
ROWS: list[tuple[str, float, float, str, str]] = [
    ("Africa", 72.1, 19.6, "ILO News release 19 Sep 2017 (stopchildlabour.org); "
     "respect.international; christusliberat.org", "1 in 5 children"),
    ("Americas", 10.7, 5.3, "ILO News release 19 Sep 2017 (stopchildlabour.org); "
     "respect.international; christusliberat.org", "1 in 19 children"),
    ("Arab States", 1.2, 2.9, "ILO News release 19 Sep 2017 (stopchildlabour.org); "
     "respect.international; cocoainitiative.org",
     "1 in 35 children; childlabour2017.org rounds the number to 1.1 M"),
    ("Asia and the Pacific", 62.1, 7.4, "respect.international; christusliberat.org",
     "1 in 14 children; the ILO release rounds the number to 62 M"),
    ("Europe and Central Asia", 5.5, 4.1, "ILO News release 19 Sep 2017 (stopchildlabour.org); "
     "respect.international; christusliberat.org", "1 in 25 children"),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["region", "child_labour_millions", "prevalence_pct",
                                     "verified_in", "note"])
    df.insert(0, "year", 2016)
    df["status"] = "V"
    df["source"] = REPORT + ", regional estimates (Key findings; regional figures)"
    return df


RESOURCE = {
    "name": "ilo_child_labour_regions_2016",
    "title": "Child labour by ILO region, 2016 (ILO global estimates 2012-2016)",
    "description": (
        "Children aged 5-17 in child labour in 2016 in each of the five ILO regions (Africa, "
        "Americas, Arab States, Asia and the Pacific, Europe and Central Asia), as a number in "
        "millions and as a prevalence (% of all children 5-17 in the region), from the ILO's "
        "Global Estimates of Child Labour: Results and Trends, 2012-2016. The five regions "
        "cover the world. The regional child populations are not in the table: they can be "
        "computed as number / prevalence (a computed figure, rounded inputs). Household chores "
        "are not part of the 2016 child labour estimates."
    ),
    "years": "2016",
    "modules": [2],
    "sources": [
        {"title": "Global Estimates of Child Labour: Results and Trends, 2012-2016",
         "publisher": "International Labour Office (ILO)", "edition": "Geneva, 2017",
         "table": "regional estimates of child labour, number and prevalence (key findings; "
                  "also in the ILO News release of 19 September 2017)",
         "path": "https://www.ilo.org/global/publications/books/WCMS_575499/lang--en/index.htm"},
    ],
    "licenses": [{"name": "CC-BY-3.0-IGO", "title": "CC BY 3.0 IGO (the report's licence as "
                  "stated in its front matter); credit the ILO",
                  "path": "https://creativecommons.org/licenses/by/3.0/igo/"}],
    "derivation": (
        "Typed by hand in datasets/build/ilo_child_labour_regions_2016.py from the figures "
        "marked V in ../shared/reference/domain.md section 4.1 (2016 estimates), checked again "
        "in the ILO News release of 19 September 2017 and secondary copies of the key findings; "
        "the Arab States number is 1.2 M in the release and 1.1 M on childlabour2017.org."
    ),
    "citation": (
        "International Labour Office (2017), Global Estimates of Child Labour: Results and "
        "Trends, 2012-2016, Geneva: ILO. License: CC BY 3.0 IGO. Compiled in: From Research to "
        "Action course, datasets/ilo_child_labour_regions_2016.csv."
    ),
    "schema": {
        "fields": [
            {"name": "year", "type": "integer", "title": "Reference year",
             "constraints": {"required": True}},
            {"name": "region", "type": "string", "title": "ILO region",
             "constraints": {"required": True}},
            {"name": "child_labour_millions", "type": "number",
             "title": "Children 5-17 in child labour, millions (as published)",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "prevalence_pct", "type": "number",
             "title": "Children 5-17 in child labour, % of the region's children (as published)",
             "constraints": {"required": True, "minimum": 0, "maximum": 100}},
            {"name": "verified_in", "type": "string", "title": "Where the figure was read",
             "constraints": {"required": True}},
            {"name": "note", "type": "string", "title": "Caveat, if any"},
            {"name": "status", "type": "string", "title": "V: verified",
             "constraints": {"required": True, "enum": ["V"]}},
            {"name": "source", "type": "string", "title": "Publication",
             "constraints": {"required": True}},
        ],
        "primaryKey": ["region"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
