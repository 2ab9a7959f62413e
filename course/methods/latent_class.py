"""Heterogeneity in multiple systems estimation: a latent-class (finite-mixture) capture
model, by maximum likelihood (Module 6, chapter 4). Tables are as in :mod:`course.methods.mse`:
one 0/1 column per list and a ``count`` column, zero cells included."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from scipy.special import gammaln, logsumexp


def _list_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c != "count"]


def _lc_em(x, y, n0, w, p, fixed_n0: bool, iters: int, tol: float = 1e-8):
    """EM for a latent-class capture model on the complete table plus the unseen cell."""
    X = np.vstack([np.zeros(x.shape[1]), x])
    n = y.sum()
    old = -np.inf
    for _ in range(iters):
        counts = np.r_[n0, y]
        logp = X @ np.log(p).T + (1 - X) @ np.log1p(-p).T + np.log(w)   # cells x classes
        top = logp.max(axis=1, keepdims=True)
        joint = np.exp(logp - top)
        total = joint.sum(axis=1, keepdims=True)
        cell = (np.log(total) + top).ravel()
        ll = counts @ cell
        if abs(ll - old) < tol * abs(ll):
            break
        old = ll
        post = joint / total
        nk = counts @ post
        w = nk / nk.sum()
        p = np.clip((post * counts[:, None]).T @ X / nk[:, None], 1e-9, 1 - 1e-9)
        if not fixed_n0:
            p0 = float(np.exp(cell[0]))
            n0 = n * p0 / (1 - p0)
    return n0, w, p, cell


def _lc_fixed(x, y, N, start, rng, starts, iters):
    """Best fixed-N latent-class fit over a warm start (if any) and random starts."""
    n = y.sum()
    inits = [] if start is None else [start]
    k, C = x.shape[1], (2 if start is None else len(start[0]))
    inits += [(rng.dirichlet(np.ones(C)), rng.uniform(0.02, 0.4, size=(C, k)))
              for _ in range(starts)]
    best = None
    for w, p in inits:
        n0, w, p, cell = _lc_em(x, y, N - n, w, p, fixed_n0=True, iters=iters)
        counts = np.r_[n0, y]
        loglik = float(gammaln(N + 1) - gammaln(counts + 1).sum() + counts @ cell)
        if best is None or loglik > best[0]:
            best = (loglik, w, p)
    return best


def latent_class(table: pd.DataFrame, classes: int = 2, grid: Sequence[float] | None = None,
                 starts: int = 2, iters: int = 5000, seed: int = 1) -> dict:
    """Latent-class (finite-mixture) capture-recapture model, by maximum likelihood.

    People belong to one of ``classes`` unseen groups; within a group, lists find people
    independently, with list-by-group capture probabilities. Groups that differ in how easy
    they are to find (heterogeneity) make the lists look positively dependent overall.

    The likelihood is profiled over the total N: for each N on ``grid`` (default: 25 values,
    evenly spaced in log N from 1.05 to 40 times the number observed) the model is fitted by EM
    with N - n_obs people in the unseen cell (warm start from the previous N plus ``starts``
    random starts); the estimate is then refined between the neighbours of the best grid point.
    Returns ``n_hat``, ``loglik`` (multinomial log-likelihood at n_hat), ``aic`` (Poisson
    log-likelihood of the observed cells, comparable with :class:`Fit`), ``weights``, ``probs``
    (classes x lists DataFrame) and ``profile`` (DataFrame of N and loglik over the grid).
    """
    codes = _list_columns(table)
    x = table[codes].to_numpy(float)
    y = table["count"].to_numpy(float)
    n = float(y.sum())
    rng = np.random.default_rng(seed)
    points = np.geomspace(1.05 * n, 40 * n, 25) if grid is None else np.asarray(grid, float)
    first = (rng.dirichlet(np.ones(classes)), rng.uniform(0.02, 0.4, size=(classes, len(codes))))
    rows, start = [], first
    for N in points:
        loglik, w, p = _lc_fixed(x, y, N, start, rng, starts, iters)
        rows.append((N, loglik, w, p))
        start = (w, p)
    i = int(np.argmax([r[1] for r in rows]))
    lo, hi = rows[max(i - 1, 0)][0], rows[min(i + 1, len(rows) - 1)][0]
    warm = (rows[i][2], rows[i][3])
    cache: dict[float, tuple] = {}

    def neg(logN):
        cache[logN] = _lc_fixed(x, y, float(np.exp(logN)), warm, rng, 0, iters)
        return -cache[logN][0]

    res = minimize_scalar(neg, bounds=(np.log(lo), np.log(hi)), method="bounded",
                          options={"xatol": 1e-4})
    loglik, w, p = cache[res.x] if res.x in cache else _lc_fixed(x, y, float(np.exp(res.x)),
                                                                  warm, rng, 0, iters)
    N = float(np.exp(res.x))
    logp = x @ np.log(p).T + (1 - x) @ np.log1p(-p).T + np.log(w)
    mu = N * np.exp(logsumexp(logp, axis=1))
    pois = float(np.sum(y * np.log(mu) - mu - gammaln(y + 1)))
    n_par = 1 + (classes - 1) + classes * len(codes)
    return {"n_hat": N, "loglik": loglik, "aic": -2 * pois + 2 * n_par, "weights": w,
            "probs": pd.DataFrame(p, columns=codes),
            "profile": pd.DataFrame({"N": [r[0] for r in rows], "loglik": [r[1] for r in rows]})}
