"""mse_lists: the lists (data sources) behind each table in `mse_overlap`, in their order.

Codes and their order come from the raw tables' columns; names from the packages'
documentation (R/datasetdocumentation.R in SparseMSE and modslavmse). New Orleans and the
US western site lists are anonymised by the studies, so they have no names.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402
from mse_overlap import DATASET_IDS, LICENSES, SOURCES, wide  # noqa: E402

RAW = "."  # the ../shared/data folder, as for mse_overlap

_UK = {
    "LA": "Local authorities",
    "NG": "Non-government organisations",
    "PF": "Police forces",
    "GO": "Government organisations",
    "GP": "General public",
    "NCA": "National Crime Agency",
    "PFNCA": "Police forces and National Crime Agency (merged)",
}
# modslavmse's documentation of `Ned` (SparseMSE only points to Silverman 2020, Table 2).
_NL = {
    "P": "National Police",
    "K": "Border Police",
    "I": "Inspectorate SZW (Ministry of Social Affairs and Employment)",
    "R": "Regional coordinators",
    "O": "Residential treatment centres and shelters",
    "Z": "Others (e.g. ambulatory care, legal services, Immigration and Naturalisation Service)",
    "IO": "Inspectorate SZW and residential centres/shelters (merged)",
}
LABELS: dict[str, dict[str, str]] = {
    "uk_2013_6lists": _UK,
    "uk_2013_5lists": _UK,
    "uk_2013_4lists": _UK,
    "netherlands_2010_2015": _NL,
    "netherlands_5lists": _NL,
}


def _anonymised(code: str) -> str:
    if len(code) == 1:
        return f"List {code} (anonymised by the study)"
    return f"Lists {', '.join(code)} merged (anonymised by the study)"


def derive(raw: Path) -> pd.DataFrame:
    rows = []
    for dataset in DATASET_IDS:
        df = wide(raw, dataset)
        lists = [c for c in df.columns if c != "count"]
        for order, code in enumerate(lists, start=1):
            label = LABELS.get(dataset, {}).get(code) or _anonymised(code)
            rows.append({"dataset": dataset, "list_code": code, "list_label": label,
                         "list_order": order,
                         "list_total": int(df.loc[df[code] == 1, "count"].sum())})
    return pd.DataFrame(rows)


RESOURCE = {
    "name": "mse_lists",
    "title": "Multiple systems estimation: the lists in each overlap table",
    "description": (
        "One row per list (data source) in each `mse_overlap` dataset: its code as used in "
        "`mse_overlap.pattern`, its name, its position in the dataset's list order, and the "
        "number of cases it holds (sum of the overlap counts that include it). UK and "
        "Netherlands names are from the R packages' documentation; New Orleans and the US "
        "western site lists were anonymised by the studies. Netherlands names come from "
        "modslavmse's documentation and have not been checked against van Dijk et al. (2017)."
    ),
    "years": "2010-2015",
    "modules": [6],
    "sources": SOURCES,
    "licenses": LICENSES,
    "derivation": (
        "datasets/build/mse_lists.py takes each raw table's list columns in order; list_total is "
        "the sum of counts over the rows where the list's column is 1. Labels are typed from "
        "the packages' documentation (R/datasetdocumentation.R)."
    ),
    "citation": (
        "List definitions from the R packages SparseMSE 2.0.1 (Chan, Silverman & Vincent) and "
        "modslavmse 2.0 (Silverman) documentation; studies as cited for mse_overlap. Tidy table: "
        "From Research to Action course, datasets/mse_lists.csv."
    ),
    "schema": {
        "fields": [
            {"name": "dataset", "type": "string", "title": "Study / version of the table",
             "constraints": {"required": True, "enum": DATASET_IDS}},
            {"name": "list_code", "type": "string", "title": "Code used in mse_overlap.pattern",
             "constraints": {"required": True}},
            {"name": "list_label", "type": "string", "title": "Name of the list",
             "constraints": {"required": True}},
            {"name": "list_order", "type": "integer", "title": "Position in the dataset's lists",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "list_total", "type": "integer", "title": "Cases on this list",
             "constraints": {"required": True, "minimum": 1}},
        ],
        "primaryKey": ["dataset", "list_code"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
