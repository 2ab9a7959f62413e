"""Multiple systems estimation (MSE) with Poisson log-linear models, written once for Module 6.

A *table* here is a DataFrame with one 0/1 column per list and an integer column ``count``,
one row per non-empty capture pattern, zero cells included (see :func:`complete_table`). The
model for pattern x is

    log mu(x) = l0 + sum_j l_j x_j + sum_{j<k in terms} l_jk x_j x_k,

and the estimated total is ``n_obs + exp(l0)`` (the fitted count of the unobservable
"on no list" cell). The user-facing :func:`fit` returns a statsmodels Poisson GLM; the searches
(:func:`stepwise`, :func:`all_models`, :func:`bootstrap_stepwise`, :func:`profile_ci`) use a
small Newton (IRLS) solver on NumPy arrays that gives the same estimates (the unit tests check
this) and is fast enough to refit thousands of models while a book page executes.

Stepwise selection follows ``modslavmse::MSEfit`` (Silverman 2020, JRSS A): from the
independence model, add the pairwise interaction that lowers AIC most, provided AIC falls and
the new term's p-value is below a threshold (0.05 by default); pairs of lists that share nobody
are never candidates (their interaction has no finite estimate).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import norm

from course.methods.latent_class import latent_class  # heterogeneity: its own module

Pair = tuple[str, str]

__all__ = [
    "Fit", "all_models", "bootstrap_stepwise", "candidate_pairs", "chapman", "complete_table",
    "design", "fit", "latent_class", "lincoln_petersen", "list_columns", "profile_ci", "shares",
    "stepwise",
]


# --- two lists ---------------------------------------------------------------------------


def lincoln_petersen(n_a: float, n_b: float, m: float) -> float:
    """Two-list estimate n_a * n_b / m; NaN when the lists share nobody (m = 0)."""
    return float(n_a) * float(n_b) / float(m) if m > 0 else float("nan")


def chapman(n_a: float, n_b: float, m: float) -> float:
    """Chapman's less biased two-list estimate (n_a + 1)(n_b + 1)/(m + 1) - 1."""
    return (float(n_a) + 1) * (float(n_b) + 1) / (float(m) + 1) - 1


# --- tables ------------------------------------------------------------------------------


def complete_table(observed: pd.DataFrame, lists: Sequence[str]) -> pd.DataFrame:
    """All 2**k - 1 non-empty capture patterns, one 0/1 column per list, zero cells included.

    ``observed`` has a ``pattern`` column naming the lists joined by "+" (``"NG+PF"``) and a
    ``count`` column, as in the course's ``mse_overlap`` table.
    """
    counts = dict(zip(observed["pattern"], observed["count"], strict=False))
    unknown = set(counts) - {"+".join(c for c, b in zip(lists, bits, strict=True) if b)
                             for bits in itertools.product([0, 1], repeat=len(lists))}
    if unknown:
        raise ValueError(f"patterns not made of the lists {list(lists)}: {sorted(unknown)}")
    rows = []
    for bits in itertools.product([0, 1], repeat=len(lists)):
        if any(bits):
            key = "+".join(c for c, b in zip(lists, bits, strict=True) if b)
            rows.append([*bits, int(counts.get(key, 0))])
    return pd.DataFrame(rows, columns=[*lists, "count"]).astype(int)


def list_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c != "count"]


def shares(table: pd.DataFrame, a: str, b: str) -> int:
    """People on both list a and list b."""
    return int(table.loc[(table[a] == 1) & (table[b] == 1), "count"].sum())


def candidate_pairs(table: pd.DataFrame) -> list[Pair]:
    """Pairs of lists that share at least one person (the only interactions with a finite MLE)."""
    return [(a, b) for a, b in itertools.combinations(list_columns(table), 2)
            if shares(table, a, b) > 0]


def design(table: pd.DataFrame, interactions: Iterable[Pair] = ()) -> pd.DataFrame:
    """Design matrix: a constant, the list indicators, then one product column per interaction."""
    X = table[list_columns(table)].astype(float)
    for a, b in interactions:
        X[f"{a}:{b}"] = X[a] * X[b]
    X.insert(0, "const", 1.0)
    return X


# --- fitting -----------------------------------------------------------------------------


@dataclass
class Fit:
    """One fitted log-linear model."""

    terms: tuple[Pair, ...]
    n_hat: float           # estimated total population: observed + exp(intercept)
    dark: float            # estimated number on no list: exp(intercept)
    aic: float
    bic: float             # -2 loglik + k log(number of cells), as R's BIC() for a Poisson glm
    loglik: float
    params: pd.Series | dict
    pvalues: pd.Series | dict
    converged: bool = True
    result: object = field(default=None, repr=False)  # the statsmodels result, from fit() only


def _irls(X: np.ndarray, y: np.ndarray, tol: float = 1e-10, max_iter: int = 50):
    """Poisson log-link MLE by iteratively reweighted least squares, as R's glm() starts it
    (mu = y + 0.1), with step halving. Returns (beta, cov, loglik, converged)."""

    def deviance(eta):
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            return 2 * np.sum(np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu))

    mu = y + 0.1
    eta = np.log(mu)
    beta = None
    dev_old = np.inf
    converged = False
    for _ in range(max_iter):
        XtW = X.T * mu
        try:
            new = np.linalg.solve(XtW @ X, XtW @ (eta + (y - mu) / mu))
        except np.linalg.LinAlgError:
            break
        dev = deviance(np.clip(X @ new, -50, 50))
        halvings = 0
        while beta is not None and dev > dev_old and halvings < 20:  # step halving
            new = (new + beta) / 2
            dev = deviance(np.clip(X @ new, -50, 50))
            halvings += 1
        beta = new
        eta = np.clip(X @ beta, -50, 50)
        mu = np.exp(eta)
        if abs(dev - dev_old) < tol * (abs(dev) + 0.1):
            converged = True
            break
        dev_old = dev
    with np.errstate(divide="ignore"):
        loglik = float(np.sum(y * np.log(mu) - mu - gammaln(y + 1)))
    try:
        cov = np.linalg.inv((X.T * mu) @ X)
    except np.linalg.LinAlgError:
        cov = np.full((X.shape[1], X.shape[1]), np.nan)
    if beta is None:  # the first step was singular: no estimate
        beta = np.full(X.shape[1], np.nan)
    # A term heading for minus infinity (no finite MLE) shows up as a huge coefficient.
    converged = converged and bool(np.all(np.abs(beta) < 25))
    return beta, cov, loglik, converged


class _Core:
    """A table as NumPy arrays, for fast repeated fits (no pandas inside the loops)."""

    def __init__(self, table: pd.DataFrame):
        self.codes = list_columns(table)
        self.main = table[self.codes].to_numpy(float)
        self.y = table["count"].to_numpy(float)
        self.base = np.column_stack([np.ones(len(self.y)), self.main])
        self.index = {c: i for i, c in enumerate(self.codes)}

    def with_counts(self, y: np.ndarray) -> _Core:
        other = object.__new__(_Core)
        other.__dict__.update(self.__dict__)
        other.y = np.asarray(y, float)
        return other

    def shares(self, a: str, b: str) -> float:
        return float(self.y @ (self.main[:, self.index[a]] * self.main[:, self.index[b]]))

    def candidates(self) -> list[Pair]:
        return [(a, b) for a, b in itertools.combinations(self.codes, 2) if self.shares(a, b) > 0]

    def fit(self, interactions: Sequence[Pair] = ()) -> Fit:
        cols = [self.main[:, self.index[a]] * self.main[:, self.index[b]] for a, b in interactions]
        X = np.column_stack([self.base, *cols]) if cols else self.base
        beta, cov, loglik, ok = _irls(X, self.y)
        k = X.shape[1]
        with np.errstate(invalid="ignore"):
            p = 2 * norm.sf(np.abs(beta / np.sqrt(np.diag(cov))))
        dark = float(np.exp(beta[0]))
        names = ["const", *self.codes, *(f"{a}:{b}" for a, b in interactions)]
        return Fit(tuple(interactions), float(self.y.sum() + dark), dark, -2 * loglik + 2 * k,
                   -2 * loglik + k * np.log(len(self.y)), loglik,
                   dict(zip(names, beta, strict=True)), dict(zip(names, p, strict=True)), ok)


def _quick_fit(table: pd.DataFrame, interactions: Sequence[Pair] = ()) -> Fit:
    """The same model as :func:`fit`, by :func:`_irls` on NumPy arrays (fast, for searches)."""
    f = _Core(table).fit(interactions)
    f.params, f.pvalues = pd.Series(f.params), pd.Series(f.pvalues)
    return f


def fit(table: pd.DataFrame, interactions: Iterable[Pair] = ()) -> Fit:
    """Fit one log-linear model with statsmodels (Poisson GLM, log link).

    ``interactions`` is a sequence of list pairs, e.g. ``[("PF", "NCA"), ("LA", "NG")]``.
    The statsmodels result is in ``.result`` (``.result.summary()`` prints the usual table).
    """
    import statsmodels.api as sm

    pairs: tuple[Pair, ...] = tuple((a, b) for a, b in interactions)
    X = design(table, pairs)
    y = table["count"].astype(float)
    with warnings.catch_warnings():  # near-empty cells can trigger harmless warnings
        warnings.simplefilter("ignore")
        result = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    dark = float(np.exp(result.params["const"]))
    llf = float(result.llf)
    return Fit(pairs, float(y.sum() + dark), dark, float(result.aic),
               -2 * llf + X.shape[1] * np.log(len(y)), llf, result.params, result.pvalues,
               bool(result.converged and np.all(np.abs(result.params) < 25)), result)


def _stepwise(core: _Core, p_threshold: float = 0.05, criterion: str = "aic"):
    candidates = core.candidates()
    chosen: list[Pair] = []
    current = core.fit()
    path = [("independence", current.n_hat)]
    while True:
        best = None
        for pair in candidates:
            if pair in chosen:
                continue
            trial = core.fit(chosen + [pair])
            if not trial.converged:
                continue
            if best is None or getattr(trial, criterion) < getattr(best, criterion):
                best = trial
        if best is None or getattr(best, criterion) >= getattr(current, criterion):
            break
        pair = best.terms[-1]
        if best.pvalues[f"{pair[0]}:{pair[1]}"] > p_threshold:
            break
        chosen.append(pair)
        current = best
        path.append((f"+ {pair[0]}:{pair[1]}", current.n_hat))
    return chosen, path


def stepwise(table: pd.DataFrame, p_threshold: float = 0.05, criterion: str = "aic"):
    """Forward selection of pairwise interactions as in ``modslavmse::MSEfit``.

    Returns ``(terms, path)``: the chosen interactions, and for each step a
    ``(label, estimated total)`` pair, starting with ``("independence", ...)``.
    ``criterion`` is ``"aic"`` (the published rule) or ``"bic"`` (a stricter penalty).
    A candidate whose fit has no finite maximum is skipped.
    """
    return _stepwise(_Core(table), p_threshold, criterion)


def all_models(table: pd.DataFrame, candidates: Sequence[Pair] | None = None,
               max_terms: int | None = None) -> pd.DataFrame:
    """Every model with main effects plus any subset of the candidate pairwise interactions.

    (With all main effects always in, every such model is hierarchical.) One row per model that
    has a finite fit: ``terms`` (tuple of pairs), ``k`` (number of interactions), ``aic``,
    ``bic``, ``estimate`` and ``delta_aic`` (AIC minus the lowest AIC), sorted by AIC.
    """
    core = _Core(table)
    candidates = core.candidates() if candidates is None else list(candidates)
    top = len(candidates) if max_terms is None else min(max_terms, len(candidates))
    rows = []
    for k in range(top + 1):
        for terms in itertools.combinations(candidates, k):
            f = core.fit(terms)
            if f.converged:
                rows.append({"terms": terms, "k": k, "aic": f.aic, "bic": f.bic,
                             "estimate": f.n_hat})
    out = pd.DataFrame(rows)
    out["delta_aic"] = out["aic"] - out["aic"].min()
    return out.sort_values("aic", kind="stable").reset_index(drop=True)


def profile_ci(table: pd.DataFrame, interactions: Iterable[Pair] = (),
               level: float = 0.95) -> tuple[float, float]:
    """Profile-likelihood confidence interval for the total population N.

    For each candidate N the unobserved cell is set to N - n_obs and the model refitted; the
    interval holds the N whose multinomial log-likelihood is within chi2_1(level)/2 of the best
    (the approach of Rcapture's ``closedpCI.t``; the ends can differ slightly from it).
    """
    from scipy.stats import chi2

    interactions = tuple(interactions)
    n = float(table["count"].sum())
    X = design(table, interactions).to_numpy()
    X = np.vstack([np.r_[1.0, np.zeros(X.shape[1] - 1)], X])  # the "on no list" cell
    z = table["count"].to_numpy(float)
    lgz = gammaln(z + 1).sum()

    def loglik(N: float) -> float:
        counts = np.r_[N - n, z]
        mu = np.exp(np.clip(X @ _irls(X, counts)[0], -50, 50))
        p = mu / mu.sum()
        seen = counts > 0
        return float(gammaln(N + 1) - gammaln(N - n + 1) - lgz
                     + (counts[seen] * np.log(p[seen])).sum())

    n_hat = _Core(table).fit(interactions).n_hat
    best = minimize_scalar(lambda N: -loglik(N), bounds=(n + 1e-6, 5 * n_hat), method="bounded")
    cut = -best.fun - chi2.ppf(level, 1) / 2
    lower = brentq(lambda N: loglik(N) - cut, n + 1e-6, best.x) if loglik(n + 1e-6) < cut else n
    upper = brentq(lambda N: loglik(N) - cut, best.x, 50 * n_hat)
    return float(lower), float(upper)


def bootstrap_stepwise(table: pd.DataFrame, reps: int = 200, seed: int = 2014,
                       p_threshold: float = 0.05) -> pd.DataFrame:
    """Nonparametric bootstrap of the WHOLE stepwise procedure.

    Each replicate draws n_obs people with replacement from the observed people (a multinomial
    draw over the observed cells, so cells that were zero stay zero), reruns the stepwise
    selection from scratch (the chosen interactions may differ from replicate to replicate)
    and records the estimate. Returns one row per replicate: ``estimate``, ``terms`` (sorted
    tuple of the chosen pairs) and ``k``.
    """
    rng = np.random.default_rng(seed)
    core = _Core(table)
    n = int(core.y.sum())
    rows = []
    for draw in rng.multinomial(n, core.y / n, size=reps):
        terms, path = _stepwise(core.with_counts(draw), p_threshold=p_threshold)
        rows.append({"estimate": path[-1][1], "terms": tuple(sorted(terms)), "k": len(terms)})
    return pd.DataFrame(rows)
