"""ilo_child_labour_2020: the 2020 ILO-UNICEF child labour estimate broken down by sex,
sector, residence and region.

Entered by hand. Only figures marked V (or V-sec: verified in a secondary source quoting the
report) in ../shared/reference/domain.md are included. Left out because they could not be
verified: the age-group split (89.3 / 35.6 / 35.0 M), the hazardous-work total to one decimal,
and every regional figure except sub-Saharan Africa and Latin America and the Caribbean.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None  # typed from the publication

REPORT = ("ILO and UNICEF (2021), Child Labour: Global estimates 2020, trends and the road "
          "forward, New York: ILO and UNICEF")
TOTAL = 160.0  # children 5-17 in child labour, 2020 (millions); the base of share_pct

# (dimension, category, millions, prevalence % or None, status, where checked, note)
ROWS: list[tuple[str, str, float, float | None, str, str, str]] = [
    ("total", "child labour", 160, None, "V", "ILO-UNICEF report; USDOL page",
     "almost 1 in 10 children aged 5-17"),
    ("total", "hazardous work", 79, None, "V", "ILO-UNICEF report; USDOL page",
     "subset of child labour"),
    ("sex", "boys", 97, None, "V", "ILO-UNICEF release (southwellandpartners, sightmagazine)", ""),
    ("sex", "girls", 63, None, "V", "ILO-UNICEF release (southwellandpartners, sightmagazine)", ""),
    ("sector", "agriculture", 112.1, None, "V", "initiatives.media; cocoainitiative.org",
     "published as 70 %"),
    ("sector", "services", 31.4, None, "V", "initiatives.media; cocoainitiative.org",
     "published as about 20 %"),
    ("sector", "industry", 16.5, None, "V", "initiatives.media; cocoainitiative.org",
     "published as about 10 %"),
    ("residence", "rural", 122.7, None, "V", "cocoainitiative.org", ""),
    ("residence", "urban", 37.3, None, "V", "cocoainitiative.org", ""),
    ("region", "Sub-Saharan Africa", 86.6, 23.9, "V-sec", "sightmagazine (Thomson Reuters); "
     "shafaqna; cocoainitiative", "also reported rounded as 87 M and 24 %"),
    ("region", "Latin America and the Caribbean", 8.2, None, "V-sec",
     "elcentroderechos-empresas; shafaqna", ""),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["dimension", "category", "value_millions", "prevalence_pct",
                                     "status", "verified_in", "note"])
    # Share of all 160 M children in child labour (computed here, status C).
    df.insert(3, "share_pct", (df["value_millions"] / TOTAL * 100).round(1))
    df.insert(0, "year", 2020)
    df["source"] = REPORT
    return df


RESOURCE = {
    "name": "ilo_child_labour_2020",
    "title": "Child labour in 2020 by sex, sector, residence and region (ILO-UNICEF)",
    "description": (
        "Breakdowns of the 160 million children aged 5-17 in child labour at the beginning of "
        "2020, from the first joint ILO-UNICEF global estimates: number in millions by sex, "
        "sector of work, rural/urban residence and (where verified) region, with "
        "`share_pct` = value / 160 M computed here and, for regions, the published "
        "prevalence. `status` is V when the figure was read in the report or its release, "
        "V-sec when read in a secondary source quoting it. Not included because they could not "
        "be verified against the report: the age-group split and regional figures other than "
        "sub-Saharan Africa and Latin America and the Caribbean."
    ),
    "years": "2020",
    "modules": [2],
    "sources": [
        {"title": "Child Labour: Global estimates 2020, trends and the road forward",
         "publisher": "International Labour Office (ILO) and United Nations Children's Fund "
                      "(UNICEF)", "edition": "New York, 2021",
         "table": "headline results by sex, sector, residence and region"},
    ],
    "licenses": [{"name": "CC-BY-4.0", "title": "CC BY 4.0 (the report's licence as stated in "
                  "its front matter); credit the ILO and UNICEF",
                  "path": "https://creativecommons.org/licenses/by/4.0/"}],
    "derivation": (
        "Typed by hand in datasets/build/ilo_child_labour_2020.py from figures marked V or "
        "V-sec in ../shared/reference/domain.md (section 4.1); share_pct = value_millions / 160 "
        "x 100, rounded to 0.1 (computed, C)."
    ),
    "citation": (
        "International Labour Office and United Nations Children's Fund (2021), Child Labour: "
        "Global estimates 2020, trends and the road forward, ILO and UNICEF, New York. License: "
        "CC BY 4.0. Compiled in: From Research to Action course, "
        "datasets/ilo_child_labour_2020.csv."
    ),
    "schema": {
        "fields": [
            {"name": "year", "type": "integer", "title": "Reference year",
             "constraints": {"required": True}},
            {"name": "dimension", "type": "string", "title": "Breakdown",
             "constraints": {"required": True,
                             "enum": ["total", "sex", "sector", "residence", "region"]}},
            {"name": "category", "type": "string", "title": "Group within the breakdown",
             "constraints": {"required": True}},
            {"name": "value_millions", "type": "number",
             "title": "Children 5-17 in child labour (hazardous work for that row), millions",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "share_pct", "type": "number",
             "title": "Share of the 160 M in child labour, % (computed here)",
             "constraints": {"minimum": 0, "maximum": 100}},
            {"name": "prevalence_pct", "type": "number",
             "title": "Children of the group in child labour, % (as published)"},
            {"name": "status", "type": "string", "title": "V verified in the report or its "
             "release; V-sec verified in a secondary source quoting it",
             "constraints": {"required": True, "enum": ["V", "V-sec"]}},
            {"name": "verified_in", "type": "string", "title": "Where the figure was read",
             "constraints": {"required": True}},
            {"name": "note", "type": "string", "title": "Caveat, if any"},
            {"name": "source", "type": "string", "title": "Publication",
             "constraints": {"required": True}},
        ],
        "primaryKey": ["dimension", "category"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
