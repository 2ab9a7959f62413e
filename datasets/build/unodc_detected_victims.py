"""unodc_detected_victims: detected victims of trafficking in persons by country, year, sex,
age group and form of exploitation (UNODC GLOTIP data, 2003-2021)."""

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

KEY = ["iso3", "country", "region", "subregion", "year", "sex", "age_group", "form"]


def derive(raw: Path) -> pd.DataFrame:
    df = read(raw)
    df = df[(df["Indicator"] == "Detected trafficking victims")
            & df["Dimension"].isin(["Total", "by form of exploitation"])].copy()
    df["form"] = df["Category"]
    if set(df["form"]) - set(FORMS):
        raise ValueError(f"unknown forms {set(df['form']) - set(FORMS)}")
    return tidy(df, KEY)


RESOURCE = {
    "name": "unodc_detected_victims",
    "title": "Detected victims of trafficking in persons by country, year, sex, age and form "
             "(UNODC GLOTIP)",
    "description": (
        "Number of victims of trafficking in persons detected by national authorities, by "
        "country, year, sex, age group (children 0-17, adults 18+) and form of exploitation "
        "(sexual exploitation, forced labour, other forms; 'Total' = all forms), as reported "
        "to UNODC for the Global Report on Trafficking in Persons. " + CAVEATS + " Victims by "
        "citizenship and by country of repatriation are not included."
    ),
    "years": "2003-2021",
    "modules": [5],
    "sources": [SOURCE],
    "licenses": LICENSES,
    "derivation": (
        "datasets/build/unodc_detected_victims.py keeps indicator 'Detected trafficking "
        "victims', breakdowns Total and by form of exploitation; text counts become numbers "
        "('1,282' -> 1282), '<5' becomes suppressed; rows sharing country, year, sex, age and "
        "form are merged into one (ambiguous if their values differ or repeat). Read from the "
        "sheet as text (../shared/data/unodc_glotip/data_glotip.csv, a cell-for-cell copy of "
        "the xlsx checked against it)."
    ),
    "citation": CITATION + " Tidy table: From Research to Action course, "
                           "datasets/unodc_detected_victims.csv.",
    "schema": {
        "fields": [
            *common_fields(),
            {"name": "form", "type": "string", "title": "Form of exploitation ('Total' = all)",
             "constraints": {"required": True, "enum": FORMS}},
            *VALUE_FIELDS,
        ],
        "primaryKey": ["country", "year", "sex", "age_group", "form"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
