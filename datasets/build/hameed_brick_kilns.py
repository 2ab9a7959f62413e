"""hameed_brick_kilns: forced labour among brick-kiln workers, Sindh, Pakistan, by survey design.

Hameed, Wirtz, Lakhani, Mahnoor Rizvi, Nafees, Shah, Fatmi and Robinson compared a multi-stage
probability-proportional-to-size (PPS) cluster survey with a respondent-driven sampling (RDS)
survey of the same industry, 800 respondents each. Entered by hand from the published abstract
(the figures marked V in ../shared/reference/domain.md, section 3.4).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None  # typed from the publication

PUBLICATION = ("Hameed, W., Wirtz, A., Lakhani, S., Mahnoor Rizvi, S., Nafees, A. A., Shah, S., "
               "Fatmi, Z. and Robinson, W. C., Estimating Prevalence of Forced Labor in the Brick "
               "Kiln Industry in Pakistan: A Comparison of Two Sampling Methodologies")
WHERE = "abstract (results), as listed by the Global Association of Human Trafficking Scholars"

# (design, description, respondents, prevalence %, 95% CI lower %, 95% CI upper %)
ROWS = [
    ("PPS", "multi-stage probability proportional to size cluster survey", 800, 16.5, 12.1, 22.2),
    ("RDS", "respondent-driven sampling survey", 800, 33.6, 29.0, 38.7),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["design", "description", "respondents", "prevalence_pct",
                                     "ci_lower_pct", "ci_upper_pct"])
    df["definition"] = "forced labour: at least one of two thresholds built from the indicators"
    df["status"] = "V"
    df["source"] = f"{PUBLICATION}; {WHERE}"
    return df


RESOURCE = {
    "name": "hameed_brick_kilns",
    "title": "Forced labour among brick-kiln workers in Sindh, Pakistan: PPS versus RDS estimates",
    "description": (
        "Published estimates of the share of brick-kiln workers in forced labour in Sindh "
        "province, Pakistan, from two surveys of the same industry run side by side: a "
        "multi-stage probability-proportional-to-size (PPS) cluster survey and a "
        "respondent-driven sampling (RDS) survey, 800 respondents each (Hameed et al.). A worker "
        "counts as in forced labour when passing at least one of two thresholds built from the "
        "forced-labour indicators. `prevalence_pct` is the weighted estimate in per cent, "
        "`ci_lower_pct` and `ci_upper_pct` its published 95% confidence interval (not "
        "symmetric). Two rows: one per design."
    ),
    "years": "survey year not recorded in this table",
    "modules": [4],
    "sources": [
        {"title": "Estimating Prevalence of Forced Labor in the Brick Kiln Industry in Pakistan: "
                  "A Comparison of Two Sampling Methodologies",
         "publisher": "Hameed, W., Wirtz, A., Lakhani, S., Mahnoor Rizvi, S., Nafees, A. A., "
                      "Shah, S., Fatmi, Z. and Robinson, W. C. (publication page of the Global "
                      "Association of Human Trafficking Scholars)",
         "edition": "abstract as listed (n.d.)",
         "table": "abstract, results: prevalence of forced labour with 95% CI by design",
         "path": "https://www.gahts.com/publications/wjs888xnz4pacfg-hd2ll-27nb9-fater-bztkb-"
                 "ea4d6-ey6lz-9ypp7-5xg3w-jrsl2-r7p72-ljyrb-tswpk-9df64-grfk2-xm93c-p3sh8-"
                 "7sjyn-mw2m4-we2rl-fkm6h-ey2mb-g4p6k-9gh8w-grcjp-l4nbn"},
    ],
    "licenses": [{"name": "other-at",
                  "title": "Published statistics quoted as facts with attribution (the "
                           "publication's own terms not checked further)"}],
    "derivation": (
        "Typed by hand in datasets/build/hameed_brick_kilns.py from the figures marked V in "
        "../shared/reference/domain.md, section 3.4 (read on the gahts.com publication page)."
    ),
    "citation": (
        "Hameed, W., Wirtz, A., Lakhani, S., Mahnoor Rizvi, S., Nafees, A. A., Shah, S., Fatmi, "
        "Z. and Robinson, W. C., Estimating Prevalence of Forced Labor in the Brick Kiln Industry "
        "in Pakistan: A Comparison of Two Sampling Methodologies (abstract). Compiled in: From "
        "Research to Action course, datasets/hameed_brick_kilns.csv."
    ),
    "schema": {
        "fields": [
            {"name": "design", "type": "string", "title": "Survey design",
             "constraints": {"required": True, "enum": ["PPS", "RDS"]}},
            {"name": "description", "type": "string", "title": "What the design is",
             "constraints": {"required": True}},
            {"name": "respondents", "type": "integer", "title": "Respondents (count)",
             "constraints": {"required": True, "minimum": 1}},
            {"name": "prevalence_pct", "type": "number",
             "title": "Workers in forced labour, % (weighted estimate)",
             "constraints": {"required": True, "minimum": 0, "maximum": 100}},
            {"name": "ci_lower_pct", "type": "number", "title": "95% CI, lower end, %",
             "constraints": {"required": True, "minimum": 0, "maximum": 100}},
            {"name": "ci_upper_pct", "type": "number", "title": "95% CI, upper end, %",
             "constraints": {"required": True, "minimum": 0, "maximum": 100}},
            {"name": "definition", "type": "string", "title": "Who counts as in forced labour",
             "constraints": {"required": True}},
            {"name": "status", "type": "string", "title": "V: verified (domain reference)",
             "constraints": {"required": True, "enum": ["V"]}},
            {"name": "source", "type": "string", "title": "Publication and where the figure is",
             "constraints": {"required": True}},
        ],
        "primaryKey": ["design"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
