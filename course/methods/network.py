"""Network methods for hidden populations: scale-up (NSUM, generalised NSUM) and RDS.

Written once here and used by Module 7's chapters. Every function takes plain arrays and
returns plain Python floats, NumPy arrays or pandas tables. The graded exercise does not import
this module: students write the estimators themselves.

Scale-up estimators
    known_population_degree   Killworth et al. (1998): d_i = N * sum_k y_ik / sum_k N_k
    basic_scale_up            Killworth et al. (1998): N_H = N * sum_i y_i / sum_i d_i
    visibility_known_population, generalized_scale_up, adjustment_factors
                              Feehan & Salganik (2016), Sociological Methodology 46(1):153-186

Respondent-driven sampling (RDS)
    rds2_proportion           Volz & Heckathorn (2008): mean weighted by 1 / degree
    rds1_proportion           Salganik & Heckathorn (2004): from cross-group recruitment and
                              the multiplicity (harmonic-mean) estimate of each group's degree
    recruitment_matrix, homophily
                              Heckathorn (2002): H = (S_AA - P_A) / (1 - P_A) if S_AA >= P_A,
                              else (S_AA - P_A) / P_A
    cumulative_estimates, estimates_by_wave, estimates_by_seed
                              diagnostics: convergence (estimate vs recruitment order or wave)
                              and bottlenecks (estimate by seed tree)

Simulation (for teaching; the truth is known)
    simulate_population, tie_awareness, nsum_survey, hidden_sample, rds_sample
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------------
# Network scale-up


def known_population_degree(y_known, known_sizes, N) -> np.ndarray:
    """Known-population estimate of each respondent's degree (personal network size).

    `y_known` has one row per respondent and one column per group of known size `known_sizes`
    in a population of size `N`:  d_i = N * sum_k y_ik / sum_k N_k.
    """
    y = np.atleast_2d(np.asarray(y_known, dtype=float))
    return float(N) * y.sum(axis=1) / float(np.sum(known_sizes))


def _weights(w, n):
    return np.ones(n) if w is None else np.asarray(w, dtype=float)


def basic_scale_up(y_hidden, d_hat, N, weights=None) -> float:
    """Basic scale-up estimate N * sum_i w_i y_i / sum_i w_i d_i (w = sampling weights)."""
    y = np.asarray(y_hidden, dtype=float)
    d = np.asarray(d_hat, dtype=float)
    w = _weights(weights, len(y))
    return float(N * np.sum(w * y) / np.sum(w * d))


def visibility_known_population(v_known, known_sizes, N_F, weights=None) -> float:
    """Average visibility of the hidden population to the frame, from the enriched sample.

    Each row of `v_known` is one sampled member of the hidden population; each column counts
    the people in one *probe* group of known size (`known_sizes`, all inside the frame of size
    `N_F`) who know the respondent AND know that the respondent is in the hidden group. The
    probe groups stand in for the frame, so the mean visibility is scaled by N_F / N_A
    (Feehan & Salganik 2016). `weights` are the hidden sample's weights (e.g. 1 / degree for an
    RDS sample); the estimate is a weighted mean.
    """
    v = np.atleast_2d(np.asarray(v_known, dtype=float)).sum(axis=1)
    w = _weights(weights, len(v))
    return float(N_F / float(np.sum(known_sizes)) * np.sum(w * v) / np.sum(w))


def generalized_scale_up(y_hidden, v_known, known_sizes, N_F,
                         frame_weights=None, hidden_weights=None) -> float:
    """Generalised scale-up estimate (Feehan & Salganik 2016): N_H = y_{F,H} / v_{H,F}.

    The numerator is the estimated total number of hidden-group members reported by the frame
    population (N_F times the weighted mean report of the frame sample); the denominator is the
    hidden group's average visibility, estimated from the enriched sample of the hidden group
    with `visibility_known_population`. No frame degrees are needed.
    """
    y = np.asarray(y_hidden, dtype=float)
    w = _weights(frame_weights, len(y))
    total_reports = N_F * np.sum(w * y) / np.sum(w)
    return float(total_reports / visibility_known_population(v_known, known_sizes, N_F,
                                                             hidden_weights))


def adjustment_factors(mean_frame_degree, mean_hidden_degree, mean_hidden_visibility) -> dict:
    """Decompose the basic estimator's bias (Feehan & Salganik 2016), with no false reports.

    degree_ratio  delta = average degree of hidden-group members / average degree in the frame
    transmission  tau   = average visibility / average degree of hidden-group members
    product       delta * tau = visibility / frame degree; basic estimate / product = generalised
    """
    delta = float(mean_hidden_degree) / float(mean_frame_degree)
    tau = float(mean_hidden_visibility) / float(mean_hidden_degree)
    return {"degree_ratio": delta, "transmission": tau, "product": delta * tau}


# --------------------------------------------------------------------------------------------
# Respondent-driven sampling estimators


def rds2_proportion(trait, degree) -> float:
    """RDS-II (Volz-Heckathorn) estimate: sum z_i / d_i over sum 1 / d_i."""
    z = np.asarray(trait, dtype=float)
    w = 1.0 / np.asarray(degree, dtype=float)
    return float(np.sum(z * w) / np.sum(w))


def recruitment_matrix(trait, recruiter) -> np.ndarray:
    """2 x 2 counts of recruitments: row = recruiter's trait (0, 1), column = recruit's trait.

    `recruiter` gives, for each respondent, the row index (0 .. n-1) of the respondent who
    recruited them, or -1 for a seed.
    """
    z = np.asarray(trait).astype(int)
    r = np.asarray(recruiter).astype(int)
    has = r >= 0
    counts = np.zeros((2, 2), dtype=int)
    np.add.at(counts, (z[r[has]], z[has]), 1)
    return counts


def _multiplicity_degree(z, d, value):
    """Multiplicity (harmonic-mean) estimate of a group's mean degree (Heckathorn 2002)."""
    sel = z == value
    return float(sel.sum() / np.sum(1.0 / d[sel]))


def rds1_proportion(trait, degree, recruiter) -> float:
    """RDS-I (Salganik-Heckathorn 2004) estimate of the proportion with trait = 1.

    Cross-group ties are reciprocal, so in the population P_A S_AB D_A = P_B S_BA D_B, which
    gives P_B = S_AB D_A / (S_AB D_A + S_BA D_B); S are the recruitment proportions across
    groups and D the multiplicity estimates of the groups' mean degrees. Returns NaN when the
    estimate is undefined (one group recruited nobody, or no recruitment crossed groups).
    """
    z = np.asarray(trait).astype(int)
    d = np.asarray(degree, dtype=float)
    m = recruitment_matrix(z, recruiter)
    if (m.sum(axis=1) == 0).any() or m[0, 1] + m[1, 0] == 0:
        return float("nan")         # undefined: a group recruited nobody, or no cross-group ties
    s01 = m[0, 1] / m[0].sum()      # share of trait-0 recruiters' recruits with trait 1
    s10 = m[1, 0] / m[1].sum()
    d0, d1 = _multiplicity_degree(z, d, 0), _multiplicity_degree(z, d, 1)
    return float(s01 * d0 / (s01 * d0 + s10 * d1))


def homophily(trait, recruiter, p_population, group=1) -> float:
    """Heckathorn's (2002) homophily of `group` (0 or 1), from -1 (avoids own group) to +1.

    H = (S_AA - P_A) / (1 - P_A) if S_AA >= P_A, else (S_AA - P_A) / P_A, where S_AA is the
    share of the group's recruits who are in the same group and P_A the group's estimated share
    of the population (`p_population` is the estimated share with trait = 1).
    """
    m = recruitment_matrix(trait, recruiter)
    s_aa = m[group, group] / m[group].sum()
    p_a = float(p_population) if group == 1 else 1.0 - float(p_population)
    return float((s_aa - p_a) / (1.0 - p_a) if s_aa >= p_a else (s_aa - p_a) / p_a)


# --------------------------------------------------------------------------------------------
# RDS diagnostics


def cumulative_estimates(trait, degree) -> np.ndarray:
    """RDS-II estimate from the first k respondents, k = 1 .. n (rows in recruitment order)."""
    z = np.asarray(trait, dtype=float)
    w = 1.0 / np.asarray(degree, dtype=float)
    return np.cumsum(z * w) / np.cumsum(w)


def estimates_by_wave(trait, degree, wave) -> pd.DataFrame:
    """RDS-II estimate from all respondents up to and including each wave (0 = seeds)."""
    z = np.asarray(trait, dtype=float)
    d = np.asarray(degree, dtype=float)
    wv = np.asarray(wave).astype(int)
    rows = [{"wave": int(k), "n": int((wv <= k).sum()),
             "estimate": rds2_proportion(z[wv <= k], d[wv <= k])} for k in np.unique(wv)]
    return pd.DataFrame(rows)


def estimates_by_seed(trait, degree, seed) -> pd.DataFrame:
    """Size and RDS-II estimate of each seed's recruitment tree (a bottleneck check)."""
    z = np.asarray(trait, dtype=float)
    d = np.asarray(degree, dtype=float)
    s = np.asarray(seed)
    rows = [{"seed": int(k), "n": int((s == k).sum()),
             "estimate": rds2_proportion(z[s == k], d[s == k])} for k in np.unique(s)]
    return pd.DataFrame(rows).sort_values("n", ascending=False, kind="stable")


# --------------------------------------------------------------------------------------------
# Simulation (teaching only)


def simulate_population(seed=7, N=5000, n_hidden=500, mean_degree=20.0, degree_ratio=0.5,
                        known_sizes=(60, 120, 180, 240, 300), extra_hidden_ties=0):
    """Random acquaintance network (Chung-Lu type) with a hidden group and known groups.

    Each person's expected number of ties is gamma distributed (shape 2) with mean
    `mean_degree`; hidden-group members' expectation is multiplied by `degree_ratio`; pairs
    are linked with probability proportional to the product of the expectations.
    `extra_hidden_ties` adds that many random ties between hidden-group members (homophily).
    """
    rng = np.random.default_rng(seed)
    hidden = np.zeros(N, dtype=bool)
    hidden[rng.choice(N, n_hidden, replace=False)] = True
    weight = rng.gamma(shape=2.0, scale=mean_degree / 2.0, size=N)
    weight[hidden] *= degree_ratio
    m = rng.poisson(weight.sum() / 2.0)
    p = weight / weight.sum()
    a, b = rng.choice(N, m, p=p), rng.choice(N, m, p=p)
    if extra_hidden_ties:
        members = np.flatnonzero(hidden)
        a = np.r_[a, rng.choice(members, extra_hidden_ties)]
        b = np.r_[b, rng.choice(members, extra_hidden_ties)]
    a, b = np.minimum(a, b)[a != b], np.maximum(a, b)[a != b]
    pairs = np.unique(a * N + b)
    a, b = pairs // N, pairs % N
    src, dst = np.r_[a, b], np.r_[b, a]
    order = np.argsort(src, kind="stable")
    degree = np.bincount(src, minlength=N)
    group = np.full(N, -1)
    members = rng.permutation(N)[: sum(known_sizes)]
    group[members] = np.repeat(np.arange(len(known_sizes)), known_sizes)
    y_known = np.column_stack([np.bincount(src, weights=(group[dst] == k), minlength=N)
                               for k in range(len(known_sizes))]).astype(int)
    y_hidden = np.bincount(src, weights=hidden[dst], minlength=N).astype(int)
    return {"N": N, "hidden": hidden, "degree": degree, "neighbours": dst[order],
            "start": np.r_[0, np.cumsum(degree)], "known_sizes": np.array(known_sizes),
            "group": group, "y_known": y_known, "y_hidden": y_hidden}


def tie_awareness(pop, rng, awareness):
    """Who knows whose status: each tie to a hidden member is 'aware' with prob. `awareness`.

    Returns (y_reported, v_known): for every person, how many hidden-group acquaintances they
    know to be hidden; and for every person, one column per known group counting the group's
    members who know them and know they are hidden (non-zero only for hidden members).
    """
    N, K = pop["N"], len(pop["known_sizes"])
    src = np.repeat(np.arange(N), pop["degree"])
    dst = pop["neighbours"]
    aware = pop["hidden"][dst] & (rng.random(len(dst)) < awareness)
    y_reported = np.bincount(src, weights=aware, minlength=N).astype(int)
    v_known = np.column_stack([np.bincount(dst, weights=aware & (pop["group"][src] == k),
                                           minlength=N) for k in range(K)]).astype(int)
    return y_reported, v_known


def nsum_survey(pop, rng, n=500, y_reported=None):
    """Frame survey: a simple random sample of n people and what they report."""
    who = rng.choice(pop["N"], n, replace=False)
    k = len(pop["known_sizes"])
    table = pd.DataFrame(pop["y_known"][who], columns=[f"y_known_{j + 1}" for j in range(k)])
    table["y_hidden"] = (pop["y_hidden"] if y_reported is None else y_reported)[who]
    return table


def hidden_sample(pop, rng, v_known, n=100):
    """Enriched sample: a simple random sample of n hidden-group members, with their degree
    in each known group (`d_known_k`) and their visibility to it (`v_known_k`)."""
    who = rng.choice(np.flatnonzero(pop["hidden"]), n, replace=False)
    k = len(pop["known_sizes"])
    table = pd.DataFrame(pop["y_known"][who], columns=[f"d_known_{j + 1}" for j in range(k)])
    for j in range(k):
        table[f"v_known_{j + 1}"] = v_known[who, j]
    return table


def rds_sample(pop, rng, n=300, n_seeds=10, coupons=3):
    """Respondent-driven sample: seeds, then each recruit passes up to `coupons` coupons.

    Rows are in recruitment order, with each respondent's degree, trait, wave (0 for a seed),
    seed (the row of their tree's seed) and recruiter (row of their recruiter, -1 for seeds).
    """
    start, neighbours, degree = pop["start"], pop["neighbours"], pop["degree"]
    eligible = np.flatnonzero(degree > 0)
    inside = np.zeros(pop["N"], dtype=bool)
    order, queue, wave, seed, recruiter = [], [], [], [], []
    while len(order) < n:
        if not queue:  # first the seeds; later a new seed if every chain has died out
            for s in rng.choice(eligible, n_seeds if not order else 1, replace=False):
                if not inside[s]:
                    inside[s] = True
                    seed.append(len(order))
                    wave.append(0)
                    recruiter.append(-1)
                    queue.append(len(order))
                    order.append(s)
            continue
        row = queue.pop(0)
        person = order[row]
        friends = neighbours[start[person]:start[person + 1]]
        for f in rng.permutation(friends[~inside[friends]])[:coupons]:
            if len(order) < n:
                inside[f] = True
                seed.append(seed[row])
                wave.append(wave[row] + 1)
                recruiter.append(row)
                queue.append(len(order))
                order.append(f)
    who = np.array(order)
    return pd.DataFrame({"degree": degree[who], "forced_labour": pop["hidden"][who].astype(int),
                         "wave": wave, "seed": seed, "recruiter": recruiter})
