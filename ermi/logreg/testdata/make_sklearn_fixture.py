#!/usr/bin/python3
"""Writes sklearn_fits.json: scikit-learn LogisticRegression fits on small random data sets.

Each case stores scikit-learn's fit (LogisticRegression(C=c, tol=1e-10, max_iter=10000): penalty l2,
intercept unpenalised, lbfgs) and the optimum of the same objective, C*sum(logloss) + |w|^2/2, found by
SciPy's L-BFGS-B with gtol 1e-12: scikit-learn's lbfgs stops with gradients near 1e-5 even at tol 1e-10,
so the exact optimum is what logreg.Fit is held to, and scikit-learn's answer is checked more loosely.
Run with Debian's python3-sklearn 1.2 (and python3-scipy):
  cd testdata && /usr/bin/python3 make_sklearn_fixture.py
"""
import json

import numpy as np
import sklearn
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression


def optimum(x, y, c):
    d = x.shape[1]

    def f(p):
        z = x @ p[:d] + p[d]
        return c * np.sum(np.logaddexp(0, z) - y * z) + 0.5 * p[:d] @ p[:d]

    def g(p):
        z = x @ p[:d] + p[d]
        r = c * (1 / (1 + np.exp(-z)) - y)
        return np.concatenate([x.T @ r + p[:d], [r.sum()]])

    r = minimize(f, np.zeros(d + 1), jac=g, method="L-BFGS-B", options=dict(gtol=1e-12, ftol=1e-16, maxiter=10000))
    assert np.abs(r.jac).max() < 1e-6, r
    return r.x

rng = np.random.default_rng(7)
cases = []
for n, d, c, scale in [(30, 3, 1.0, 1.0), (100, 4, 1.0, 2.0), (12, 2, 0.5, 1.0), (200, 6, 10.0, 0.5), (50, 4, 1.0, 5.0)]:
    x = rng.random((n, d))
    w = rng.normal(size=d) * scale
    y = (x @ w - w.sum() / 2 + rng.normal(scale=0.5, size=n) > 0).astype(int)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    m = LogisticRegression(C=c, tol=1e-10, max_iter=10000).fit(x, y)
    opt = optimum(x, y, c)
    cases.append({"dims": d, "c": c, "x": x.reshape(-1).tolist(), "y": y.tolist(),
                  "coef": opt[:d].tolist(), "intercept": float(opt[d]),
                  "sklearn_coef": m.coef_[0].tolist(), "sklearn_intercept": float(m.intercept_[0])})
with open("sklearn_fits.json", "w") as f:
    json.dump({"sklearn": sklearn.__version__, "cases": cases}, f)
