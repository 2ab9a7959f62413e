"""unodc_criminal_justice: persons brought into formal contact with the police, prosecuted and
convicted for trafficking in persons, and recorded offences, by country and year (UNODC GLOTIP
data, 2003-2021)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402
from _unodc import (  # noqa: E402
    CAVEATS,
    CITATION,
    FORMS,
    LICENSES,
    RAW,
    SOURCE,
    VALUE_FIELDS,
    common_fields,
    read,
    tidy,
)

STAGES = {
    "Offences of trafficking in persons": "offences",
    "Persons brought into formal contact": "formal_contact",
    "Persons prosecuted": "prosecuted",
    "Persons convicted": "convicted",
}
KEY = ["iso3", "country", "region", "subregion", "stage", "year", "sex", "age_group", "form"]


def derive(raw: Path) -> pd.DataFrame:
    df = read(raw)
    df = df[df["Indicator"].isin(STAGES)
            & df["Dimension"].isin(["Total", "by form of exploitation"])].copy()
    df["stage"] = df["Indicator"].map(STAGES)
    df["form"] = df["Category"]
    if set(df["form"]) - set(FORMS):
        raise ValueError(f"unknown forms {set(df['form']) - set(FORMS)}")
    return tidy(df, KEY)


_fields = common_fields()
RESOURCE = {
    "name": "unodc_criminal_justice",
    "title": "Trafficking in persons: offences, persons in formal contact, prosecuted and "
             "convicted, by country and year (UNODC GLOTIP)",
    "description": (
        "Criminal justice response to trafficking in persons as reported to UNODC: recorded "
        "offences (stage 'offences'), persons brought into formal contact with the police "
        "('formal_contact'), persons prosecuted ('prosecuted') and persons convicted "
        "('convicted'), by country, year, sex and age group of the offender, and for "
        "convictions also by form of exploitation ('Total' = all forms). The stages are "
        "separate series, not a cohort followed through the system. " + CAVEATS + " Persons "
        "convicted by citizenship are not included."
    ),
    "years": "2003-2021",
    "modules": [5],
    "sources": [SOURCE],
    "licenses": LICENSES,
    "derivation": (
        "datasets/build/unodc_criminal_justice.py keeps the four criminal-justice indicators, "
        "breakdowns Total and by form of exploitation; text counts become numbers, '<5' "
        "becomes suppressed; rows sharing all key columns are merged into one (ambiguous if "
        "there were several)."
    ),
    "citation": CITATION + " Tidy table: From Research to Action course, "
                           "datasets/unodc_criminal_justice.csv.",
    "schema": {
        "fields": [
            *_fields[:4],
            {"name": "stage", "type": "string", "title": "Series (criminal justice stage)",
             "constraints": {"required": True, "enum": list(STAGES.values())}},
            *_fields[4:],
            {"name": "form", "type": "string", "title": "Form of exploitation ('Total' = all)",
             "constraints": {"required": True, "enum": FORMS}},
            *VALUE_FIELDS,
        ],
        "primaryKey": ["country", "stage", "year", "sex", "age_group", "form"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
