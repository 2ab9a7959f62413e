"""tip_tiers: US State Department Trafficking in Persons Report tier placements, 2001-2015.

Raw: the replication data of Judith G. Kelley, *Scorecard Diplomacy* (2017): the Stata file
coded by Kelley (report years to 2014; 555 = not in the report, 666 = special case) and the
authors' 2015 tiers; plus Heiss & Kelley's tier file (From the Trenches, 2017), used only to
translate Correlates of War codes to ISO3 and to cross-check the placements.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import iso3  # noqa: E402
from _common import main as _main  # noqa: E402

RAW = "tip_tiers_cho_kelley/original"
DTA = "scorecard-diplomacy/criminalization-cho-tiers_jk_2015-08-10.dta"
T2015 = "scorecard-diplomacy/tiers_2015.csv"
HEISS = "From-the-Trenches/tip_tiers_orig.csv"

TIER = {1.0: "1", 2.0: "2", 2.5: "2WL", 3.0: "3", 666.0: "special case"}
NOT_IN_REPORT = 555.0
HEISS_LABEL = {"Tier 1": "1", "Tier 2": "2", "Watchlist": "2WL", "Tier 3": "3"}


def derive(raw: Path) -> pd.DataFrame:
    heiss = pd.read_csv(raw / HEISS)
    heiss["iso"] = heiss["iso"].replace({"KOS": "XKX"})  # Kosovo: no ISO code; XKX as elsewhere
    cow = heiss.dropna(subset=["ccode"]).drop_duplicates("ccode").set_index("ccode")["iso"]
    names = heiss.drop_duplicates("iso").set_index("iso")["countryname"]

    dta = pd.read_stata(raw / DTA, convert_categoricals=False)
    dta = dta[dta["year"].between(2001, 2014) & dta["tierupdated"].notna()
              & (dta["tierupdated"] != NOT_IN_REPORT)]
    unknown = set(dta["tierupdated"]) - set(TIER)
    if unknown:
        raise ValueError(f"unknown tier codes {unknown}")
    early = pd.DataFrame({"iso3": dta["ccode"].astype(float).map(cow).to_numpy(),
                          "year": dta["year"].astype(int).to_numpy(),
                          "tier": dta["tierupdated"].astype(float).map(TIER).to_numpy()})

    t15 = pd.read_csv(raw / T2015)
    t15 = t15[t15["tier"].notna() & (t15["tier"] != NOT_IN_REPORT)]
    late = pd.DataFrame({"iso3": t15["countryname"].str.strip().map(iso3).to_numpy(),
                         "year": 2015, "tier": t15["tier"].map(TIER).to_numpy()})
    df = pd.concat([early, late], ignore_index=True)
    if df["iso3"].isna().any() or df["tier"].isna().any():
        raise ValueError("a placement without ISO3 code or tier label")
    if df.duplicated(["iso3", "year"]).any():
        raise ValueError(f"two placements for one country-year: {df[df.duplicated()]}")

    # Cross-check with Heiss & Kelley's file (which codes special cases as missing).
    check = heiss.assign(tier=heiss["tier"].str.strip().map(HEISS_LABEL)).dropna(subset=["tier"])
    merged = check.merge(df, left_on=["iso", "year"], right_on=["iso3", "year"], how="outer",
                         suffixes=("_heiss", ""))
    differ = merged[(merged["tier_heiss"] != merged["tier"]) & (merged["tier"] != "special case")]
    if len(differ):
        raise ValueError(f"placements differ from Heiss & Kelley's file:\n{differ.head()}")

    df["country"] = df["iso3"].map(names)
    df["tier_order"] = df["tier"].map({"1": 1.0, "2": 2.0, "2WL": 2.5, "3": 3.0})
    return df


RESOURCE = {
    "name": "tip_tiers",
    "title": "US Trafficking in Persons Report tier placements by country, 2001-2015",
    "description": (
        "Tier placement of each country in the US Department of State's annual Trafficking in "
        "Persons (TIP) Report, report years 2001-2015: 1 (fully meets the minimum standards of "
        "the Trafficking Victims Protection Act), 2, 2WL (Tier 2 Watch List, from 2004), 3, or "
        "'special case' (Kelley's code 666). `tier_order` gives 1, 2, 2.5, 3 for ordering "
        "(empty for special cases). A country absent in a year was not in that report. "
        "`year` is the report year (it assesses mostly the previous year). Tiers grade "
        "government effort against trafficking, as judged by the US government; they are "
        "not a measure of how much trafficking there is. Coded by J. G. Kelley for "
        "Scorecard Diplomacy (2017)."
    ),
    "years": "2001-2015",
    "modules": [5],
    "sources": [
        {"title": "Trafficking in Persons Report", "publisher": "U.S. Department of State",
         "edition": "annual reports 2001-2015", "table": "tier placements",
         "path": "https://www.state.gov/trafficking-in-persons-report/"},
        {"title": "Scorecard Diplomacy: Grading States to Influence their Reputation and "
                  "Behavior (replication data)",
         "publisher": "J. G. Kelley, Cambridge University Press; data repository by "
                      "A. Heiss and J. G. Kelley",
         "edition": "2017; GitHub andrewheiss/scorecard-diplomacy, commit f8c06be",
         "table": "data/original/criminalization-cho-tiers_jk_2015-08-10.dta (variable "
                  "tierupdated), data/original/tiers_2015.csv",
         "path": "https://github.com/andrewheiss/scorecard-diplomacy"},
        {"title": "From the Trenches: A Global Survey of Anti-TIP NGOs and their Views of US "
                  "Efforts (replication data)",
         "publisher": "A. Heiss and J. G. Kelley, Journal of Human Trafficking",
         "edition": "2017, doi:10.1080/23322705.2016.1199241; GitHub "
                    "andrewheiss/From-the-Trenches-Anti-TIP-NGOs-and-US, commit 475c15b",
         "table": "data/tip_tiers_orig.csv (country codes; cross-check only)",
         "path": "https://github.com/andrewheiss/From-the-Trenches-Anti-TIP-NGOs-and-US"},
    ],
    "licenses": [{"name": "MIT",
                  "title": "MIT licence of the Scorecard Diplomacy replication repository "
                           "(Copyright (c) 2017 Judith Kelley and Andrew Heiss); the tier "
                           "placements themselves are a US government publication.",
                  "path": "https://github.com/andrewheiss/scorecard-diplomacy/blob/master/"
                          "LICENSE"}],
    "derivation": (
        "datasets/build/tip_tiers.py reads the Stata file with pandas (report years "
        "2001-2014; codes 1, 2, 2.5, 3, 666 = special case; 555 = not in the report, dropped) "
        "and the 2015 tiers; ISO3 from the Correlates of War code via Heiss & Kelley's "
        "crosswalk (Kosovo KOS -> XKX) and, for 2015, from the country name via pycountry with "
        "explicit overrides; checks every placement against Heiss & Kelley's tier file."
    ),
    "citation": (
        "U.S. Department of State, Trafficking in Persons Report, 2001-2015 editions; tier "
        "placements as coded in Kelley, J. G. (2017) Scorecard Diplomacy, Cambridge University "
        "Press, replication data by A. Heiss and J. G. Kelley. Tidy table: From Research to "
        "Action course, datasets/tip_tiers.csv."
    ),
    "schema": {
        "fields": [
            {"name": "iso3", "type": "string", "title": "ISO 3166 alpha-3 code (XKX: Kosovo)",
             "constraints": {"required": True, "pattern": "[A-Z]{3}"}},
            {"name": "country", "type": "string", "title": "Country or area",
             "constraints": {"required": True}},
            {"name": "year", "type": "integer", "title": "Report year",
             "constraints": {"required": True, "minimum": 2001, "maximum": 2015}},
            {"name": "tier", "type": "string", "title": "Tier placement",
             "constraints": {"required": True, "enum": ["1", "2", "2WL", "3", "special case"]}},
            {"name": "tier_order", "type": "number",
             "title": "1, 2, 2.5 (Watch List), 3; empty for special cases"},
        ],
        "primaryKey": ["iso3", "year"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
