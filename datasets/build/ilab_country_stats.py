"""ilab_country_stats: child work and schooling statistics and ILAB's assessment, by country and
reporting year, from the US DOL Findings on the Worst Forms of Child Labor (2016-2022).

Raw: the country XML files of ILAB's own "Sweat & Toil" app (GitHub
USDepartmentofLabor/Child-Labor-Android); the reporting year of each file was established in
../shared/data/ilab_findings_countries/PROVENANCE.md.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import iso3  # noqa: E402
from _common import main as _main  # noqa: E402

RAW = "ilab_findings_countries"

XML = {
    2016: "original/ry2016_commit_b8891386cc88/countries_2016.xml",
    2017: "original/ry2017_commit_b8891386cc88/countries_2017.xml",
    2018: "original/ry2018_commit_b8891386cc88/countries_2018.xml",
    2019: "original/ry2019_commit_b8891386cc88/countries_2019.xml",
    2020: "original/ry2020_commit_b8891386cc88/countries_2020.xml",
    2021: "original/ry2021_commit_cb7b65f74fc9/countries_2021.xml",
    2022: "original/ry2022_commit_b8891386cc88/countries_2021.xml",  # same name, 2022 data
}
COUNTRIES = {2016: 148, 2017: 142, 2018: 141, 2019: 143, 2020: 143, 2021: 143, 2022: 143}

# Age ranges the Findings use as standard; other ranges are kept in the *_age_range columns.
STANDARD = {"working": "5-14", "school": "5-14", "combining": "7-14"}
LEVELS = ["Significant Advancement", "Moderate Advancement", "Minimal Advancement",
          "No Advancement", "No Assessment"]
YES_NO = {"Yes": True, "No": False}
STAT_COLS = ["pct_working_5_14", "pct_attending_school_5_14", "pct_combining_work_school_7_14",
             "working_age_range", "school_age_range", "combining_age_range"]


def _texts(parent: ET.Element | None, path: str) -> list[str]:
    if parent is None:
        return []
    return [(e.text or "").strip() for e in parent.findall(path)]


def _one(values: list[str]) -> tuple[str | None, str | None]:
    """(value, why it is missing): several territory values or a placeholder mean no value."""
    if not values or values == [""]:
        return None, "empty"
    if len(values) > 1:
        return None, "several territories: " + " | ".join(values)
    v = values[0]
    if v in {"Unavailable", "N/A", "MTC"}:
        return None, v
    return v, None


def _pct(values: list[str]) -> tuple[float, str | None]:
    v, why = _one(values)
    if v is None:
        return np.nan, why
    if float(v) > 1:  # a share above 1 is impossible (e.g. Malawi 2022: 2.84): not guessed at
        return np.nan, f"published share {v} is above 1, left empty"
    return round(float(v) * 100, 6), None


def parse(path: Path, year: int) -> list[dict]:
    rows = []
    countries = ET.parse(path).getroot().findall("Country")
    if len(countries) != COUNTRIES[year]:
        raise ValueError(f"{path}: {len(countries)} countries, expected {COUNTRIES[year]}")
    for c in countries:
        stats = c.find("Country_Statistics")
        work = "Children_Work_Statistics"
        school = "Education_Statistics_Attendance_Statistics"
        both = "Children_Working_and_Studying_7-14_yrs_old"
        notes = []
        row: dict = {"reporting_year": year, "country": (c.findtext("Name") or "").strip()}
        for col, values in [
            ("pct_working_5_14", _texts(stats, f"{work}/Total_Percentage_of_Working_Children")),
            ("pct_attending_school_5_14", _texts(stats, f"{school}/Percentage")),
            ("pct_combining_work_school_7_14", _texts(stats, f"{both}/Total")),
        ]:
            row[col], why = _pct(values)
            if why and why not in {"Unavailable", "N/A", "empty"}:
                notes.append(f"{col}: {why}")
        for col, tag in [("working_age_range", work), ("school_age_range", school),
                         ("combining_age_range", both)]:
            row[col], _ = _one(_texts(stats, f"{tag}/Age_Range"))
        n, _ = _one(_texts(stats, f"{work}/Total_Working_Population"))
        row["n_working"] = int(n) if n else None
        for sector in ("Agriculture", "Industry", "Services"):
            row[f"pct_working_in_{sector.lower()}"], _ = _pct(_texts(stats, f"{work}/{sector}"))
        level = (c.findtext("Advancement_Level") or "").strip()
        main, _, qualifier = level.partition(" – ")
        if main and main not in LEVELS:
            raise ValueError(f"{path}: unknown advancement level {level!r}")
        row["assessment_level"] = main or None
        row["assessment_qualifier"] = qualifier or None
        conv = c.find("Conventions")
        for col, tag in [("c138_ratified", "C_138_Ratified"), ("c182_ratified", "C_182_Ratified"),
                         ("palermo_ratified", "Palermo_Ratified")]:
            v = conv.findtext(tag) if conv is not None else None
            row[col] = YES_NO.get((v or "").strip())
        row["multiple_territories"] = (c.findtext("Multiple_Territories") or "").strip() == "Yes"
        row["note"] = "; ".join(notes) or None
        rows.append(row)
    return rows


def derive(raw: Path) -> pd.DataFrame:
    df = pd.DataFrame([r for y, f in XML.items() for r in parse(raw / f, y)])
    df["iso3"] = df["country"].map(iso3)
    df["n_working"] = df["n_working"].astype("Int64")
    # The app XML gives no survey year: a statistic stays unchanged across reporting years
    # until ILAB uses a new survey. Flag rows whose statistics repeat the previous year's.
    df = df.sort_values(["iso3", "reporting_year"]).reset_index(drop=True)
    key = pd.Series(["|".join(map(str, r)) for r in df[STAT_COLS].itertuples(index=False)])
    prev_key = key.groupby(df["iso3"]).shift()
    prev_year = df.groupby("iso3")["reporting_year"].shift()
    has_stat = df[STAT_COLS[:3]].notna().any(axis=1)
    df["carried_forward"] = (key == prev_key) & (prev_year == df["reporting_year"] - 1) & has_stat
    first = []
    for i in range(len(df)):
        first.append(first[i - 1] if df.loc[i, "carried_forward"] else df.loc[i, "reporting_year"])
    df["first_reported_year"] = pd.Series(first, dtype="Int64").where(has_stat, pd.NA)
    df["standard_age_ranges"] = (
        df["working_age_range"].fillna(STANDARD["working"]).eq(STANDARD["working"])
        & df["school_age_range"].fillna(STANDARD["school"]).eq(STANDARD["school"])
        & df["combining_age_range"].fillna(STANDARD["combining"]).eq(STANDARD["combining"]))
    return df


def _num(name: str, title: str, **constraints) -> dict:
    return {"name": name, "type": "number", "title": title,
            "constraints": {"minimum": 0, "maximum": 100, **constraints}}


RESOURCE = {
    "name": "ilab_country_stats",
    "title": "ILAB Findings on the Worst Forms of Child Labor: country statistics, 2016-2022",
    "description": (
        "One row per country or territory and reporting year (2016-2022) of the US Department "
        "of Labor's Findings on the Worst Forms of Child Labor: percentage of children working, "
        "attending school, and combining work and school, the number of working children and "
        "the sectors they work in, ratification of C138, C182 and the Palermo Protocol, and "
        "ILAB's assessment of the government's advancement (level, plus any qualifier such as "
        "'Efforts Made but Continued Practice that Delayed Advancement'). Percentages are "
        "0-100 (the source gives shares 0-1). The column names carry the standard age ranges "
        "(5-14, 5-14, 7-14); some countries report other ranges, given in the `*_age_range` "
        "columns (standard_age_ranges is false for them): compare like with like. The app's "
        "XML files give no survey source or survey year (the published country profiles name "
        "both in a footnote to the statistics table, which the XML does not carry): a value is "
        "carried forward unchanged across reporting years until a new survey is used, so "
        "reporting_year is not the data year; "
        "carried_forward marks a row whose statistics equal the previous reporting year's and "
        "first_reported_year the year that value first appeared. Missing values: "
        "'Unavailable', 'N/A', several territory values or an impossible share above 1 (these "
        "two explained in note) are empty. "
        "ILAB covers the countries and territories that receive US trade preferences, "
        "including a few high-income ones (e.g. Chile, Oman)."
    ),
    "years": "2016-2022",
    "modules": [3],
    "sources": [
        {"title": "Findings on the Worst Forms of Child Labor",
         "publisher": "U.S. Department of Labor, Bureau of International Labor Affairs (ILAB)",
         "edition": "reporting years 2016-2022",
         "table": "country statistics as bundled in ILAB's Sweat & Toil app: "
                  "app/src/main/assets/countries_2016.xml ... countries_2021.xml (GitHub "
                  "USDepartmentofLabor/Child-Labor-Android, commits b889138 and cb7b65f)",
         "path": "https://www.dol.gov/agencies/ilab/resources/reports/child-labor/findings"},
    ],
    "licenses": [{"name": "other-pd",
                  "title": "U.S. federal government work (generally public domain in the US); "
                           "the source repository has no licence file. Cite ILAB.",
                  "path": "https://github.com/USDepartmentofLabor/Child-Labor-Android"}],
    "derivation": (
        "datasets/build/ilab_country_stats.py parses the seven XML files (one per reporting "
        "year), one row per Country element; shares x 100; placeholders (Unavailable, N/A, "
        "MTC, several '|'-joined territory values) become missing; the advancement level is "
        "split at ' – ' into level and qualifier; iso3 via pycountry with explicit overrides; "
        "carried_forward = the six statistics columns equal those of the same country in the "
        "previous reporting year."
    ),
    "citation": (
        "U.S. Department of Labor, Bureau of International Labor Affairs (2017-2023), Findings "
        "on the Worst Forms of Child Labor, reporting years 2016-2022, country data as "
        "published in ILAB's Sweat & Toil app. Tidy table: From Research to Action course, "
        "datasets/ilab_country_stats.csv."
    ),
    "schema": {
        "fields": [
            {"name": "iso3", "type": "string", "title": "ISO 3166 alpha-3 code (XKX: Kosovo)",
             "constraints": {"required": True, "pattern": "[A-Z]{3}"}},
            {"name": "country", "type": "string", "title": "Country or area, as named by ILAB",
             "constraints": {"required": True}},
            {"name": "reporting_year", "type": "integer", "title": "Findings reporting year",
             "constraints": {"required": True, "minimum": 2016, "maximum": 2022}},
            _num("pct_working_5_14", "Children working, % of the age group (5-14 unless "
                 "working_age_range says otherwise)"),
            _num("pct_attending_school_5_14", "Children attending school, % (5-14 unless "
                 "school_age_range says otherwise)"),
            _num("pct_combining_work_school_7_14", "Children combining work and school, % "
                 "(7-14 unless combining_age_range says otherwise)"),
            {"name": "working_age_range", "type": "string", "title": "Age range of pct_working"},
            {"name": "school_age_range", "type": "string",
             "title": "Age range of pct_attending_school"},
            {"name": "combining_age_range", "type": "string",
             "title": "Age range of pct_combining_work_school"},
            {"name": "standard_age_ranges", "type": "boolean",
             "title": "All three statistics use the standard ranges 5-14, 5-14, 7-14",
             "constraints": {"required": True}},
            {"name": "n_working", "type": "integer", "title": "Working children (number)",
             "constraints": {"minimum": 0}},
            _num("pct_working_in_agriculture", "Working children in agriculture, %"),
            _num("pct_working_in_industry", "Working children in industry, %"),
            _num("pct_working_in_services", "Working children in services, %"),
            {"name": "assessment_level", "type": "string", "title": "ILAB advancement level",
             "constraints": {"enum": LEVELS}},
            {"name": "assessment_qualifier", "type": "string",
             "title": "Qualifier of the level, e.g. 'Efforts Made but ...'"},
            {"name": "c138_ratified", "type": "boolean", "title": "ILO C138 ratified"},
            {"name": "c182_ratified", "type": "boolean", "title": "ILO C182 ratified"},
            {"name": "palermo_ratified", "type": "boolean", "title": "Palermo Protocol ratified"},
            {"name": "multiple_territories", "type": "boolean",
             "title": "ILAB reports several territories for this country",
             "constraints": {"required": True}},
            {"name": "carried_forward", "type": "boolean",
             "title": "Statistics identical to the previous reporting year (no new survey)",
             "constraints": {"required": True}},
            {"name": "first_reported_year", "type": "integer",
             "title": "Reporting year in which these statistics first appeared"},
            {"name": "note", "type": "string", "title": "Why a value is missing, if not plain"},
        ],
        "primaryKey": ["iso3", "reporting_year"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
