"""mse_published_estimates: the published result of the UK 2013 multiple systems estimation.

The range that the Home Office itself published, so that the course can compare its own
reproductions from the overlap table (`mse_overlap`) with it without typing figures into
prose. Entered by hand; only figures marked V in ../shared/reference/domain.md (section
3.3.1), checked on the page named in `where`. The Netherlands figures are in
`sdg1622_published`.
Not included (not verified): a published UK central estimate.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None  # typed from the publication

UK = ("Home Office / B. W. Silverman (2014), Modern Slavery: an application of multiple systems "
      "estimation, London, 29 November 2014")
UK_PAGE = ("gov.uk publication page: 'an estimate of between 10 thousand and 13 thousand, in "
           "total, of potential victims in the UK in 2013'")

# (study, measure, value, unit, note, source, where)
ROWS: list[tuple[str, str, float, str, str, str, str]] = [
    ("uk_2013", "estimate_lower", 10_000, "people",
     "potential victims in the UK in 2013, known cases plus the dark figure; lower end of the "
     "published range", UK, UK_PAGE),
    ("uk_2013", "estimate_upper", 13_000, "people",
     "upper end of the published range", UK, UK_PAGE),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["study", "measure", "value", "unit", "note", "source",
                                     "where"])
    df["status"] = "V"
    return df


RESOURCE = {
    "name": "mse_published_estimates",
    "title": "Multiple systems estimation: the UK 2013 result as published",
    "description": (
        "The range that the Home Office published for all potential victims of modern slavery "
        "in the UK in 2013 (the cases already known plus the estimated dark figure), from a "
        "multiple systems estimation on the 2013 NCA Strategic Assessment. One row per study "
        "and measure; `value` in the unit given; `where` quotes the page on which the figure "
        "was read. For comparison with the course's own reproductions from the overlap table "
        "in `mse_overlap`. No central estimate is included: none was verified."
    ),
    "years": "2013",
    "modules": [6, 11],
    "sources": [
        {"title": "Modern Slavery: an application of multiple systems estimation",
         "publisher": "Home Office (UK); B. W. Silverman, Chief Scientific Adviser",
         "edition": "29 November 2014 (data: 2013 NCA Strategic Assessment)",
         "table": "summary on the publication page",
         "path": "https://www.gov.uk/government/publications/"
                 "modern-slavery-an-application-of-multiple-systems-estimation"},
    ],
    "licenses": [{"name": "other-at",
                  "title": "Published figures quoted as facts with attribution (gov.uk "
                           "publication page)"}],
    "derivation": (
        "Typed by hand in datasets/build/mse_published_estimates.py from the figures marked V in "
        "../shared/reference/domain.md, section 3.3.1, read again on the gov.uk page named in "
        "the `where` column."
    ),
    "citation": (
        "Home Office / Silverman (2014), Modern Slavery: an application of multiple systems "
        "estimation, London. Compiled in: From Research to Action course, "
        "datasets/mse_published_estimates.csv."
    ),
    "schema": {
        "fields": [
            {"name": "study", "type": "string", "title": "Study (country and period)",
             "constraints": {"required": True}},
            {"name": "measure", "type": "string", "title": "What the figure is",
             "constraints": {"required": True, "enum": ["estimate_lower", "estimate_upper"]}},
            {"name": "value", "type": "number", "title": "Published figure",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "unit", "type": "string", "title": "Unit",
             "constraints": {"required": True}},
            {"name": "note", "type": "string", "title": "What is counted"},
            {"name": "source", "type": "string", "title": "Publication",
             "constraints": {"required": True}},
            {"name": "where", "type": "string", "title": "Where the figure was read",
             "constraints": {"required": True}},
            {"name": "status", "type": "string", "title": "V: verified (domain reference)",
             "constraints": {"required": True, "enum": ["V"]}},
        ],
        "primaryKey": ["study", "measure"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
