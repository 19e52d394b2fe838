#!/usr/bin/python3
"""Writes statsmodels_logit.json: statsmodels Logit fits without intercept, as the paper's statistics made them.

The paper (plots.py) fitted sm.Logit(y, X).fit(method='bfgs', maxiter=10000) on each task's scaled features
without a constant. These data sets overlap in their classes, so the maximum-likelihood fit exists.
Run with Debian's python3-statsmodels:  cd testdata && /usr/bin/python3 make_statsmodels_fixture.py
"""
import json

import numpy as np
import statsmodels
import statsmodels.api as sm

rng = np.random.default_rng(11)
cases = []
for n, d in [(80, 4), (200, 4), (60, 3), (650, 4)]:
    x = rng.random((n, d))
    w = rng.normal(size=d) * 2
    p = 1 / (1 + np.exp(-(x - 0.5) @ w))
    y = (rng.random(n) < p).astype(int)
    res = sm.Logit(y, x).fit(method="bfgs", maxiter=10000, disp=0, gtol=1e-10)
    cases.append({"dims": d, "x": x.reshape(-1).tolist(), "y": y.tolist(), "params": res.params.tolist(),
                  "llf": float(res.llf)})
with open("statsmodels_logit.json", "w") as f:
    json.dump({"statsmodels": statsmodels.__version__, "cases": cases}, f)
