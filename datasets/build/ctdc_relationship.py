"""ctdc_relationship: SYNTHETIC victim records of the CTDC Victim-Perpetrator Synthetic Dataset,
counted by the victim's relationship to the perpetrator(s), type of exploitation, sex and age."""

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
    NOT_RECORDED,
    RAW,
    SEX,
    SOURCE,
    SYNTHETIC_NOTE,
    counts,
    field,
    read,
)

BY = ["relationship", "exploitation_type", "sex", "age_group"]
LABELS = {
    "StrangerUnknownOther": "stranger, unknown or other",
    "FriendAcquaintance": "friend or acquaintance",
    "FamilyIntimatePartner": "family or intimate partner",
}


def _label(code: str) -> str:
    """CTDC codes to words; several perpetrators with different relations are '+'-joined."""
    if code == NOT_RECORDED:
        return code
    return " + ".join(LABELS[c] for c in code.split(";"))


def derive(raw: Path) -> pd.DataFrame:
    df = read(raw)
    unknown = {c for v in df["relationship"] if v != NOT_RECORDED for c in v.split(";")}
    if unknown - set(LABELS):
        raise ValueError(f"unknown relationship codes {unknown - set(LABELS)}")
    df["relationship"] = df["relationship"].map(_label)
    return counts(df, BY)


RESOURCE = {
    "name": "ctdc_relationship",
    "title": "SYNTHETIC CTDC victim records by relationship to the perpetrator",
    "description": (
        SYNTHETIC_NOTE + " This table: number of synthetic victim records by the victim's "
        "relationship to the perpetrator(s) involved (stranger/unknown/other, friend or "
        "acquaintance, family or intimate partner; '+' when several perpetrators had different "
        "relationships), type of exploitation, sex and age group; observed combinations only."
    ),
    "years": "2005-2022",
    "modules": [5, 10],
    "synthetic": True,
    "sources": [SOURCE],
    "licenses": LICENSES,
    "derivation": (
        "datasets/build/ctdc_relationship.py counts the synthetic records by IP_Relation "
        "(codes spelt out; ';'-separated multiple values '+'-joined), the exploitation type "
        "(isForcedLabour/isSexualExploit), gender and majorityStatus."
    ),
    "citation": CITATION + " Aggregates: From Research to Action course, "
                           "datasets/ctdc_relationship.csv.",
    "schema": {
        "fields": [
            field("relationship", "Relationship of the victim to the perpetrator(s)"),
            field("exploitation_type", "Type of exploitation", EXPLOITATION),
            field("sex", "Sex of the (synthetic) victim", SEX),
            field("age_group", "Adult or minor at registration", AGE),
            COUNT_FIELD,
        ],
        "primaryKey": BY,
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
