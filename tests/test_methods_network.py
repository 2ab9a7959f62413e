"""Unit tests for course.methods.network against hand-computed values."""

import math

import numpy as np
import pytest

from course.methods import network as nw


def test_known_population_degree_by_hand():
    d = nw.known_population_degree([[1, 2], [0, 0], [3, 3]], [10, 30], 400)
    # 400 * (1 + 2) / 40 = 30; 0; 400 * 6 / 40 = 60
    assert np.allclose(d, [30.0, 0.0, 60.0])


def test_basic_scale_up_by_hand():
    assert nw.basic_scale_up([1, 3], [10, 30], 1000) == pytest.approx(100.0)
    assert nw.basic_scale_up([2, 0], [10, 30], 1000) == pytest.approx(50.0)
    # weights 3 and 1: 1000 * (3 * 2) / (3 * 10 + 30) = 100
    assert nw.basic_scale_up([2, 0], [10, 30], 1000, weights=[3, 1]) == pytest.approx(100.0)


def test_visibility_and_generalized_by_hand():
    # visibilities 2 and 2 to probe groups of 50 people in a frame of 1,000: 1000/50 * 2 = 40
    assert nw.visibility_known_population([[1, 1], [2, 0]], [10, 40], 1000) == pytest.approx(40.0)
    # weighted mean (1 * 1 + 3 * 3) / 4 = 2.5 -> 50
    assert nw.visibility_known_population([[1, 0], [3, 0]], [10, 40], 1000,
                                          weights=[1, 3]) == pytest.approx(50.0)
    # reports 1 and 3: total 1000 * 2 = 2000 reports; / visibility 40 = 50
    assert nw.generalized_scale_up([1, 3], [[1, 1], [2, 0]], [10, 40], 1000) == pytest.approx(50.0)


def test_adjustment_factors_link_basic_and_generalized():
    rng = np.random.default_rng(0)
    y = rng.poisson(2, 50)
    y_known = rng.poisson(3, (50, 4))
    v_known = rng.poisson(1, (20, 4))
    sizes, N = [100, 200, 300, 400], 10_000
    d = nw.known_population_degree(y_known, sizes, N)
    v = nw.visibility_known_population(v_known, sizes, N)
    f = nw.adjustment_factors(d.mean(), 25.0, v)
    assert f["degree_ratio"] == pytest.approx(25.0 / d.mean())
    assert f["transmission"] == pytest.approx(v / 25.0)
    # basic / (delta * tau) is the generalised estimate when both use the same frame sample
    basic = nw.basic_scale_up(y, d, N)
    assert basic / f["product"] == pytest.approx(nw.generalized_scale_up(y, v_known, sizes, N))


def test_rds2_by_hand():
    assert nw.rds2_proportion([1, 0], [1, 3]) == pytest.approx(0.75)
    assert np.allclose(nw.cumulative_estimates([1, 0], [1, 3]), [1.0, 0.75])


# six respondents: seeds 0; 0 recruits 1 and 2; 1 recruits 3; 2 recruits 4 and 5
Z = [0, 0, 1, 1, 0, 1]
REC = [-1, 0, 0, 1, 2, 2]
DEG = [2, 4, 1, 3, 2, 2]


def test_recruitment_matrix_by_hand():
    # 0->0 (row 1), 0->1 (rows 2, 3), 1->0 (row 4), 1->1 (row 5)
    assert nw.recruitment_matrix(Z, REC).tolist() == [[1, 2], [1, 1]]


def test_rds1_by_hand():
    # S01 = 2/3, S10 = 1/2; D0 = 3 / (1/2 + 1/4 + 1/2) = 2.4, D1 = 3 / (1 + 1/3 + 1/2) = 18/11
    # P1 = (2/3 * 2.4) / (2/3 * 2.4 + 1/2 * 18/11) = 88/133
    assert nw.rds1_proportion(Z, DEG, REC) == pytest.approx(88 / 133)


def test_rds1_undefined_without_cross_recruitment():
    assert math.isnan(nw.rds1_proportion([0, 0, 1], [2, 2, 2], [-1, 0, -1]))


def test_homophily_by_hand():
    # group 1: S11 = 1/2 >= 0.4 -> (0.5 - 0.4) / 0.6 = 1/6
    assert nw.homophily(Z, REC, 0.4) == pytest.approx(1 / 6)
    # group 0: P0 = 0.6, S00 = 1/3 < 0.6 -> (1/3 - 0.6) / 0.6
    assert nw.homophily(Z, REC, 0.4, group=0) == pytest.approx((1 / 3 - 0.6) / 0.6)


def test_estimates_by_wave_and_seed_by_hand():
    waves = nw.estimates_by_wave([1, 0, 0], [1, 3, 1], [0, 1, 1])
    assert waves["n"].tolist() == [1, 3]
    assert waves["estimate"].tolist() == pytest.approx([1.0, 1 / (1 + 1 / 3 + 1)])
    seeds = nw.estimates_by_seed([1, 0, 0, 1], [1, 1, 2, 2], [0, 0, 0, 3])
    assert seeds["seed"].tolist() == [0, 3]
    assert seeds["n"].tolist() == [3, 1]
    assert seeds["estimate"].tolist() == pytest.approx([0.4, 1.0])


def test_simulation_is_seeded_and_consistent():
    pop = nw.simulate_population(N=800, n_hidden=80, known_sizes=(20, 40, 60))
    again = nw.simulate_population(N=800, n_hidden=80, known_sizes=(20, 40, 60))
    assert (pop["degree"] == again["degree"]).all()
    assert pop["hidden"].sum() == 80
    assert (pop["y_known"].sum(axis=1) <= pop["degree"]).all()
    y_rep, v_known = nw.tie_awareness(pop, np.random.default_rng(1), awareness=1.0)
    assert (y_rep == pop["y_hidden"]).all()
    # every aware tie counted once from each end: reports by known-group members = visibility
    in_known = pop["group"] >= 0
    assert y_rep[in_known].sum() == v_known.sum()
    assert (v_known[~pop["hidden"]] == 0).all()
    sample = nw.rds_sample(pop, np.random.default_rng(2), n=60, n_seeds=4)
    rows = np.arange(len(sample))
    rec = sample["recruiter"].to_numpy()
    assert (rec < rows).all()
    is_seed = rec < 0
    assert (sample["seed"].to_numpy()[is_seed] == rows[is_seed]).all()
    assert (sample["wave"].to_numpy()[~is_seed] == sample["wave"].to_numpy()[rec[~is_seed]] + 1).all()
    assert (sample["seed"].to_numpy()[~is_seed] == sample["seed"].to_numpy()[rec[~is_seed]]).all()
