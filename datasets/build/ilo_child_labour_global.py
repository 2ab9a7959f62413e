"""ilo_child_labour_global: the ILO and ILO-UNICEF global child labour series, 2000-2024.

Entered by hand from the published headline estimates. Only figures marked V (verified) in
../shared/reference/domain.md are included; revised or more precise values that could not be
checked against the primary report (e.g. 245.5 M for 2000, 137.6 M for 2024) are left out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None  # typed from the publications

MARKING = ("ILO-IPEC (2013), Marking progress against child labour: Global estimates and trends "
           "2000-2012, Geneva: ILO")
ILO_2004 = "ILO (2006), global child labour estimates for 2004 as first published (IPEC)"
ILO_2016 = ("ILO (2017), Global estimates of child labour: Results and trends, 2012-2016, "
            "Geneva: ILO")
ILO_UNICEF_2020 = ("ILO and UNICEF (2021), Child Labour: Global estimates 2020, trends and the "
                   "road forward, New York: ILO and UNICEF")
ILO_UNICEF_2024 = ("ILO and UNICEF (2025), Child Labour: Global estimates 2024, trends and the "
                   "road forward (released 11 June 2025)")

# (year, measure, value in millions, source publication, where the figure was checked, note)
ROWS: list[tuple[int, str, float, str, str, str]] = [
    (2000, "child_labour", 246, MARKING, "beSpacific (2014) summary of Marking progress", ""),
    (2000, "hazardous_work", 171, MARKING, "beSpacific (2014) summary of Marking progress", ""),
    (2004, "child_labour", 218, ILO_2004, "ilo.org IPEC publication 2299",
     "original 2004 estimate; later revised in Marking progress (revised value not verified)"),
    (2004, "hazardous_work", 126, ILO_2004, "ilo.org IPEC publication 2299",
     "original 2004 estimate"),
    (2008, "child_labour", 215, MARKING, "beSpacific (2014) summary of Marking progress", ""),
    (2008, "hazardous_work", 115, MARKING, "beSpacific (2014) summary of Marking progress", ""),
    (2012, "child_labour", 168, MARKING, "beSpacific (2014); Pew Research", ""),
    (2012, "hazardous_work", 85, MARKING, "beSpacific (2014); Pew Research", ""),
    (2016, "child_labour", 152, ILO_2016, "childlabour2017.org", ""),
    (2016, "hazardous_work", 73, ILO_2016, "childlabour2017.org", ""),
    (2020, "child_labour", 160, ILO_UNICEF_2020, "ILO-UNICEF report; USDOL page", ""),
    (2020, "hazardous_work", 79, ILO_UNICEF_2020, "ILO-UNICEF report; USDOL page", ""),
    (2024, "child_labour", 138, ILO_UNICEF_2024, "ILO/UNICEF release of 11 June 2025 as reported "
     "by Africanews and Deccan Herald", "reported as about 138 million (137.5 M in one press "
     "report); the unrounded value is not verified"),
    (2024, "hazardous_work", 54, ILO_UNICEF_2024, "ILO/UNICEF release of 11 June 2025 as "
     "reported by Africanews", "rounded as published"),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["year", "measure", "value_millions", "source_table",
                                     "verified_in", "note"])
    df.insert(2, "age_group", "5-17")
    return df


RESOURCE = {
    "name": "ilo_child_labour_global",
    "title": "Children in child labour and in hazardous work, world, 2000-2024 (ILO, ILO-UNICEF)",
    "description": (
        "Global number of children aged 5-17 in child labour and, among them, in hazardous work, "
        "from each round of the ILO (2000-2016) and joint ILO-UNICEF (2020, 2024) global "
        "estimates, in millions, as first published by each round (later reports revised some "
        "earlier rounds slightly; those revised values are not included because they could not "
        "be verified). Hazardous work is a subset of child labour. The global estimates follow "
        "the ICLS statistical framework and are not the same as the SDG 8.7.1 survey rule used "
        "in `unicef_child_labour`. Every value is marked V (read in the source named in "
        "`verified_in`) in the course's domain reference."
    ),
    "years": "2000-2024",
    "modules": [1, 2],
    "sources": [
        {"title": "Marking progress against child labour: Global estimates and trends "
                  "2000-2012", "publisher": "ILO-IPEC", "edition": "2013",
         "table": "headline global estimates 2000, 2008, 2012"},
        {"title": "Global child labour estimates for 2004", "publisher": "ILO-IPEC",
         "edition": "2006", "table": "headline global estimates 2004"},
        {"title": "Global estimates of child labour: Results and trends, 2012-2016",
         "publisher": "ILO", "edition": "2017", "table": "headline global estimates 2016"},
        {"title": "Child Labour: Global estimates 2020, trends and the road forward",
         "publisher": "ILO and UNICEF", "edition": "2021", "table": "headline estimates 2020"},
        {"title": "Child Labour: Global estimates 2024, trends and the road forward",
         "publisher": "ILO and UNICEF", "edition": "2025 (released 11 June 2025)",
         "table": "headline estimates 2024"},
    ],
    "licenses": [{"name": "other-at",
                  "title": "Published statistics quoted as facts with attribution. The ILO-UNICEF "
                           "2021 report is CC BY 4.0; the other reports are ILO / UNICEF "
                           "publications under their publishers' terms."}],
    "derivation": (
        "Typed by hand in datasets/build/ilo_child_labour_global.py from the figures marked V "
        "in ../shared/reference/domain.md (section 4.1), one row per year and measure, with the "
        "publication and the place the figure was checked."
    ),
    "citation": (
        "ILO-IPEC (2013) Marking progress against child labour: Global estimates and trends "
        "2000-2012; ILO (2017) Global estimates of child labour: Results and trends, 2012-2016; "
        "ILO and UNICEF (2021) Child Labour: Global estimates 2020, trends and the road forward; "
        "ILO and UNICEF (2025) Child Labour: Global estimates 2024, trends and the road forward. "
        "Compiled in: From Research to Action course, datasets/ilo_child_labour_global.csv."
    ),
    "schema": {
        "fields": [
            {"name": "year", "type": "integer", "title": "Reference year of the estimate",
             "constraints": {"required": True, "minimum": 2000, "maximum": 2024}},
            {"name": "measure", "type": "string", "title": "child_labour or hazardous_work "
             "(a subset of child labour)",
             "constraints": {"required": True, "enum": ["child_labour", "hazardous_work"]}},
            {"name": "age_group", "type": "string", "title": "Age of the children (years)",
             "constraints": {"required": True}},
            {"name": "value_millions", "type": "number", "title": "Children, millions",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "source_table", "type": "string", "title": "Publication the figure is from",
             "constraints": {"required": True}},
            {"name": "verified_in", "type": "string",
             "title": "Where the figure was read when it was checked (domain reference, V)",
             "constraints": {"required": True}},
            {"name": "note", "type": "string", "title": "Caveat, if any"},
        ],
        "primaryKey": ["year", "measure"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
