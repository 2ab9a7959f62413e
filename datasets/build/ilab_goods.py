"""ilab_goods: the US Department of Labor's List of Goods Produced by Child Labor or Forced
Labor, editions 2016, 2018, 2020 and 2022, one row per good, country and edition.

Raw: the XML data files of ILAB's own "Sweat & Toil" app (GitHub
USDepartmentofLabor/Child-Labor-Android), one per app data cycle; the edition each file holds
was established in ../shared/data/ilab_goods_list/PROVENANCE.md from the app's methodology page.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import iso3  # noqa: E402
from _common import main as _main  # noqa: E402

RAW = "ilab_goods_list"

# List edition -> the app's XML that holds it (the file's year is the app's data cycle).
XML = {
    2016: "original/list2016_commit_2a89273fc278/goods_2016.xml",
    2018: "original/list2018_commit_4832cfcb5789/goods_2017.xml",
    2020: "original/list2020_commit_474a57276543/goods_2019.xml",
    2022: "original/list2022_commit_b8891386cc88/goods_2021.xml",
}
# Good-country pairs per edition, as counted in PROVENANCE.md: a guard against a wrong file.
PAIRS = {2016: 379, 2018: 418, 2020: 437, 2022: 467}

# The 2022 List added goods "from supply chain tracing": made elsewhere or downstream with an
# input that is on the List. The data give only the input's country, so the input good is
# mapped here by hand from the goods the 2022 List names (checked to exist below).
INPUT_GOOD = {
    "Lithium-Ion Batteries": "Cobalt ore (heterogenite)",
    "Crude Palm Oil": "Palm Fruit",
    "Crude Palm Kernel Oil": "Palm Fruit",
    "Refined Palm Oil": "Palm Fruit",
    "Refined Palm Kernel Oil": "Palm Fruit",
    "Oleochemicals": "Palm Fruit",
    "Photovoltaic Ingots": "Polysilicon",
    "Photovoltaic Wafers": "Polysilicon",
    "Solar Cells": "Polysilicon",
    "Solar Modules": "Polysilicon",
}

YES_NO = {"Yes": True, "No": False}


def _text(el: ET.Element, tag: str) -> str | None:
    child = el.find(tag)
    return None if child is None or child.text is None else child.text.strip()


def parse(path: Path, edition: int) -> pd.DataFrame:
    rows = []
    for good in ET.parse(path).getroot().iter("Good"):
        name, sector = _text(good, "Good_Name"), _text(good, "Good_Sector")
        for c in good.iter("Country"):
            derived = _text(c, "Derived_Labor_Exploitation")
            dcountry = _text(c, "Derived_Country")
            rows.append({
                "edition": edition,
                "good": name,
                "sector": sector,
                "country": _text(c, "Country_Name"),
                "region": _text(c, "Country_Region"),
                "child_labour": YES_NO[_text(c, "Child_Labor")],
                "forced_labour": YES_NO[_text(c, "Forced_Labor")],
                "forced_child_labour": YES_NO[_text(c, "Forced_Child_Labor")],
                "derived": YES_NO[derived] if derived else False,
                "derived_from_country": dcountry if dcountry and dcountry != "No" else None,
            })
    df = pd.DataFrame(rows)
    if len(df) != PAIRS[edition]:
        raise ValueError(f"{path}: {len(df)} good-country pairs, expected {PAIRS[edition]}")
    return df


def derive(raw: Path) -> pd.DataFrame:
    df = pd.concat([parse(raw / XML[e], e) for e in XML], ignore_index=True)
    df["iso3"] = df["country"].map(iso3)
    df["derived_from_iso3"] = df["derived_from_country"].map(iso3, na_action="ignore")
    df["input_good"] = df["good"].map(INPUT_GOOD).where(df["derived"])
    if (df["derived"] & df["input_good"].isna()).any() or (
            df["input_good"].notna() & ~df["derived"]).any():
        raise ValueError("a derived good has no INPUT_GOOD mapping (or the reverse): "
                         f"{sorted(df.loc[df['derived'], 'good'])}")
    # downstream_goods on each input row: the derived goods made from it, "; "-joined.
    down: dict[tuple[int, str, str], list[str]] = {}
    for r in df[df["derived"]].itertuples():
        down.setdefault((r.edition, r.input_good, r.derived_from_iso3), []).append(r.good)
    keys = list(zip(df["edition"], df["good"], df["iso3"], strict=True))
    missing = set(down) - set(keys)
    if missing:
        raise ValueError(f"input goods not on the List in their country: {sorted(missing)}")
    df["downstream_goods"] = ["; ".join(sorted(down[k])) if k in down else None for k in keys]
    if df.duplicated(["edition", "good", "iso3"]).any():
        raise ValueError("the same good is listed twice for one country (spelling variants)")
    return df


RESOURCE = {
    "name": "ilab_goods",
    "title": "US DOL List of Goods Produced by Child Labor or Forced Labor, 2016-2022 editions",
    "description": (
        "One row per good, producing country and edition of the List of Goods Produced by "
        "Child Labor or Forced Labor (US Department of Labor, Bureau of International Labor "
        "Affairs, under the TVPRA): whether ILAB has reason to believe the good is produced "
        "there with child labour, forced labour, or forced child labour (a subset of child "
        "labour, reported as given). The List records documented risks; it is not a "
        "prevalence measure, and absence from it is not evidence of absence. Good, country "
        "and region names are as ILAB wrote them in each edition (spellings and region labels "
        "change between editions: compare editions on iso3; the 2020 data give no region for 64 "
        "rows, left empty). The 2022 edition adds 10 goods "
        "from supply-chain tracing (`derived`): goods made with an input on the List; "
        "`derived_from_country` is where that input is produced, `input_good` the input "
        "(mapped by the project: the data name only the country), and the input's row lists "
        "them in `downstream_goods`."
    ),
    "years": "2016-2022",
    "modules": [8],
    "sources": [
        {"title": "List of Goods Produced by Child Labor or Forced Labor",
         "publisher": "U.S. Department of Labor, Bureau of International Labor Affairs (ILAB)",
         "edition": "2016, 2018, 2020 and 2022 editions",
         "table": "data files of ILAB's Sweat & Toil app: app/src/main/assets/goods_2016.xml, "
                  "goods_2017.xml, goods_2019.xml, goods_2021.xml (GitHub "
                  "USDepartmentofLabor/Child-Labor-Android, commits 2a89273, 4832cfc, 474a572, "
                  "b889138)",
         "path": "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods"},
    ],
    "licenses": [{"name": "other-pd",
                  "title": "U.S. federal government work (generally public domain in the US); "
                           "the source repository has no licence file. Cite ILAB.",
                  "path": "https://github.com/USDepartmentofLabor/Child-Labor-Android"}],
    "derivation": (
        "datasets/build/ilab_goods.py parses the four XML files (standard-library XML), one "
        "row per Good/Country element; Yes/No flags become booleans; iso3 from the country "
        "name via pycountry with the explicit overrides in _common.py (e.g. Burma -> MMR, "
        "Kyrgyz Republic -> KGZ, Turkey (Türkiye) -> TUR); checks the number of good-country "
        "pairs per edition (379, 418, 437, 467) and that every derived good's input is on the "
        "List in the input's country."
    ),
    "citation": (
        "U.S. Department of Labor, Bureau of International Labor Affairs (2016, 2018, 2020, "
        "2022), List of Goods Produced by Child Labor or Forced Labor, data as published in "
        "ILAB's Sweat & Toil app. Tidy table: From Research to Action course, "
        "datasets/ilab_goods.csv."
    ),
    "schema": {
        "fields": [
            {"name": "edition", "type": "integer", "title": "Edition of the List",
             "constraints": {"required": True, "enum": [2016, 2018, 2020, 2022]}},
            {"name": "good", "type": "string", "title": "Good, as named by ILAB",
             "constraints": {"required": True}},
            {"name": "country", "type": "string", "title": "Country or area, as named by ILAB",
             "constraints": {"required": True}},
            {"name": "iso3", "type": "string", "title": "ISO 3166 alpha-3 code",
             "constraints": {"required": True, "pattern": "[A-Z]{3}"}},
            {"name": "sector", "type": "string", "title": "ILAB sector",
             "constraints": {"required": True,
                             "enum": ["Agriculture", "Manufacturing", "Mining", "Other"]}},
            {"name": "region", "type": "string",
             "title": "ILAB region label (edition's own; empty where the 2020 data give none)"},
            {"name": "child_labour", "type": "boolean", "title": "Listed for child labour",
             "constraints": {"required": True}},
            {"name": "forced_labour", "type": "boolean", "title": "Listed for forced labour",
             "constraints": {"required": True}},
            {"name": "forced_child_labour", "type": "boolean",
             "title": "Flagged for forced child labour (as given; subset of child labour)",
             "constraints": {"required": True}},
            {"name": "derived", "type": "boolean",
             "title": "Added by supply-chain tracing (2022): made with a listed input",
             "constraints": {"required": True}},
            {"name": "derived_from_country", "type": "string",
             "title": "Country producing the listed input (derived goods only)"},
            {"name": "derived_from_iso3", "type": "string", "title": "Its ISO3 code",
             "constraints": {"pattern": "[A-Z]{3}"}},
            {"name": "input_good", "type": "string",
             "title": "The listed input (derived goods only; mapped by the project)"},
            {"name": "downstream_goods", "type": "string",
             "title": "Derived goods made with this good from this country, '; '-joined"},
        ],
        "primaryKey": ["edition", "good", "country"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
