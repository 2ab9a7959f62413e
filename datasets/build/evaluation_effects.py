"""evaluation_effects: published effects of cash transfer and schooling-incentive evaluations on child work.

Hand-entered (RAW = None). Each row is one effect exactly as the named source states it, on the
scale the source uses, with the place where it was checked. Standard errors: none could be read
from the papers' tables with the course's search tools, so `se` is empty in every row and
`se_note` says why; no standard error is guessed. Rows with no number (the source states only
the direction and significance) have `effect` empty and `direction` filled.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main as _main  # noqa: E402

RAW = None  # typed from the publications and CLEAR's study reviews

CLEAR = "https://clear.dol.gov/study/"
NO_SE = "not verified: the paper's regression table could not be read; no standard error is entered"

# (study key, citation, programme, iso3, design, outcome, sample, effect, unit, direction,
#  CLEAR rating, checked in)
ROWS: list[tuple] = [
    ("edmonds_schady2012", "Edmonds and Schady (2012), AEJ: Economic Policy 4(4): 100-124",
     "Bono de Desarrollo Humano (BDH), unconditional in practice", "ECU",
     "RCT (household lottery); effect for compliers", "paid employment (work for pay)",
     "children in lottery households", -78.0, "% of control-group level", "reduced", "high",
     "published abstract (domain reference, status V: NBER w15345 and AEJ abstract); "
     + CLEAR + "poverty-alleviation-and-child-labor-edmonds-schady-2012"),
    ("edmonds_schady2012", "Edmonds and Schady (2012), AEJ: Economic Policy 4(4): 100-124",
     "Bono de Desarrollo Humano (BDH), unconditional in practice", "ECU",
     "RCT (household lottery); effect for compliers", "unpaid economic activity at home",
     "children in lottery households", -32.0, "% of control-group level", "reduced", "high",
     "published abstract (domain reference, status V)"),
    ("schady_araujo2006", "Schady and Araujo (2006), World Bank Policy Research Working Paper 3930",
     "Bono de Desarrollo Humano (BDH)", "ECU", "RCT", "child work", "children aged 6-17",
     -17.0, "percentage points (about)", "reduced", "low",
     "abstract, https://openknowledge.worldbank.org/handle/10986/8452; CLEAR study review "
     "(low: attrition unknown, baseline equivalence not shown)"),
    ("gee2010", "Gee (2010), Development Policy Review 28(6): 711-732",
     "Red de Proteccion Social (RPS), conditional", "NIC", "RCT, surveys 2000 and 2002",
     "probability that a child works", "children in RPS evaluation districts", -10.6,
     "per cent (about), as stated by CLEAR", "reduced", "high",
     CLEAR + "reducing-child-labour-through-conditional-cash-transfers-evidence-nicaraguas-"
     "red-de-protecci%C3%B3n"),
    ("gee2010", "Gee (2010), Development Policy Review 28(6): 711-732",
     "Red de Proteccion Social (RPS), conditional", "NIC", "RCT, surveys 2000 and 2002",
     "weekly hours worked, children who work", "working children", -3.65,
     "hours per week (about)", "reduced", "high", "CLEAR study review (as above)"),
    ("edmonds_shrestha2014", "Edmonds and Shrestha (2014), Journal of Development Economics 111: "
     "196-211", "scholarship plus in-kind stipend conditional on attendance, carpet sector",
     "NPL", "RCT (two treatment arms)", "carpet weaving (scholarship-plus-stipend arm)",
     "children associated with carpet factories, Kathmandu", -48.0, "%", "reduced", "high",
     "published abstract, https://dspace.mit.edu/handle/1721.1/118932; CLEAR's review "
     "(high) summarises the scholarship-only arm, which had no significant effect"),
    ("delcarpio_macours2010", "Del Carpio and Macours (2010), in Akee, Edmonds and Tatsiramos "
     "(eds.), Child Labor and the Transition Between School and Work, pp. 259-295",
     "Atencion a Crisis, conditional (all treatment arms)", "NIC", "RCT",
     "boys' weekly hours of economic work, relative to girls",
     "households with two or more children", -1.3, "hours per week", "reduced", "high",
     CLEAR + "Leveling-intra-household-playing-field-Compensation-and-specialization-child-"
     "labor-4"),
    ("delcarpio_etal2016", "Del Carpio, Loayza and Wada (2016), World Development 80: 33-47",
     "Atencion a Crisis, conditional (both treatment arms)", "NIC", "RCT",
     "overall child labour, household chores and farm work", "children aged 8-15", None,
     "", "reduced", "high",
     CLEAR + "impact-conditional-cash-transfers-amount-and-type-child-labor-del-carpio-et-al-2016"),
    ("delcarpio_etal2016", "Del Carpio, Loayza and Wada (2016), World Development 80: 33-47",
     "Atencion a Crisis, conditional transfer plus business grant", "NIC", "RCT",
     "skill-forming work (commerce, sales, manufacturing outside the home)",
     "children aged 8-15", None, "", "increased", "high",
     "CLEAR study review (as above); abstract, World Development 80"),
    ("maluccio2009", "Maluccio (2009), in Orazem, Sedlacek and Tzannatos (eds.), Child Labor and "
     "Education in Latin America, pp. 187-204", "Red de Proteccion Social (RPS), conditional",
     "NIC", "RCT (high attrition)", "child labour", "children aged 7-13", None, "", "reduced",
     "low", CLEAR + "education-and-child-labor-experimental-evidence-nicaraguan-conditional-"
     "cash-transfer-program (low: high attrition, baseline equivalence not shown)"),
]


def derive(raw: Path | None = None) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["study", "citation", "programme", "iso3", "design",
                                     "outcome", "sample", "effect", "unit", "direction",
                                     "clear_rating", "checked_in"])
    df["effect"] = df["effect"].astype(float)
    df["se"] = float("nan")
    df["se_note"] = NO_SE
    df["status"] = "V"
    return df


RESOURCE = {
    "name": "evaluation_effects",
    "title": "Published effects of cash transfer and schooling-incentive evaluations on child work",
    "description": (
        "One row per published effect on a child-work outcome from randomised evaluations of "
        "cash transfers and schooling incentives in Ecuador, Nicaragua and Nepal, exactly as the "
        "source states it: `effect` on the scale named in `unit` (per cent of the control "
        "level, percentage points, hours per week), or empty where the source gives only the "
        "direction (`direction`) and statistical significance. `clear_rating` is the US "
        "Department of Labor CLEAR rating of the study's causal evidence. `se` is empty in "
        "every row: no standard error could be verified from the papers' tables, so these "
        "effects cannot be pooled by inverse-variance weighting and are on different scales."
    ),
    "years": "2006-2016 (publication)",
    "modules": [9],
    "sources": [
        {"title": "Poverty alleviation and child labor", "publisher": "American Economic "
         "Association (AEJ: Economic Policy 4(4))", "edition": "2012",
         "table": "abstract", "path": "https://doi.org/10.1257/pol.4.4.100"},
        {"title": "Cash transfers, conditions, school enrollment, and child work: evidence from "
         "a randomized experiment in Ecuador", "publisher": "World Bank (PRWP 3930)",
         "edition": "2006", "table": "abstract",
         "path": "https://openknowledge.worldbank.org/handle/10986/8452"},
        {"title": "You get what you pay for: schooling incentives and child labor",
         "publisher": "Elsevier (Journal of Development Economics 111)", "edition": "2014",
         "table": "abstract", "path": "https://dspace.mit.edu/handle/1721.1/118932"},
        {"title": "CLEAR study reviews (Gee 2010; Del Carpio and Macours 2010; Del Carpio, "
         "Loayza and Wada 2016; Maluccio 2009; Schady and Araujo 2006)",
         "publisher": "US Department of Labor, Clearinghouse for Labor Evaluation and Research",
         "edition": "study review pages, topic area child labor (literature 2006-2018)",
         "table": "Highlights", "path": "https://clear.dol.gov/topic-area/child-labor"},
    ],
    "licenses": [{"name": "other-at",
                  "title": "Published findings quoted as facts with attribution"}],
    "derivation": (
        "Typed by hand in datasets/build/evaluation_effects.py from each publication's abstract "
        "or CLEAR's study review (column checked_in names the page); Edmonds and Schady (2012) "
        "figures are marked V in ../shared/reference/domain.md section 5."
    ),
    "citation": (
        "Edmonds and Schady (2012); Schady and Araujo (2006); Gee (2010); Edmonds and Shrestha "
        "(2014); Del Carpio and Macours (2010); Del Carpio, Loayza and Wada (2016); Maluccio "
        "(2009); CLEAR study reviews (US Department of Labor). Compiled in: From Research to "
        "Action course, datasets/evaluation_effects.csv."
    ),
    "schema": {
        "fields": [
            {"name": "study", "type": "string", "title": "Study key (course bibliography)",
             "constraints": {"required": True}},
            {"name": "citation", "type": "string", "title": "Publication",
             "constraints": {"required": True}},
            {"name": "programme", "type": "string", "title": "Programme evaluated",
             "constraints": {"required": True}},
            {"name": "iso3", "type": "string", "title": "Country (ISO 3166 alpha-3)",
             "constraints": {"required": True}},
            {"name": "design", "type": "string", "title": "Evaluation design",
             "constraints": {"required": True}},
            {"name": "outcome", "type": "string", "title": "Child-work outcome",
             "constraints": {"required": True}},
            {"name": "sample", "type": "string", "title": "Children studied"},
            {"name": "effect", "type": "number", "title": "Effect as stated (see unit)"},
            {"name": "unit", "type": "string", "title": "Scale of the effect"},
            {"name": "direction", "type": "string", "title": "Direction of the effect",
             "constraints": {"required": True,
                             "enum": ["reduced", "increased", "no significant difference"]}},
            {"name": "clear_rating", "type": "string", "title": "CLEAR causal evidence rating",
             "constraints": {"enum": ["high", "moderate", "low"]}},
            {"name": "checked_in", "type": "string", "title": "Where the figure was checked",
             "constraints": {"required": True}},
            {"name": "se", "type": "number", "title": "Standard error (empty: not verified)",
             "constraints": {"minimum": 0}},
            {"name": "se_note", "type": "string", "title": "Why the standard error is empty"},
            {"name": "status", "type": "string", "title": "V: verified in the named source",
             "constraints": {"required": True, "enum": ["V"]}},
        ],
        "primaryKey": ["study", "outcome"],
    },
}

if __name__ == "__main__":
    _main(derive, RESOURCE, RAW)
