"""Shared reading of the UNODC GLOTIP country data export for the two unodc_* tables.

The export (`data_glotip.xlsx`, UNODC Data Portal, 30 May 2023) has one row per country,
indicator, breakdown, sex, age and year, with the count as text: "<5" is a suppressed small
count and is never turned into a number. Some cells appear on several rows with different
values: the export lost the label that told them apart (for "Other forms of exploitation"
these are its sub-forms: in Albania 2017 the five rows add up to the age breakdown). Such a
cell is kept once, flagged `ambiguous`, with every published value in `published_values` and
no `value`: summing or picking one would be a guess.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

RAW = "unodc_glotip/data_glotip.csv"  # the xlsx sheet as text (see PROVENANCE.md)

# Codes in the export with no country name and no region: undocumented groupings, left out.
UNNAMED_CODES = {"CAR", "CAS", "EEU", "MCA", "MCN", "SAF", "SAM"}
NO_ISO3 = {"Sark": None, "Aruba/Curacao": None}  # areas without an ISO 3166 code
AGE = {"Total": "Total", "0 to 17 years": "0-17", "18 years or over": "18+", "Unknown": "Unknown"}
SEX = ["Total", "Female", "Male", "Other", "Unknown"]
FORMS = ["Total", "Sexual exploitation", "Forced labour", "Other forms of exploitation"]
SUPPRESSED = "<5"


def read(raw: Path) -> pd.DataFrame:
    df = pd.read_csv(raw, dtype=str, keep_default_na=False)
    expected = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension",
                "Category", "Sex", "Age", "Year", "Unit of measurement", "txtVALUE", "Source"]
    if list(df.columns) != expected or len(df) != 46556:
        raise ValueError(f"{raw}: unexpected layout ({len(df)} rows, {list(df.columns)})")
    if set(df["Unit of measurement"]) != {"Counts"}:
        raise ValueError("unit of measurement is not always Counts")
    df = df[~df["Iso3_code"].isin(UNNAMED_CODES)].copy()
    # "Aruba/Curacao" sits in the code column with an empty name; Sark has a name, no code.
    df.loc[df["Country"] == "", "Country"] = df["Iso3_code"]
    df["iso3"] = df["Iso3_code"].where(df["Iso3_code"].str.fullmatch("[A-Z]{3}"), None)
    df.loc[df["Country"].isin(NO_ISO3), "iso3"] = None
    unknown = set(df["Age"]) - set(AGE) | set(df["Sex"]) - set(SEX)
    if unknown:
        raise ValueError(f"unknown sex/age labels {unknown}")
    df["age_group"] = df["Age"].map(AGE)
    df["year"] = df["Year"].astype(int)
    df = df.rename(columns={"Country": "country", "Region": "region", "Subregion": "subregion",
                            "Sex": "sex"})
    for col in ("region", "subregion"):
        df[col] = df[col].replace("", None)
    return df


def _count(text: str) -> float:
    return np.nan if text == SUPPRESSED else float(text.replace(",", ""))


def tidy(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """One row per key: value (NaN if suppressed or ambiguous), suppressed, ambiguous."""
    groups = df.groupby(key, sort=False, dropna=False)["txtVALUE"].agg(list)
    out = groups.reset_index()
    texts = out.pop("txtVALUE")
    out["ambiguous"] = texts.str.len() > 1
    out["suppressed"] = texts.map(lambda t: all(v == SUPPRESSED for v in t))
    out["value"] = [np.nan if len(t) > 1 else _count(t[0]) for t in texts]
    out["published_values"] = [" ; ".join(t) if len(t) > 1 else None for t in texts]
    bad = out["value"].notna() & ~np.isclose(out["value"] % 1, 0)
    if bad.any() or (out["value"] <= 0).any():
        raise ValueError("a count is not a positive whole number")
    return out


def common_fields() -> list[dict]:
    return [
        {"name": "iso3", "type": "string",
         "title": "ISO 3166 alpha-3 code (empty for Sark and Aruba/Curacao)",
         "constraints": {"pattern": "[A-Z]{3}"}},
        {"name": "country", "type": "string", "title": "Country or area (UNODC)",
         "constraints": {"required": True}},
        {"name": "region", "type": "string", "title": "UN M49 region (UNODC)"},
        {"name": "subregion", "type": "string", "title": "UN M49 subregion (UNODC)"},
        {"name": "year", "type": "integer", "title": "Year of detection / proceedings",
         "constraints": {"required": True, "minimum": 2003, "maximum": 2021}},
        {"name": "sex", "type": "string", "title": "Sex",
         "constraints": {"required": True, "enum": SEX}},
        {"name": "age_group", "type": "string", "title": "Age: 0-17, 18+, Unknown or Total",
         "constraints": {"required": True, "enum": list(AGE.values())}},
    ]


VALUE_FIELDS = [
    {"name": "value", "type": "number",
     "title": "Count of persons; empty when suppressed (<5) or ambiguous, never 0",
     "constraints": {"minimum": 1}},
    {"name": "suppressed", "type": "boolean",
     "title": "Published as '<5' (a small count withheld by UNODC)",
     "constraints": {"required": True}},
    {"name": "ambiguous", "type": "boolean",
     "title": "The export has several rows with different values for this cell",
     "constraints": {"required": True}},
    {"name": "published_values", "type": "string",
     "title": "All published values of an ambiguous cell, ' ; '-joined"},
]

SOURCE = {
    "title": "UNODC Research - Data Portal - Trafficking in Persons (GLOTIP country data), "
             "export data_glotip.xlsx",
    "publisher": "United Nations Office on Drugs and Crime (UNODC)",
    "edition": "export of 30 May 2023 (metadata last update 24 January 2023); data for the "
               "Global Report on Trafficking in Persons 2022",
    "table": "sheet data_glotip_1",
    "path": "https://dataunodc.un.org/dp-trafficking-persons",
}
LICENSES = [{"name": "other-at",
             "title": "No licence stated in the export; UNODC's metadata asks users to cite "
                      "'UNODC (2022), UNODC Research - Data Portal - Trafficking in Persons'.",
             "path": "https://dataunodc.un.org/dp-trafficking-persons"}]
CITATION = ("UNODC (2022), UNODC Research - Data Portal - Trafficking in Persons, "
            "https://dataunodc.un.org/dp-trafficking-persons (country data export of "
            "30 May 2023).")
CAVEATS = (
    "Counts of persons officially detected or processed: UNODC warns they are not "
    "representative of the prevalence of the crime and reflect detection capacity. "
    "'<5' (suppressed) is kept as suppressed = true with an empty value, never 0; the export "
    "contains no zero counts, so a suppressed cell is presumably 1-4. A cell published on "
    "several rows with different values (labels lost in the export) is kept once as "
    "ambiguous = true, with all its values in published_values and no value. Breakdowns "
    "overlap (Total vs sex/age/form rows): do not add them up. Codes CAR, CAS, EEU, MCA, "
    "MCN, SAF, SAM (no name or region in the export) are left out."
)
