"""gems_2021: Global Estimates of Modern Slavery 2021 (ILO, Walk Free, IOM, 2022).

Forced labour by type, sex, age, region and income group, and forced marriage, as published.
Entered by hand; only figures marked V in ../shared/reference/domain.md (section 4.2).
Not included (not verified): numbers for the income groups, children in forced marriage,
regional forced-marriage prevalence other than the Arab States and Asia and the Pacific.
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

# (measure, dimension, category, millions, per 1,000 people, share % as published, note)
ROWS: list[tuple[str, str, str, float | None, float | None, float | None, str]] = [
    ("modern_slavery", "total", "all", 49.6, None, None,
     "about 1 in 150 people; forced labour plus forced marriage"),
    ("forced_labour", "total", "all", 27.6, 3.5, 100, ""),
    ("forced_labour", "type", "privately imposed", 23.7, None, 86,
     "forced labour exploitation plus forced commercial sexual exploitation"),
    ("forced_labour", "type", "forced labour exploitation", 17.3, None, 63,
     "private economy, all sectors except commercial sex"),
    ("forced_labour", "type", "forced commercial sexual exploitation", 6.3, None, 23, ""),
    ("forced_labour", "type", "state-imposed", 3.9, None, 14, ""),
    ("forced_labour", "sex", "women and girls", 11.8, None, None, ""),
    ("forced_labour", "age", "children", 3.3, None, None,
     "about 1 in 8 people in forced labour; more than half in commercial sexual exploitation"),
    ("forced_labour", "region", "Africa", 3.8, 2.9, None, ""),
    ("forced_labour", "region", "Americas", 3.6, 3.5, None, ""),
    ("forced_labour", "region", "Arab States", 0.9, 5.3, None, ""),
    ("forced_labour", "region", "Asia and the Pacific", 15.1, 3.5, None, ""),
    ("forced_labour", "region", "Europe and Central Asia", 4.1, 4.4, None, ""),
    ("forced_labour", "income_group", "low income", None, 6.3, None,
     "highest prevalence of the income groups"),
    ("forced_labour", "income_group", "high income", None, 4.4, None,
     "second-highest prevalence"),
    ("forced_marriage", "total", "all", 22.0, 2.8, 100, "up 6.6 M since 2016 (2.1 per 1,000)"),
    ("forced_marriage", "region", "Asia and the Pacific", 14.2, 3.3, None, "about two thirds"),
    ("forced_marriage", "region", "Africa", 3.2, None, 14.5, ""),
    ("forced_marriage", "region", "Europe and Central Asia", 2.3, None, 10.4, ""),
    ("forced_marriage", "region", "Arab States", None, 4.8, None,
     "highest prevalence of the regions"),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["measure", "dimension", "category", "value_millions",
                                     "per_1000", "share_pct", "note"])
    df.insert(0, "year", 2021)
    df["status"] = "V"
    df["source"] = REPORT
    return df


RESOURCE = {
    "name": "gems_2021",
    "title": "Global Estimates of Modern Slavery 2021: forced labour and forced marriage",
    "description": (
        "Headline figures of the 2021 Global Estimates of Modern Slavery (ILO, Walk Free, IOM; "
        "published September 2022): people in forced labour by type (privately imposed: "
        "forced labour exploitation and forced commercial sexual exploitation; state-imposed), "
        "women and girls, children, region and income group, and people in forced marriage, "
        "total and by region. Stock on any given day in 2021, estimated from national surveys "
        "and administrative case data over the 2017-2021 reference period. `value_millions` in "
        "millions of people, `per_1000` prevalence per 1,000 population, `share_pct` the "
        "published share of the measure's total; empty where the report figure could not be "
        "verified. Regions are the ILO's."
    ),
    "years": "2021",
    "modules": [4, 5],
    "sources": [
        {"title": "Global Estimates of Modern Slavery: Forced Labour and Forced Marriage",
         "publisher": "International Labour Organization (ILO), Walk Free, International "
                      "Organization for Migration (IOM)",
         "edition": "Geneva, 12 September 2022 (2021 estimates)",
         "table": "headline estimates: totals, typology, sex, age, regions, income groups",
         "path": "https://www.ilo.org/global/topics/forced-labour/publications/"
                 "WCMS_854733/lang--en/index.htm"},
    ],
    "licenses": [{"name": "other-at",
                  "title": "Published statistics quoted as facts with attribution; the report "
                           "is under the ILO's publication terms (not checked further)"}],
    "derivation": (
        "Typed by hand in datasets/build/gems_2021.py from the figures marked V in "
        "../shared/reference/domain.md, section 4.2 (checked on ilo.org WCMS_854733 and press "
        "coverage of the report)."
    ),
    "citation": (
        "International Labour Organization (ILO), Walk Free and International Organization for "
        "Migration (IOM) (2022), Global Estimates of Modern Slavery: Forced Labour and Forced "
        "Marriage, Geneva. Compiled in: From Research to Action course, datasets/gems_2021.csv."
    ),
    "schema": {
        "fields": [
            {"name": "year", "type": "integer", "title": "Reference year",
             "constraints": {"required": True}},
            {"name": "measure", "type": "string", "title": "What is counted",
             "constraints": {"required": True,
                             "enum": ["modern_slavery", "forced_labour", "forced_marriage"]}},
            {"name": "dimension", "type": "string", "title": "Breakdown",
             "constraints": {"required": True, "enum": ["total", "type", "sex", "age",
                                                        "region", "income_group"]}},
            {"name": "category", "type": "string", "title": "Group within the breakdown",
             "constraints": {"required": True}},
            {"name": "value_millions", "type": "number", "title": "People, millions",
             "constraints": {"minimum": 0}},
            {"name": "per_1000", "type": "number", "title": "Prevalence per 1,000 population",
             "constraints": {"minimum": 0}},
            {"name": "share_pct", "type": "number",
             "title": "Share of the measure's world total, % (as published)",
             "constraints": {"minimum": 0, "maximum": 100}},
            {"name": "note", "type": "string", "title": "Context or caveat"},
            {"name": "status", "type": "string", "title": "V: verified (domain reference)",
             "constraints": {"required": True, "enum": ["V"]}},
            {"name": "source", "type": "string", "title": "Publication",
             "constraints": {"required": True}},
        ],
        "primaryKey": ["measure", "dimension", "category"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
