"""course.methods.mse: the log-linear MSE estimator against hand-computed and published values.

Reference values are those marked C (computed) in the project's domain reference, section 3.3.1
(the reproduction of the UK 2013 estimate) and section 8; the list-overlap tables are the
published UK 2013 tables (Silverman 2014, as in SparseMSE 2.0.1).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from course.data import load
from course.methods import latent_class, mse

UK6 = ["LA", "NG", "PF", "GO", "GP", "NCA"]
UK5 = ["LA", "NG", "PFNCA", "GO", "GP"]


@pytest.fixture(scope="module")
def overlap() -> pd.DataFrame:
    return load("mse_overlap")


@pytest.fixture(scope="module")
def uk6(overlap) -> pd.DataFrame:
    return mse.complete_table(overlap.query("dataset == 'uk_2013_6lists'"), UK6)


@pytest.fixture(scope="module")
def uk5(overlap) -> pd.DataFrame:
    return mse.complete_table(overlap.query("dataset == 'uk_2013_5lists'"), UK5)


def two_list_table(only_a: int, only_b: int, both: int) -> pd.DataFrame:
    return mse.complete_table(pd.DataFrame({"pattern": ["A", "B", "A+B"],
                                            "count": [only_a, only_b, both]}), ["A", "B"])


def test_lincoln_petersen_by_hand() -> None:
    # 40 on A, 30 on B, 10 on both: N = 40 * 30 / 10 = 120; Chapman 41 * 31 / 11 - 1
    assert mse.lincoln_petersen(40, 30, 10) == pytest.approx(120.0)
    assert mse.chapman(40, 30, 10) == pytest.approx(41 * 31 / 11 - 1)
    assert np.isnan(mse.lincoln_petersen(40, 30, 0))


def test_two_list_loglinear_model_is_lincoln_petersen() -> None:
    table = two_list_table(only_a=30, only_b=20, both=10)
    assert len(table) == 3 and table["count"].sum() == 60
    # The independence model is saturated on three cells: dark figure = 30 * 20 / 10 = 60.
    assert mse.fit(table).n_hat == pytest.approx(120.0, rel=1e-8)
    assert mse.fit(table).dark == pytest.approx(60.0, rel=1e-8)
    assert mse._quick_fit(table).n_hat == pytest.approx(120.0, rel=1e-8)


def test_complete_table(uk6, overlap) -> None:
    assert list(uk6.columns) == UK6 + ["count"]
    assert len(uk6) == 63 and int((uk6["count"] == 0).sum()) == 38
    assert int(uk6["count"].sum()) == 2744
    assert {mse.shares(uk6, c, c) for c in ["LA"]} == {94}  # a list's own size
    with pytest.raises(ValueError, match="patterns not made of the lists"):
        mse.complete_table(overlap.query("dataset == 'uk_2013_6lists'"), UK5)


def test_uk_independence_reproduction(uk6, uk5) -> None:
    # domain.md 3.3.1 (C): 6 lists 12,214 (10,985-13,641); 5 lists 13,444 (11,995-15,166)
    assert mse.fit(uk6).n_hat == pytest.approx(12214, rel=1e-3)
    lo, hi = mse.profile_ci(uk6)
    assert lo == pytest.approx(10985, rel=2e-3) and hi == pytest.approx(13641, rel=2e-3)
    assert mse.fit(uk5).n_hat == pytest.approx(13444, rel=1e-3)
    lo, hi = mse.profile_ci(uk5)
    assert lo == pytest.approx(11995, rel=2e-3) and hi == pytest.approx(15166, rel=2e-3)


def test_zero_cells_matter(uk6) -> None:
    # domain.md section 8 (C): omitting the zero cells gives 11,653 instead of 12,214
    assert mse.fit(uk6[uk6["count"] > 0]).n_hat == pytest.approx(11653, rel=1e-3)


def test_uk_stepwise_reproduction(uk6, uk5) -> None:
    terms, path = mse.stepwise(uk5)
    assert terms == [("LA", "NG"), ("NG", "GP"), ("PFNCA", "GP"), ("LA", "PFNCA"),
                     ("GO", "GP"), ("NG", "GO")]
    assert path[0][0] == "independence" and len(path) == 7
    assert path[-1][1] == pytest.approx(11313, rel=1e-3)
    assert mse.fit(uk5, terms).n_hat == pytest.approx(path[-1][1], rel=1e-6)
    lo, hi = mse.profile_ci(uk5, terms)
    assert lo == pytest.approx(9891, rel=5e-3) and hi == pytest.approx(13053, rel=5e-3)
    strict, strict_path = mse.stepwise(uk5, p_threshold=0.001)
    assert strict == [("LA", "NG")] and strict_path[-1][1] == pytest.approx(14218, rel=1e-3)
    terms6, path6 = mse.stepwise(uk6)
    assert set(terms6) == {("PF", "NCA"), ("LA", "NG"), ("NG", "GP"), ("LA", "PF"),
                           ("PF", "GP"), ("GO", "GP"), ("NG", "GO")}
    assert path6[-1][1] == pytest.approx(11418, rel=1e-3)


def test_fast_solver_matches_statsmodels(uk5) -> None:
    candidates = mse.candidate_pairs(uk5)
    assert ("LA", "GP") not in candidates  # they share nobody
    for k in (0, 1, 3, 6):
        terms = candidates[:k]
        slow, fast = mse.fit(uk5, terms), mse._quick_fit(uk5, terms)
        assert fast.n_hat == pytest.approx(slow.n_hat, rel=1e-6)
        assert fast.aic == pytest.approx(slow.aic, abs=1e-6)
        assert fast.pvalues.to_numpy() == pytest.approx(slow.pvalues.to_numpy(), abs=1e-6)


def test_all_models(uk5) -> None:
    models = mse.all_models(uk5)
    n_cand = len(mse.candidate_pairs(uk5))
    assert len(models) == 2 ** n_cand
    assert models["delta_aic"].min() == 0 and models["delta_aic"].is_monotonic_increasing
    best = models.iloc[0]
    assert set(best["terms"]) == set(mse.stepwise(uk5)[0])  # the stepwise model is the AIC best
    assert best["estimate"] == pytest.approx(11313, rel=1e-3)
    capped = mse.all_models(uk5, max_terms=1)
    assert len(capped) == 1 + n_cand


def test_bootstrap_reselects_the_model(uk5) -> None:
    boot = mse.bootstrap_stepwise(uk5, reps=12, seed=3)
    again = mse.bootstrap_stepwise(uk5, reps=12, seed=3)
    assert len(boot) == 12 and boot["estimate"].tolist() == again["estimate"].tolist()
    assert (boot["estimate"] > 2744).all()
    assert boot["terms"].nunique() > 1  # the selected model differs between resamples


def test_bootstrap_of_a_dense_table_is_centred() -> None:
    # Three independent lists with large counts: the bootstrap should centre on the estimate.
    rng_free = {"A": 400, "B": 300, "C": 200, "A+B": 120, "A+C": 80, "B+C": 60, "A+B+C": 24}
    table = mse.complete_table(pd.DataFrame({"pattern": list(rng_free),
                                             "count": list(rng_free.values())}), ["A", "B", "C"])
    boot = mse.bootstrap_stepwise(table, reps=40, seed=1)
    point = mse.stepwise(table)[1][-1][1]
    assert abs(boot["estimate"].median() - point) < 0.1 * point


def test_latent_class_recovers_a_known_population() -> None:
    # Expected counts from two groups of 500: one easy to find (p = 0.5 on each of 5 lists),
    # one hard to find (p = 0.1). The true total is 1,000.
    rows = []
    for bits in itertools.product([0, 1], repeat=5):
        if any(bits):
            s = sum(bits)
            mu = 500 * 0.5 ** 5 + 500 * 0.1 ** s * 0.9 ** (5 - s)
            key = "+".join(c for c, b in zip("ABCDE", bits, strict=True) if b)
            rows.append({"pattern": key, "count": mu})
    table = mse.complete_table(pd.DataFrame(rows), list("ABCDE")).astype(float)
    table["count"] = [r["count"] for r in rows]
    fit = mse.latent_class(table, classes=2, grid=np.geomspace(700, 3000, 12))
    probs = np.sort(fit["probs"].mean(axis=1).to_numpy())
    assert probs == pytest.approx([0.1, 0.5], abs=0.03)  # the two groups are found
    # N itself is only weakly identified (the likelihood is flat above the truth, as Link 2003
    # showed for heterogeneity models), so check the likelihood, not the point estimate:
    x, y = table[list("ABCDE")].to_numpy(float), table["count"].to_numpy(float)
    at_truth = latent_class._lc_fixed(x, y, 1000.0, None, np.random.default_rng(0), 3, 5000)[0]
    assert fit["loglik"] - at_truth < 0.1
    assert fit["n_hat"] > 900
    # and the independence model, which ignores the hard-to-find group, is far too low
    assert mse.fit(table).n_hat < 900
