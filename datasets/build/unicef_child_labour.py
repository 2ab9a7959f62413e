"""unicef_child_labour: child labour (SDG 8.7.1 definition) by country and region, from UNICEF's
The State of the World's Children 2023, statistical Table 12 (Child Protection).

Raw: the SOWC 2023 statistical tables workbook (xlsx). Read with the standard library (the
workbook is a zip of XML), so no Excel reader is needed.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import iso3  # noqa: E402
from _common import main as _main  # noqa: E402

RAW = "unicef_sowc2023_child_labour/original/raw-SOWC-2023-Statistical-tables-All-EN.xlsx"
SHEET = "12. Child Protection"
FIRST_ROW, LAST_ROW = 9, 225  # countries and areas, then the regional summary rows
# Columns of the child labour block: value and footnote letter for total, male, female.
COLUMNS = {"total_pct": ("C", "D"), "male_pct": ("E", "F"), "female_pct": ("G", "H")}
HEADER = "Child labour (%)"  # checked in the sheet so a changed layout fails loudly
YEARS = "2013-2021"
SOURCE = "DHS, MICS and other national surveys (last update March 2022)"
FLAGS = {
    "x": "data refer to years outside 2013-2021 (not included in regional averages)",
    "y": "data differ from the standard definition or refer to only part of the country",
}

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def read_sheet(xlsx: Path, name: str) -> dict[tuple[str, int], str]:
    """Cell values of one worksheet as {(column, row): text}."""
    with zipfile.ZipFile(xlsx) as z:
        strings = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
                   for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rid = next(s.get(REL) for s in book.iter(f"{{{NS['m']}}}sheet") if s.get("name") == name)
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        sheet = ET.fromstring(z.read("xl/" + target.removeprefix("/xl/")))
    cells = {}
    for c in sheet.iter(f"{{{NS['m']}}}c"):
        v = c.find("m:v", NS)
        if v is None or v.text is None:
            continue
        col, row = re.fullmatch(r"([A-Z]+)(\d+)", c.get("r")).groups()
        cells[(col, int(row))] = strings[int(v.text)] if c.get("t") == "s" else v.text
    return cells


def _value(text: str | None) -> float:
    return np.nan if text in (None, "-", "") else round(float(text), 6)


def derive(raw: Path) -> pd.DataFrame:
    cells = read_sheet(raw, SHEET)
    if not any(HEADER in v for v in cells.values()):
        raise ValueError(f"{raw}: no '{HEADER}' header in sheet {SHEET!r}; layout changed?")
    rows, aggregate = [], False
    for r in range(FIRST_ROW, LAST_ROW + 1):
        area = cells.get(("B", r), "").strip()
        if area == "SUMMARY":  # heading of the regional block
            aggregate = True
        if not area or area == "SUMMARY":
            continue
        row = {"country": area, "area_type": "aggregate" if aggregate else "country",
               "iso3": None if aggregate else iso3(area)}
        letters: set[str] = set()
        for col, (vcol, fcol) in COLUMNS.items():
            row[col] = _value(cells.get((vcol, r)))
            flag = cells.get((fcol, r), "").replace(" ", "")
            row[col.replace("_pct", "_flag")] = flag or None
            letters |= set(filter(None, flag.split(",")))
        if letters - set(FLAGS):
            raise ValueError(f"row {r} ({area}): unknown footnote {letters - set(FLAGS)}")
        has_value = not np.isnan(row["total_pct"])
        row["reference_years"] = (None if not has_value else
                                  "outside 2013-2021" if "x" in letters else YEARS)
        row["data_source"] = SOURCE if has_value else None
        row["note"] = "; ".join(FLAGS[k] for k in sorted(letters)) or None
        rows.append(row)
    df = pd.DataFrame(rows)
    if df["iso3"].dropna().duplicated().any():
        raise ValueError(f"two areas map to one ISO3 code: {df[df['iso3'].duplicated()]}")
    if (df["area_type"] == "country").sum() != 202 or df["total_pct"].notna().sum() < 96:
        raise ValueError("unexpected number of countries or values (see PROVENANCE.md)")
    return df


RESOURCE = {
    "name": "unicef_child_labour",
    "title": "Child labour among children 5-17 by country, SDG 8.7.1 definition (UNICEF SOWC 2023)",
    "description": (
        "Percentage of children aged 5-17 in child labour at the time of the survey, total, "
        "male and female, for 202 countries and areas and UNICEF regional aggregates, from "
        "The State of the World's Children 2023, Table 12. Definition (SDG 8.7.1 / MICS6): "
        "ages 5-11 with at least 1 hour of economic activity and/or more than 21 hours of "
        "unpaid household services in the reference week; 12-14 with at least 14 hours of "
        "economic activity and/or more than 21 hours of household services; 15-17 with at least "
        "43 hours of economic activity (wording of the table notes; UNICEF's MICS6 tabulation "
        "code tests 21 hours or more). Each value is the most recent in 2013-2021. The "
        "statistical table prints no survey or survey year per country, so this table cannot "
        "carry them; UNICEF's global child labour database gives the source and year of each "
        "value. Footnote x marks data from outside that window, y "
        "data that differ from the standard definition or cover part of a country (see the "
        "`*_flag` columns and note). Empty = no data ('-' in the table), e.g. for most "
        "high-income countries and the World aggregate. Consecutive SOWC editions are not "
        "comparable. Differs from the ILO-UNICEF global estimates' framework and from ILAB's "
        "'working children' statistics."
    ),
    "years": "2013-2021",
    "modules": [1, 3],
    "sources": [
        {"title": "The State of the World's Children 2023: For every child, vaccination — "
                  "statistical tables",
         "publisher": "UNICEF",
         "edition": "2023 (child labour data last updated March 2022)",
         "table": "Table 12 Child Protection, columns 'Child labour (%) 2013-2021 (R)' total, "
                  "male, female; workbook SOWC-2023-Statistical-tables-All-EN.xlsx",
         "path": "https://data.unicef.org/resources/dataset/"
                 "the-state-of-the-worlds-children-2023-statistical-tables/"},
    ],
    "licenses": [{"title": "Terms of use not stated in the workbook (not checked on UNICEF's "
                           "site); cite UNICEF, SOWC 2023, Table 12.",
                  "path": "https://data.unicef.org/resources/dataset/"
                          "the-state-of-the-worlds-children-2023-statistical-tables/"}],
    "derivation": (
        "datasets/build/unicef_child_labour.py reads sheet '12. Child Protection' of the "
        "workbook (rows 9-225, columns B-H) with the standard library; '-' becomes empty; "
        "footnote letters are kept in `*_flag` and spelt out in note; reference_years is "
        "2013-2021, or 'outside 2013-2021' for x; iso3 via pycountry with explicit overrides. "
        "The workbook used is a copy found in a public GitHub repository "
        "(oliviaharbison/EDA-stat-301-1), as documented in the raw data's provenance notes."
    ),
    "citation": (
        "UNICEF (2023), The State of the World's Children 2023: For every child, vaccination, "
        "statistical Table 12 (Child Protection), child labour. Tidy table: From Research to "
        "Action course, datasets/unicef_child_labour.csv."
    ),
    "schema": {
        "fields": [
            {"name": "iso3", "type": "string",
             "title": "ISO 3166 alpha-3 code (empty for regional aggregates)",
             "constraints": {"pattern": "[A-Z]{3}"}},
            {"name": "country", "type": "string", "title": "Country, area or region (UNICEF)",
             "constraints": {"required": True}},
            {"name": "area_type", "type": "string", "title": "country or aggregate",
             "constraints": {"required": True, "enum": ["country", "aggregate"]}},
            {"name": "total_pct", "type": "number", "title": "Children 5-17 in child labour, %",
             "constraints": {"minimum": 0, "maximum": 100}},
            {"name": "male_pct", "type": "number", "title": "Boys 5-17 in child labour, %",
             "constraints": {"minimum": 0, "maximum": 100}},
            {"name": "female_pct", "type": "number", "title": "Girls 5-17 in child labour, %",
             "constraints": {"minimum": 0, "maximum": 100}},
            {"name": "total_flag", "type": "string", "title": "Footnote letters on total"},
            {"name": "male_flag", "type": "string", "title": "Footnote letters on male"},
            {"name": "female_flag", "type": "string", "title": "Footnote letters on female"},
            {"name": "reference_years", "type": "string",
             "title": "Window the survey falls in (no single year is published)"},
            {"name": "data_source", "type": "string", "title": "Kind of source (as published)"},
            {"name": "note", "type": "string", "title": "Footnotes spelt out"},
        ],
        "primaryKey": ["country"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
