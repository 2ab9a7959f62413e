"""ctdc_regions: SYNTHETIC victim records of the CTDC Victim-Perpetrator Synthetic Dataset,
counted by UN region of origin, UN region of exploitation and type of exploitation."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402
from _ctdc import (  # noqa: E402
    CITATION,
    COUNT_FIELD,
    EXPLOITATION,
    LICENSES,
    RAW,
    REGIONS,
    SOURCE,
    SYNTHETIC_NOTE,
    counts,
    field,
    read,
)

BY = ["origin_region", "exploitation_region", "exploitation_type"]


def derive(raw: Path) -> pd.DataFrame:
    return counts(read(raw), BY)


RESOURCE = {
    "name": "ctdc_regions",
    "title": "SYNTHETIC CTDC victim records by region of origin and of exploitation",
    "description": (
        SYNTHETIC_NOTE + " This table: number of synthetic victim records by UN region of the "
        "victim's country of origin and of the country of exploitation (Africa, "
        "Americas/Oceania, Asia, Europe, as coarsened by CTDC) and type of exploitation; "
        "observed combinations only."
    ),
    "years": "2005-2022",
    "modules": [5, 10],
    "synthetic": True,
    "sources": [SOURCE],
    "licenses": LICENSES,
    "derivation": (
        "datasets/build/ctdc_regions.py counts the synthetic records by UN_COO_Region, "
        "UN_COE_Region and the exploitation type (isForcedLabour/isSexualExploit)."
    ),
    "citation": CITATION + " Aggregates: From Research to Action course, "
                           "datasets/ctdc_regions.csv.",
    "schema": {
        "fields": [
            field("origin_region", "UN region of the country of origin", REGIONS),
            field("exploitation_region", "UN region of the country of exploitation", REGIONS),
            field("exploitation_type", "Type of exploitation", EXPLOITATION),
            COUNT_FIELD,
        ],
        "primaryKey": BY,
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
