"""sdg1622_published: published figures for SDG indicator 16.2.2 from multiple systems estimation.

UNODC's studies that estimate the detected AND undetected victims of trafficking in a country
(multiple systems estimation, MSE), as used for SDG indicator 16.2.2 (victims of trafficking per
100,000 population). Entered by hand; only figures marked V in ../shared/reference/domain.md
(sections 3.3.2 and 3.3.3). Not included (not verified): Ireland and Romania point estimates,
Serbia counts (only the ratio of estimated to detected victims is verified), any population.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None  # typed from the publications

NL = ("UNODC and Dutch National Rapporteur on Trafficking in Human Beings and Sexual Violence "
      "against Children (2017), Monitoring Target 16.2 of the United Nations Sustainable "
      "Development Goals: a multiple systems estimation of the numbers of presumed human "
      "trafficking victims in the Netherlands in 2010-2015 by year, age, gender, form of "
      "exploitation and nationality (research brief)")
NL_WHERE = ("Dutch National Rapporteur news item of 28 September 2017 and the UNODC research "
            "brief (headline findings)")
REF = ("University of Southampton (2021), REF 2021 impact case study 'Population size estimation "
       "of global human trafficking to meet United Nations Sustainable Development Goals and "
       "facilitate policy action'")
REF_WHERE = "results2021.ref.ac.uk impact case study, section 1 (summary of the impact)"
SRB = ("UNODC, in partnership with the Walk Free Foundation, Monitoring Target 16.2 of the "
       "United Nations Sustainable Development Goals: multiple systems estimation of the "
       "numbers of presumed victims of trafficking in persons - Serbia (research brief; "
       "period 2013-2016)")
SRB_WHERE = "UNODC research brief (headline findings)"

# (study, group, measure, value, unit, source, where)
ROWS = [
    ("netherlands_2010_2015", "all victims", "detected_per_year", 1400, "people per year",
     REF, REF_WHERE),
    ("netherlands_2010_2015", "all victims", "estimate_per_year", 6250, "people per year",
     NL, NL_WHERE),
    ("netherlands_2010_2015", "all victims", "estimate_per_100000", 37,
     "per 100,000 population per year", NL, NL_WHERE),
    ("netherlands_2010_2015", "Dutch girls aged 12-17", "estimate_per_100000", 257,
     "per 100,000 in the group per year", NL, NL_WHERE),
    ("netherlands_2010_2015", "people of non-Dutch origin", "estimate_per_100000", 311,
     "per 100,000 in the group per year", NL, NL_WHERE),
    ("serbia_2013_2016", "all victims", "ratio_estimated_to_detected_low", 4,
     "estimated / detected victims", SRB, SRB_WHERE),
    ("serbia_2013_2016", "all victims", "ratio_estimated_to_detected_high", 9,
     "estimated / detected victims", SRB, SRB_WHERE),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["study", "group", "measure", "value", "unit", "source",
                                     "where"])
    df["status"] = "V"
    return df.sort_values(["study", "group", "measure"]).reset_index(drop=True)


RESOURCE = {
    "name": "sdg1622_published",
    "title": "SDG 16.2.2: detected and estimated victims of trafficking from published MSE studies",
    "description": (
        "Published results of UNODC-supported multiple systems estimation (MSE) studies that "
        "estimate all victims of trafficking in a country, detected and undetected, as SDG "
        "indicator 16.2.2 asks (victims per 100,000 population): the Netherlands 2010-2015 "
        "(victims detected and estimated per year, about; estimated victims per 100,000, total "
        "and for two groups) and Serbia 2013-2016 (the published range of the ratio of "
        "estimated to detected victims). One row per study, group and measure; `value` in the "
        "unit given (the published figures are rounded, 'about'); `where` names the page on "
        "which the figure was read."
    ),
    "years": "2010-2016",
    "modules": [5],
    "sources": [
        {"title": "Monitoring Target 16.2 of the United Nations Sustainable Development Goals: "
                  "a multiple systems estimation of the numbers of presumed human trafficking "
                  "victims in the Netherlands in 2010-2015 by year, age, gender, form of "
                  "exploitation and nationality",
         "publisher": "UNODC and the Dutch National Rapporteur on Trafficking in Human Beings",
         "edition": "research brief, September 2017",
         "table": "headline findings",
         "path": "https://www.unodc.org/documents/research/UNODC-DNR_research_brief.pdf"},
        {"title": "Population size estimation of global human trafficking to meet United Nations "
                  "Sustainable Development Goals and facilitate policy action",
         "publisher": "University of Southampton; Research Excellence Framework (REF) 2021",
         "edition": "REF 2021 impact case study",
         "table": "section 1, summary of the impact",
         "path": "https://results2021.ref.ac.uk/impact/dab477e1-c387-40c6-a9cf-e8238ae125a8"},
        {"title": "Monitoring Target 16.2 of the United Nations Sustainable Development Goals: "
                  "multiple systems estimation of the numbers of presumed victims of "
                  "trafficking in persons - Serbia",
         "publisher": "UNODC, in partnership with the Walk Free Foundation",
         "edition": "research brief",
         "table": "headline findings",
         "path": "https://www.unodc.org/unodc/en/data-and-analysis/glotip.html"},
    ],
    "licenses": [{"name": "other-at",
                  "title": "Published figures quoted as facts with attribution (terms of the "
                           "publications not checked further)"}],
    "derivation": (
        "Typed by hand in datasets/build/sdg1622_published.py from the figures marked V in "
        "../shared/reference/domain.md, sections 3.3.2 (Netherlands) and 3.3.3 (Serbia); the "
        "column `where` names the page on which each figure was read."
    ),
    "citation": (
        "UNODC and Dutch National Rapporteur (2017), MSE of presumed victims of trafficking in "
        "the Netherlands 2010-2015; University of Southampton (2021), REF 2021 impact case "
        "study; UNODC and Walk Free Foundation, MSE of presumed victims of trafficking in "
        "Serbia 2013-2016. Compiled in: From Research to Action course, datasets/sdg1622_published.csv."
    ),
    "schema": {
        "fields": [
            {"name": "study", "type": "string", "title": "Study (country and period)",
             "constraints": {"required": True}},
            {"name": "group", "type": "string", "title": "Population group",
             "constraints": {"required": True}},
            {"name": "measure", "type": "string", "title": "What the figure is",
             "constraints": {"required": True,
                             "enum": ["detected_per_year", "estimate_per_year",
                                      "estimate_per_100000", "ratio_estimated_to_detected_low",
                                      "ratio_estimated_to_detected_high"]}},
            {"name": "value", "type": "number", "title": "Published figure (rounded, about)",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "unit", "type": "string", "title": "Unit",
             "constraints": {"required": True}},
            {"name": "source", "type": "string", "title": "Publication",
             "constraints": {"required": True}},
            {"name": "where", "type": "string", "title": "Where the figure was read",
             "constraints": {"required": True}},
            {"name": "status", "type": "string", "title": "V: verified (domain reference)",
             "constraints": {"required": True, "enum": ["V"]}},
        ],
        "primaryKey": ["study", "group", "measure"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
