"""mse_overlap: list-overlap (capture-history) counts for multiple systems estimation.

One row per observed combination of lists in each study, as published (zero cells omitted).
The raw files are the package data of the R packages SparseMSE 2.0.1 (CRAN) and modslavmse 2.0
(UK four lists only), converted to CSV under ../shared/data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = "."  # the ../shared/data folder: reads mse_sparsemse/ and mse_modslavmse/

# dataset id -> (folder, file, count column, total cases as documented in the provenance notes)
FILES: dict[str, tuple[str, str, str, int]] = {
    "uk_2013_6lists": ("mse_sparsemse", "UKdat.csv", "count", 2744),
    "uk_2013_5lists": ("mse_sparsemse", "UKdat_5.csv", "count", 2744),
    "uk_2013_4lists": ("mse_modslavmse", "UKdat_4.csv", "count", 2428),
    # SparseMSE's `Ned` (has O+R = 2): modslavmse's lower-case `Ned.rda` instead repeats O+Z and
    # lacks O+R; only the SparseMSE version adds up to the five-list table (checked below).
    "netherlands_2010_2015": ("mse_sparsemse", "Ned.csv", "frequency", 8234),
    "netherlands_5lists": ("mse_sparsemse", "Ned_5.csv", "frequency", 8234),
    "new_orleans": ("mse_sparsemse", "NewOrl.csv", "n", 185),
    "new_orleans_5lists": ("mse_sparsemse", "NewOrl_5.csv", "n", 185),
    "western_us": ("mse_sparsemse", "Western.csv", "n", 345),
}

# How each reduced table was made from the full one: merged list -> its members; lists dropped.
REDUCTIONS: dict[str, tuple[str, dict[str, list[str]], list[str]]] = {
    "uk_2013_5lists": ("uk_2013_6lists", {"PFNCA": ["PF", "NCA"]}, []),
    "uk_2013_4lists": ("uk_2013_6lists", {"PFNCA": ["PF", "NCA"]}, ["GP"]),
    "netherlands_5lists": ("netherlands_2010_2015", {"IO": ["I", "O"]}, []),
    "new_orleans_5lists": ("new_orleans", {"BEFG": ["B", "E", "F", "G"]}, []),
}


def wide(raw: Path, dataset: str) -> pd.DataFrame:
    """One raw table: 0/1 list columns in published order, then `count`."""
    folder, name, count_col, total = FILES[dataset]
    df = pd.read_csv(raw / folder / name)
    df = df.rename(columns={count_col: "count"})
    if int(df["count"].sum()) != total:
        raise ValueError(f"{folder}/{name}: total {df['count'].sum()} != documented {total}")
    return df


def reduce(full: pd.DataFrame, merged: dict[str, list[str]], dropped: list[str]) -> pd.DataFrame:
    """Merge lists (a case is on the merged list if on any member) and drop lists."""
    lists = [c for c in full.columns if c != "count"]
    out = pd.DataFrame(index=full.index)
    members = {m: k for k, ms in merged.items() for m in ms}
    for c in lists:
        if c in dropped:
            continue
        if c in members:
            if members[c] not in out:
                out[members[c]] = full[merged[members[c]]].max(axis=1)
        else:
            out[c] = full[c]
    out["count"] = full["count"]
    keep = out.drop(columns="count").sum(axis=1) > 0  # cases seen only on dropped lists vanish
    lists_left = [c for c in out.columns if c != "count"]
    return out[keep].groupby(lists_left, as_index=False)["count"].sum()


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    cols = sorted(c for c in a.columns if c != "count")
    if cols != sorted(c for c in b.columns if c != "count"):
        return False
    key = [*cols, "count"]
    return a[key].sort_values(key).reset_index(drop=True).equals(
        b[key].sort_values(key).reset_index(drop=True))


def derive(raw: Path) -> pd.DataFrame:
    tables = {d: wide(raw, d) for d in FILES}
    for reduced, (full, merged, dropped) in REDUCTIONS.items():
        made = reduce(tables[full], merged, dropped)
        published = tables[reduced][made.columns]
        if not _same(made, published):
            raise ValueError(f"{reduced} is not {full} with {merged} merged and {dropped} dropped")
    rows = []
    for dataset, df in tables.items():
        lists = [c for c in df.columns if c != "count"]
        for rec in df.to_dict("records"):
            on = [c for c in lists if rec[c] == 1]
            rows.append({"dataset": dataset, "pattern": "+".join(on), "n_lists": len(on),
                         "count": int(rec["count"])})
    return pd.DataFrame(rows)


DATASET_IDS = list(FILES)

SOURCES = [
    {
        "title": "Modern Slavery: an application of multiple systems estimation",
        "publisher": "Home Office (UK); B. W. Silverman",
        "edition": "29 November 2014 (data: 2013 NCA Strategic Assessment)",
        "table": "list-overlap table; as distributed in R package SparseMSE 2.0.1, dataset UKdat "
                 "(UKdat_5 merges PF and NCA); modslavmse 2.0 dataset UKdat_4",
        "path": "https://www.gov.uk/government/publications/"
                "modern-slavery-an-application-of-multiple-systems-estimation",
        "datasets": ["uk_2013_6lists", "uk_2013_5lists", "uk_2013_4lists"],
    },
    {
        "title": "Modern Slavery in the UK: How many victims?",
        "publisher": "K. Bales, O. Hesketh, B. W. Silverman, Significance 12(3): 16-21",
        "edition": "2015",
        "table": "four- and five-list analyses of the 2013 UK data",
        "path": "https://doi.org/10.1111/j.1740-9713.2015.00824.x",
        "datasets": ["uk_2013_5lists", "uk_2013_4lists"],
    },
    {
        "title": "Monitoring Target 16.2 of the United Nations Sustainable Development Goals; a "
                 "multiple systems estimation of the numbers of presumed human trafficking "
                 "victims in the Netherlands in 2010-2015 by year, age, gender, form of "
                 "exploitation and nationality",
        "publisher": "UNODC and Dutch National Rapporteur; J. J. van Dijk, M. Cruyff, "
                     "P. G. M. van der Heijden, S. L. J. Kragten-Heerdink",
        "edition": "Research brief, 2017",
        "table": "six-list overlap as used in Silverman (2020), Table 2; SparseMSE dataset Ned",
        "path": "https://tinyurl.com/y9mpkach",  # link as given in modslavmse's documentation
        "datasets": ["netherlands_2010_2015", "netherlands_5lists"],
    },
    {
        "title": "Multiple-systems analysis for the quantification of modern slavery: classical "
                 "and Bayesian approaches",
        "publisher": "B. W. Silverman, Journal of the Royal Statistical Society Series A",
        "edition": "2020 (arXiv:1902.06078)",
        "table": "Table 2 (Netherlands); the UK and New Orleans tables",
        "path": "https://arxiv.org/abs/1902.06078",
        "datasets": ["netherlands_2010_2015", "netherlands_5lists", "new_orleans",
                     "new_orleans_5lists", "uk_2013_6lists"],
    },
    {
        "title": "How many trafficked people are there in Greater New Orleans?",
        "publisher": "K. Bales, L. Murphy, B. W. Silverman, Journal of Human Trafficking",
        "edition": "2019 (cited as 'to appear' by SparseMSE)",
        "table": "eight anonymised lists A-H; SparseMSE dataset NewOrl "
                 "(NewOrl_5 merges B, E, F, G)",
        "datasets": ["new_orleans", "new_orleans_5lists"],
    },
    {
        "title": "Capturing human trafficking victimization through crime reporting",
        "publisher": "A. Farrell, M. Dank, M. Kfafian, S. Lockwood, R. Pfeffer, A. Hughes, "
                     "K. Vincent; National Institute of Justice",
        "edition": "2019, technical report 2015-VF-GX-0105",
        "table": "five anonymised lists A-E for a US western site; SparseMSE dataset Western",
        "path": "https://www.ncjrs.gov/pdffiles1/nij/grants/252520.pdf",
        "datasets": ["western_us"],
    },
    {
        "title": "SparseMSE: Multiple Systems Estimation for Sparse Capture Data (R package)",
        "publisher": "L. Chan, B. W. Silverman, K. Vincent; CRAN",
        "edition": "2.0.1, 2019-12-15 (GitHub mirror cran/SparseMSE, commit d5beeca)",
        "table": "data/UKdat.rda, UKdat_5.rda, Ned.rda, Ned_5.rda, NewOrl.rda, NewOrl_5.rda, "
                 "Western.rda",
        "path": "https://cran.r-project.org/package=SparseMSE",
        "datasets": [d for d in FILES if d != "uk_2013_4lists"],
    },
    {
        "title": "modslavmse: Multiple Systems Estimates for estimating the prevalence of Modern "
                 "Slavery (R package)",
        "publisher": "B. W. Silverman; GitHub bernardsilverman/modslavmse",
        "edition": "2.0, commit a880531 (2019-08-09)",
        "table": "data/UKdat_4.rda",
        "path": "https://github.com/bernardsilverman/modslavmse",
        "datasets": ["uk_2013_4lists"],
    },
]

LICENSES = [
    {
        "name": "GPL-2.0-or-later",
        "title": "GPL (>= 2) as stated in the SparseMSE DESCRIPTION; the counts themselves are "
                 "facts reported in the cited studies, which should be cited. UKdat_4 comes from "
                 "modslavmse, whose DESCRIPTION states no licence; its counts follow "
                 "arithmetically from the UK six-list table.",
        "path": "https://cran.r-project.org/package=SparseMSE",
    }
]

RESOURCE = {
    "name": "mse_overlap",
    "title": "Multiple systems estimation: list-overlap counts (UK, Netherlands, US)",
    "description": (
        "Number of cases observed on each combination of lists (capture pattern), for the "
        "published MSE studies of human trafficking / modern slavery: UK 2013 (six lists; five "
        "with police forces and the NCA merged; four with that merge and the general-public list "
        "dropped), the Netherlands 2010-2015 (six lists; five with I and O merged), Greater New "
        "Orleans (eight anonymised lists; five with B, E, F, G merged) and a US western site "
        "(five anonymised lists). Only observed patterns are listed, as published: a pattern "
        "absent from the table is a zero cell. List codes and names are in `mse_lists`. "
        "Netherlands discrepancy: modslavmse's `Ned.rda` repeats the O+Z pattern (counts 2 and "
        "57) and lacks O+R; this table follows SparseMSE's `Ned` (O+R = 2, O+Z = 57), the only "
        "version whose I/O merge reproduces the five-list table (IO+R = 5, IO+Z = 73) that both "
        "packages publish. It has not been checked against the printed Table 2 of Silverman "
        "(2020)."
    ),
    "years": "2010-2015",
    "modules": [6],
    "sources": SOURCES,
    "licenses": LICENSES,
    "derivation": (
        "datasets/build/mse_overlap.py reads the package tables (0/1 column per list plus a "
        "count), writes each row as the '+'-joined codes of the lists it is on, in the package's "
        "list order, checks each total against the documented one (2,744; 2,428; 8,234; 185; "
        "345) and checks that every reduced table equals its full table with the stated lists "
        "merged or dropped."
    ),
    "citation": (
        "List-overlap counts from: Home Office / Silverman (2014) Modern Slavery: an application "
        "of multiple systems estimation; Bales, Hesketh & Silverman (2015) Significance 12(3); "
        "van Dijk et al. (2017) UNODC research brief and Silverman (2020) JRSS A, Table 2 "
        "(Netherlands); Bales, Murphy & Silverman (2019) Journal of Human Trafficking (New "
        "Orleans); Farrell et al. (2019) NIJ 2015-VF-GX-0105 (US western site); as distributed in "
        "the R packages SparseMSE 2.0.1 (Chan, Silverman & Vincent) and modslavmse 2.0 "
        "(Silverman). Tidy table: From Research to Action course, datasets/mse_overlap.csv."
    ),
    "schema": {
        "fields": [
            {"name": "dataset", "type": "string", "title": "Study / version of the table",
             "constraints": {"required": True, "enum": DATASET_IDS}},
            {"name": "pattern", "type": "string",
             "title": "Lists on which these cases appear, '+'-joined in the dataset's list order",
             "constraints": {"required": True, "pattern": "[A-Za-z]+(\\+[A-Za-z]+)*"}},
            {"name": "n_lists", "type": "integer", "title": "Number of lists in the pattern",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "count", "type": "integer", "title": "Observed cases (persons)",
             "constraints": {"required": True, "minimum": 1}},
        ],
        "primaryKey": ["dataset", "pattern"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
