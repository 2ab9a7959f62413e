"""Shared helpers for the build scripts: where raw data lives, deterministic CSV, ISO3 codes.

Every `datasets/build/<name>.py` defines `RESOURCE` (its Data Package resource metadata),
`RAW` (the publisher's file under ../shared/data, or None for hand-entered tables) and
`derive(raw) -> DataFrame`; `main()` here turns those into `datasets/<name>.csv`.
"""

from __future__ import annotations

import argparse
import math
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pycountry

BUILD = Path(__file__).resolve().parent
DATASETS = BUILD.parent
# ../shared/data beside the repository root; present for developers and CI, absent in users' clones.
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

Derive = Callable[[Path], pd.DataFrame]


# --- deterministic CSV ------------------------------------------------------------------------

def _fmt_number(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return ""
    # 12 significant digits: exact for every published figure, immune to float noise.
    return format(float(x), ".12g")


def _fmt(value: Any, ftype: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if ftype == "number":
        return _fmt_number(value)
    if ftype == "integer":
        f = float(value)
        if f != int(f):
            raise ValueError(f"non-integer value {value!r} in an integer column")
        return str(int(f))
    if ftype == "boolean":
        return "true" if bool(value) else "false"
    return str(value)


def _quote(s: str) -> str:
    if any(c in s for c in ',"\n\r') or s != s.strip():
        return '"' + s.replace('"', '""') + '"'
    return s


def tidy(df: pd.DataFrame, resource: dict) -> pd.DataFrame:
    """Columns in schema order, rows sorted by the primary key, key checked for uniqueness."""
    fields = [f["name"] for f in resource["schema"]["fields"]]
    missing = [c for c in fields if c not in df.columns]
    extra = [c for c in df.columns if c not in fields]
    if missing or extra:
        raise ValueError(f"{resource['name']}: columns missing {missing}, not in schema {extra}")
    key = resource["schema"]["primaryKey"]
    dup = df.duplicated(subset=key, keep=False)
    if dup.any():
        raise ValueError(f"{resource['name']}: duplicate primary key rows:\n{df[dup].head(10)}")
    # Sort in Python on the key's values (numbers as numbers, text case-insensitively) so the
    # order never depends on pandas dtypes or locale.
    def sort_key(values: tuple) -> tuple:
        out: list = []
        for v in values:
            if isinstance(v, int | float) and not isinstance(v, bool):
                out += [0, float(v), ""]
            else:
                out += [1, 0.0, f"{str(v).casefold()}\x00{v}"]
        return tuple(out)

    keys = [sort_key(t) for t in df[key].itertuples(index=False, name=None)]
    order = sorted(range(len(df)), key=keys.__getitem__)
    return df.iloc[order][fields].reset_index(drop=True)


def csv_bytes(df: pd.DataFrame, resource: dict) -> bytes:
    """The table as UTF-8 CSV with `\\n` line endings and fixed number formatting."""
    df = tidy(df, resource)
    types = [f["type"] for f in resource["schema"]["fields"]]
    lines = [",".join(_quote(f["name"]) for f in resource["schema"]["fields"])]
    for row in df.itertuples(index=False, name=None):
        lines.append(",".join(_quote(_fmt(v, t)) for v, t in zip(row, types, strict=True)))
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_path(resource: dict) -> Path:
    return DATASETS / f"{resource['name']}.csv"


def main(derive: Derive, resource: dict, raw: str | None) -> None:
    """Command line for one build script: derive the table from RAW and write datasets/NAME.csv."""
    parser = argparse.ArgumentParser(description=f"Build datasets/{resource['name']}.csv: "
                                     f"{resource['title']}")
    if raw is not None:
        parser.add_argument("raw", nargs="?", type=Path, default=SHARED_DATA / raw,
                            help=f"publisher's raw file (default: ../shared/data/{raw})")
    parser.add_argument("-o", "--out", type=Path, default=csv_path(resource))
    args = parser.parse_args()
    source = getattr(args, "raw", None)
    if source is not None and not source.exists():
        parser.error(f"{source} not found; pass the path to the publisher's file")
    data = csv_bytes(derive(source), resource)
    args.out.write_bytes(data)
    rows = data.count(b"\n") - 1
    print(f"wrote {args.out} ({rows} rows); "
          "now run datasets/build/package.py to refresh datapackage.json")


# --- country codes ----------------------------------------------------------------------------

# Names pycountry cannot resolve (or resolves wrongly), mapped by hand. XKX is the
# user-assigned code for Kosovo used by the EU, IMF and World Bank (Kosovo has no ISO 3166 code).
ISO3_OVERRIDES: dict[str, str] = {
    "kosovo": "XKX",
    "kosovo under unscr 1244": "XKX",
    "kosovo (under unscr 1244)": "XKX",
    "turkey": "TUR",
    "turkiye": "TUR",
    "turkey (turkiye)": "TUR",
    "kyrgyz republic": "KGZ",
    "kyrgyzstan": "KGZ",
    "cote d'ivoire": "CIV",
    "ivory coast": "CIV",
    "democratic republic of the congo": "COD",
    "congo, democratic republic of the": "COD",
    "congo, democratic republic of": "COD",
    "congo, dem. rep.": "COD",
    "dr congo": "COD",
    "congo (kinshasa)": "COD",
    "republic of the congo": "COG",
    "congo, republic of the": "COG",
    "congo, republic of": "COG",
    "congo (brazzaville)": "COG",
    "congo": "COG",
    "burma": "MMR",
    "burma (myanmar)": "MMR",
    "myanmar": "MMR",
    "laos": "LAO",
    "lao pdr": "LAO",
    "lao people's democratic republic": "LAO",
    "russia": "RUS",
    "russian federation": "RUS",
    "south korea": "KOR",
    "korea, south": "KOR",
    "korea, republic of": "KOR",
    "republic of korea": "KOR",
    "north korea": "PRK",
    "korea, north": "PRK",
    "democratic people's republic of korea": "PRK",
    "korea, democratic people's republic of": "PRK",
    "iran": "IRN",
    "iran (islamic republic of)": "IRN",
    "syria": "SYR",
    "syrian arab republic": "SYR",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "bolivia": "BOL",
    "bolivia (plurinational state of)": "BOL",
    "venezuela": "VEN",
    "venezuela (bolivarian republic of)": "VEN",
    "tanzania": "TZA",
    "united republic of tanzania": "TZA",
    "moldova": "MDA",
    "republic of moldova": "MDA",
    "macedonia": "MKD",
    "north macedonia": "MKD",
    "the former yugoslav republic of macedonia": "MKD",
    "macedonia, the former yugoslav republic of": "MKD",
    "cabo verde": "CPV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "eswatini": "SWZ",
    "the gambia": "GMB",
    "gambia, the": "GMB",
    "gambia": "GMB",
    "the bahamas": "BHS",
    "bahamas, the": "BHS",
    "bahamas": "BHS",
    "micronesia": "FSM",
    "micronesia (federated states of)": "FSM",
    "micronesia, federated states of": "FSM",
    "federated states of micronesia": "FSM",
    "brunei": "BRN",
    "brunei darussalam": "BRN",
    "timor-leste": "TLS",
    "east timor": "TLS",
    "west bank and gaza strip": "PSE",
    "west bank and gaza": "PSE",
    "palestine": "PSE",
    "state of palestine": "PSE",
    "palestinian territories": "PSE",
    "occupied palestinian territory": "PSE",
    "saint kitts and nevis": "KNA",
    "st. kitts and nevis": "KNA",
    "saint lucia": "LCA",
    "st. lucia": "LCA",
    "saint vincent and the grenadines": "VCT",
    "st. vincent and the grenadines": "VCT",
    "sao tome and principe": "STP",
    "taiwan": "TWN",
    "china (taiwan)": "TWN",
    "hong kong": "HKG",
    "china, hong kong sar": "HKG",
    "china, hong kong special administrative region": "HKG",
    "macau": "MAC",
    "macao": "MAC",
    "china, macao sar": "MAC",
    "china, macao special administrative region": "MAC",
    "curacao": "CUW",
    "sint maarten": "SXM",
    "netherlands antilles": "ANT",
    "serbia and montenegro": "SCG",
    "bosnia and herzegovina": "BIH",
    "bosnia & herzegovina": "BIH",
    "czech republic": "CZE",
    "czechia": "CZE",
    "united kingdom": "GBR",
    "united kingdom of great britain and northern ireland": "GBR",
    "united states": "USA",
    "united states of america": "USA",
    "vatican city": "VAT",
    "holy see": "VAT",
    "falkland islands": "FLK",
    "bonaire": "BES",
    "christmas island": "CXR",
    "cook islands": "COK",
    "niue": "NIU",
    "tokelau": "TKL",
    "norfolk island": "NFK",
    "british virgin islands": "VGB",
    "virgin islands (british)": "VGB",
    "us virgin islands": "VIR",
    "western sahara": "ESH",
    "british indian ocean territories": "IOT",
    "british indian ocean territory": "IOT",
    "falkland islands (islas malvinas)": "FLK",
    "heard and mcdonald islands": "HMD",
    "pitcairn islands": "PCN",
    "pitcairn": "PCN",
    "saint helena, ascension, and tristan da cunha": "SHN",
    "saint helena, ascension and tristan da cunha": "SHN",
    "west bank and the gaza strip": "PSE",
    "wallis and futuna": "WLF",
    "cocos (keeling) islands": "CCK",
    "st. maarten": "SXM",
    "antigua & barbuda": "ATG",
    "china (prc)": "CHN",
    "congo, democratic rep. of": "COD",
    "st. vincent & the grenadines": "VCT",
    "trinidad & tobago": "TTO",
}


def _key(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(s.replace("’", "'").casefold().split())


def iso3(name: str) -> str:
    """ISO 3166 alpha-3 code for a country name; raises KeyError rather than guess."""
    k = _key(name)
    if k in ISO3_OVERRIDES:
        return ISO3_OVERRIDES[k]
    try:
        return pycountry.countries.lookup(name.strip()).alpha_3
    except LookupError:
        pass
    for c in pycountry.countries:  # exact match on any official/common name, accents ignored
        names = {c.name, getattr(c, "official_name", ""), getattr(c, "common_name", "")}
        if k in {_key(n) for n in names if n}:
            return c.alpha_3
    raise KeyError(f"no ISO3 code for country name {name!r}: add it to ISO3_OVERRIDES in "
                   f"{Path(__file__).name}")
