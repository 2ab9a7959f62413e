"""survey_design_parameters: published design parameters of MICS household samples.

The planning values that UNICEF's MICS programme recommends for the sample design of a
Multiple Indicator Cluster Survey, and the design of one named MICS survey (Malawi MICS 2006).
Entered by hand from the publications named in each row; the course uses them to build a
SIMULATED two-stage stratified cluster sample (module 1, chapter 4 and exercise) and for the
sample-size calculation. Where checked: copies of the documents found with the course's search
tool (see `verified_in`), read on 1 December 2026.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None  # typed from the publications

WORKSHOP = ("UNICEF, MICS4 Survey Design Workshop, presentation 'Advanced sampling', slide "
            "'MICS recommendations on sample size determinants'")
MALAWI = ("National Statistical Office of Malawi and UNICEF, Malawi Multiple Indicator Cluster "
          "Survey 2006, study description: sample size and sample design")

# (source_id, parameter, value, unit, meaning, publication, verified_in)
ROWS: list[tuple[str, str, float, str, str, str, str]] = [
    ("mics4_workshop", "design_effect", 1.5, "ratio",
     "design effect to assume for cluster surveys when no country data are available",
     WORKSHOP, "studylib.net/doc/5809491/advanced-sampling"),
    ("mics4_workshop", "nonresponse_rate", 10, "percent",
     "expected non-response rate to assume when no country data are available",
     WORKSHOP, "studylib.net/doc/5809491/advanced-sampling"),
    ("mics4_workshop", "relative_margin_of_error", 12, "percent",
     "margin of error wanted, as a percentage of the indicator's value",
     WORKSHOP, "studylib.net/doc/5809491/advanced-sampling"),
    ("mics4_workshop", "confidence_level", 95, "percent", "level of confidence wanted",
     WORKSHOP, "studylib.net/doc/5809491/advanced-sampling"),
    ("mics4_workshop", "clusters_min", 300, "clusters",
     "number of clusters (PSUs) in the national sample, lower end of the recommended range",
     WORKSHOP, "studylib.net/doc/5809491/advanced-sampling"),
    ("mics4_workshop", "clusters_max", 400, "clusters",
     "number of clusters (PSUs) in the national sample, upper end of the recommended range",
     WORKSHOP, "studylib.net/doc/5809491/advanced-sampling"),
    ("mics4_workshop", "households_per_cluster_min", 15, "households",
     "cluster size, lower end of the recommended range", WORKSHOP,
     "studylib.net/doc/5809491/advanced-sampling"),
    ("mics4_workshop", "households_per_cluster_max", 35, "households",
     "cluster size, upper end of the recommended range", WORKSHOP,
     "studylib.net/doc/5809491/advanced-sampling"),
    ("malawi_mics_2006", "districts", 26, "districts",
     "districts covered, each a sampling domain (two small districts merged with neighbours)",
     MALAWI, "datacatalog.ihsn.org/catalog/915/study-description"),
    ("malawi_mics_2006", "clusters_per_district", 40, "clusters",
     "census enumeration areas selected per district with probability proportional to size",
     MALAWI, "datacatalog.ihsn.org/catalog/915/study-description"),
    ("malawi_mics_2006", "households_per_cluster", 30, "households",
     "households drawn by systematic sampling from a fresh listing of each selected area",
     MALAWI, "datacatalog.ihsn.org/catalog/915/study-description"),
    ("malawi_mics_2006", "households_per_district", 1200, "households",
     "households per district (equal allocation)", MALAWI,
     "datacatalog.ihsn.org/catalog/915/study-description"),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["source_id", "parameter", "value", "unit", "meaning",
                                     "publication", "verified_in"])
    df["status"] = "V"
    return df


RESOURCE = {
    "name": "survey_design_parameters",
    "title": "MICS sample design parameters: planning values and one survey's design",
    "description": (
        "Published design parameters of Multiple Indicator Cluster Survey (MICS) household "
        "samples: the planning values UNICEF's MICS4 survey design workshop recommends when a "
        "country has no data of its own (design effect, non-response, relative margin of error, "
        "confidence level, number of clusters, households per cluster), and the design of the "
        "Malawi MICS 2006 (districts as domains, enumeration areas selected with probability "
        "proportional to size, a fixed number of households per cluster). One row per "
        "(source, parameter). Used by the course to simulate a two-stage stratified cluster "
        "sample (clearly labelled simulated) and to compute sample sizes."
    ),
    "years": "2006-2010",
    "modules": [1],
    "sources": [
        {"title": "MICS4 Survey Design Workshop: Advanced sampling (presentation)",
         "publisher": "UNICEF, Multiple Indicator Cluster Surveys programme",
         "edition": "MICS4 round",
         "table": "slide 'MICS recommendations on sample size determinants'",
         "path": "https://mics.unicef.org/"},
        {"title": "Malawi Multiple Indicator Cluster Survey 2006: study description",
         "publisher": "National Statistical Office of Malawi; UNICEF",
         "edition": "MICS3, 2006 (IHSN survey catalogue entry MWI_2006_MICS_v01_M)",
         "table": "sampling procedure: sample size and sample design",
         "path": "http://datacatalog.ihsn.org/catalog/915/study-description"},
    ],
    "licenses": [{"name": "other-at",
                  "title": "Design parameters quoted as facts with attribution to the "
                           "publishers"}],
    "derivation": (
        "Typed by hand in datasets/build/survey_design_parameters.py from the two documents "
        "named in each row (column `verified_in` gives the copy that was read)."
    ),
    "citation": (
        "UNICEF, MICS4 Survey Design Workshop, 'Advanced sampling'; National Statistical Office "
        "of Malawi and UNICEF, Malawi Multiple Indicator Cluster Survey 2006, study description. "
        "Compiled in: From Research to Action course, datasets/survey_design_parameters.csv."
    ),
    "schema": {
        "fields": [
            {"name": "source_id", "type": "string", "title": "Short name of the source",
             "constraints": {"required": True,
                             "enum": ["mics4_workshop", "malawi_mics_2006"]}},
            {"name": "parameter", "type": "string", "title": "Design parameter",
             "constraints": {"required": True}},
            {"name": "value", "type": "number", "title": "Value, in `unit`",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "unit", "type": "string", "title": "Unit of `value`",
             "constraints": {"required": True}},
            {"name": "meaning", "type": "string", "title": "What the parameter is",
             "constraints": {"required": True}},
            {"name": "publication", "type": "string", "title": "Publication and place in it",
             "constraints": {"required": True}},
            {"name": "verified_in", "type": "string", "title": "Copy of the document read",
             "constraints": {"required": True}},
            {"name": "status", "type": "string", "title": "V: verified in the publication",
             "constraints": {"required": True, "enum": ["V"]}},
        ],
        "primaryKey": ["source_id", "parameter"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
