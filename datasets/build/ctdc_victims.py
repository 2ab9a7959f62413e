"""ctdc_victims: SYNTHETIC victim records of the CTDC Victim-Perpetrator Synthetic Dataset,
counted by registration year band, sex, age group and type of exploitation."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402
from _ctdc import (  # noqa: E402
    AGE,
    CITATION,
    COUNT_FIELD,
    EXPLOITATION,
    LICENSES,
    RAW,
    SEX,
    SOURCE,
    SYNTHETIC_NOTE,
    YEAR_BANDS,
    counts,
    field,
    read,
)

BY = ["year_band", "sex", "age_group", "exploitation_type"]


def derive(raw: Path) -> pd.DataFrame:
    return counts(read(raw), BY)


RESOURCE = {
    "name": "ctdc_victims",
    "title": "SYNTHETIC CTDC victim records by year band, sex, age and type of exploitation",
    "description": (
        SYNTHETIC_NOTE + " This table: number of synthetic victim records by year band of "
        "registration, sex, age group (adult/minor at registration) and type of exploitation "
        "(forced labour, sexual exploitation, both, or not recorded); observed combinations "
        "only. Blank cells in the file are the category 'not recorded'."
    ),
    "years": "2005-2022",
    "modules": [5, 10],
    "synthetic": True,
    "sources": [SOURCE],
    "licenses": LICENSES,
    "derivation": (
        "datasets/build/ctdc_victims.py counts the synthetic records of "
        "CTDC_VPsynthetic_condensed.csv by yearRegister, gender, majorityStatus and "
        "isForcedLabour/isSexualExploit (1 or blank) combined into one type."
    ),
    "citation": CITATION + " Aggregates: From Research to Action course, "
                           "datasets/ctdc_victims.csv.",
    "schema": {
        "fields": [
            field("year_band", "Year band of registration", YEAR_BANDS),
            field("sex", "Sex of the (synthetic) victim", SEX),
            field("age_group", "Adult or minor at registration", AGE),
            field("exploitation_type", "Type of exploitation", EXPLOITATION),
            COUNT_FIELD,
        ],
        "primaryKey": BY,
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
