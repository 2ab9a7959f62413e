"""clear_synthesis: the counts in CLEAR's child labor synthesis (US Department of Labor).

Hand-entered (RAW = None) from the synthesis page's "Review Process In Brief".
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None

PAGE = "https://clear.dol.gov/Synthesis-Report/Child-Labor-Synthesis"

# (measure, value, note)
ROWS = [
    ("reports", 56, "reports found by the systematic evidence review"),
    ("studies", 73, "distinct studies in those reports"),
    ("high_or_moderate", 30, "studies with a high or moderate causal evidence rating"),
    ("first_year", 2006, "studies published from January 2006"),
    ("last_year", 2018, "to May 2018"),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["measure", "value", "note"])
    df["checked_in"] = PAGE + " (Review Process In Brief)"
    df["status"] = "V"
    return df


RESOURCE = {
    "name": "clear_synthesis",
    "title": "CLEAR child labor synthesis: how many studies, and how many rated high or moderate",
    "description": (
        "Counts stated in the US Department of Labor's Clearinghouse for Labor Evaluation and "
        "Research (CLEAR) child labor synthesis: reports and distinct studies of interventions "
        "to reduce or prevent child labor found by its systematic review, the number rated high "
        "or moderate for causal evidence, and the publication period covered."
    ),
    "years": "2006-2018",
    "modules": [9],
    "sources": [
        {"title": "Child Labor Synthesis", "publisher": "US Department of Labor, CLEAR",
         "edition": "synthesis report page (literature January 2006 - May 2018)",
         "table": "Review Process In Brief", "path": PAGE},
    ],
    "licenses": [{"name": "other-at",
                  "title": "US Government work; quoted as facts with attribution"}],
    "derivation": "Typed by hand in datasets/build/clear_synthesis.py from the synthesis page.",
    "citation": (
        "US Department of Labor, Clearinghouse for Labor Evaluation and Research (CLEAR), Child "
        "Labor Synthesis. Compiled in: From Research to Action course, "
        "datasets/clear_synthesis.csv."
    ),
    "schema": {
        "fields": [
            {"name": "measure", "type": "string", "title": "What is counted",
             "constraints": {"required": True}},
            {"name": "value", "type": "integer", "title": "Count or year",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "note", "type": "string", "title": "Meaning"},
            {"name": "checked_in", "type": "string", "title": "Where it was checked",
             "constraints": {"required": True}},
            {"name": "status", "type": "string", "title": "V: verified in the named source",
             "constraints": {"required": True, "enum": ["V"]}},
        ],
        "primaryKey": ["measure"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
